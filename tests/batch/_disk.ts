/**
 * A full disk for tests: a tiny tmpfs (root on Linux only; tests that need
 * it are ignored, saying so, elsewhere).
 *
 * @module
 */

/** Mounts a 64 KiB tmpfs on `dir`; false where that is not possible. */
export async function mountTinyTmpfs(dir: string): Promise<boolean> {
  if (Deno.build.os !== "linux") return false;
  const out = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => null);
  return out?.success ?? false;
}

/** Whether a tmpfs can be mounted here (root on Linux). */
export const TMPFS: boolean = await (async () => {
  const probe = await Deno.makeTempDir();
  try {
    if (!await mountTinyTmpfs(probe)) return false;
    await new Deno.Command("umount", { args: [probe] }).output();
    return true;
  } finally {
    await Deno.remove(probe, { recursive: true }).catch(() => {});
  }
})();
if (!TMPFS) {
  console.log("full-disk test ignored: cannot mount a tmpfs here (needs root)");
}
