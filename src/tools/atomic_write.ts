/**
 * Writes a file so readers see either the old or the new content, never a
 * half-written file.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/**
 * Writes `data` to `path` through a temporary file in the same folder that
 * is then renamed into place. Creates missing parent folders, keeps the
 * mode of an existing file (and refuses one this process may not write),
 * never follows a symlink at `path` (the rename replaces whatever is there,
 * so a link swapped in after the caller checked the path cannot redirect
 * the write; callers that mean to write a link's target resolve it first,
 * as `ToolContext.resolvePath` does), flushes the data to the disk
 * before the rename, and removes the temporary file on failure (the
 * original is then untouched). A full disk or quota throws
 * `Error("no space left on the device; the file was left unchanged")`.
 *
 * @example
 * ```ts
 * await atomicWrite("/tmp/demo/a.txt", new TextEncoder().encode("hi\n"));
 * ```
 */
export async function atomicWrite(
  path: string,
  data: Uint8Array,
): Promise<void> {
  const target = path;
  const dir = dirname(target);
  await Deno.mkdir(dir, { recursive: true });
  let mode: number | undefined;
  try {
    const info = await Deno.lstat(target);
    if (info.isDirectory) {
      throw new Deno.errors.IsADirectory(`${target} is a directory`);
    }
    mode = info.mode === null ? undefined : info.mode & 0o7777;
    if (info.isSymlink) mode = undefined;
    else if (info.isFile) (await Deno.open(target, { write: true })).close();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const suffix = crypto.randomUUID().slice(0, 8);
  const temp = join(dir, `.${basename(target)}.nanocode-${suffix}.tmp`);
  try {
    await writeSynced(temp, data, mode ?? 0o666);
    if (mode !== undefined && Deno.build.os !== "windows") {
      await Deno.chmod(temp, mode);
    }
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw diskFull(error) ?? error;
  }
}

/** Writes all of `data` to a new file and flushes it to the disk. */
async function writeSynced(
  path: string,
  data: Uint8Array,
  mode: number,
): Promise<void> {
  using file = await Deno.open(path, { write: true, createNew: true, mode });
  for (let done = 0; done < data.length;) {
    done += await file.write(data.subarray(done));
  }
  await file.syncData();
}

/** A clearer error for a full disk or quota, or `null` for other errors. */
function diskFull(error: unknown): Error | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ENOSPC" && code !== "EDQUOT") return null;
  const what = code === "ENOSPC"
    ? "no space left on the device"
    : "the disk quota is used up";
  return new Error(`${what}; the file was left unchanged`, { cause: error });
}
