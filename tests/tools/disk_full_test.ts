import { join } from "node:path";
import { assertEquals, assertRejects } from "./_assert.ts";
import { FileStateTracker } from "../../src/safety/file_states.ts";
import { createToolContext } from "../../src/tools/context.ts";
import { editFileTool } from "../../src/tools/edit_file.ts";
import { readFileTool } from "../../src/tools/read_file.ts";
import type { ToolContext } from "../../src/tools/types.ts";
import { writeFileTool } from "../../src/tools/write_file.ts";
import { tempDir } from "../helpers/temp.ts";

async function run(cmd: string, ...args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** Mounts a 64 KiB tmpfs at `dir`; false when this machine does not allow it. */
function mountTiny(dir: string): Promise<boolean> {
  return run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir);
}

/** Whether a tmpfs can be mounted here (root on Linux with mount rights). */
async function canMountTmpfs(): Promise<boolean> {
  if (Deno.build.os !== "linux") return false;
  const dir = await Deno.makeTempDir({ prefix: "nanocode-tmpfs-probe-" });
  try {
    if (!await mountTiny(dir)) return false;
    await run("umount", dir);
    return true;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

const TMPFS = await canMountTmpfs();
const SUFFIX = TMPFS ? "" : " (ignored: cannot mount a tmpfs here; needs root)";

/** Fills the file system of `dir` up, then frees about one page. */
async function fillNearlyFull(dir: string): Promise<void> {
  const filler = join(dir, "filler");
  using file = await Deno.open(filler, { write: true, create: true });
  const chunk = new Uint8Array(1024).fill(120);
  let size = 0;
  try {
    while (true) size += await file.write(chunk);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOSPC") throw error;
  }
  await file.truncate(Math.max(0, size - 4096));
}

async function withFullDisk(
  fn: (mnt: string, context: ToolContext) => Promise<void>,
): Promise<void> {
  await using dir = await tempDir();
  const mnt = join(dir.path, "mnt");
  await Deno.mkdir(mnt);
  if (!await mountTiny(mnt)) throw new Error("cannot mount a tmpfs");
  try {
    const context: ToolContext = {
      ...createToolContext({ workspace: mnt, rgPath: null }),
      files: new FileStateTracker(),
    };
    await Deno.writeTextFile(
      join(mnt, "a.txt"),
      "first line\n" + "original\n".repeat(500),
    );
    await fillNearlyFull(mnt);
    await fn(mnt, context);
  } finally {
    await run("umount", mnt);
  }
}

async function names(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) out.push(entry.name);
  return out.sort();
}

Deno.test({
  name:
    `write_file() fails clearly and keeps the original byte for byte when the disk is full${SUFFIX}`,
  ignore: !TMPFS,
  async fn() {
    await withFullDisk(async (mnt, context) => {
      const before = await Deno.readFile(join(mnt, "a.txt"));
      await readFileTool.run(["a.txt"], context);
      await assertRejects(
        () => writeFileTool.run(["a.txt", "new\n".repeat(8000)], context),
        Error,
        'Cannot write "a.txt": no space left on the device; the file was left unchanged',
      );
      assertEquals(await Deno.readFile(join(mnt, "a.txt")), before);
      assertEquals(await names(mnt), ["a.txt", "filler"]);
      // the failed write recorded nothing: a small write still passes the check
      await writeFileTool.run(["a.txt", "small\n"], context);
      assertEquals(await Deno.readTextFile(join(mnt, "a.txt")), "small\n");
    });
  },
});

Deno.test({
  name:
    `edit_file() fails clearly and keeps the original byte for byte when the disk is full${SUFFIX}`,
  ignore: !TMPFS,
  async fn() {
    await withFullDisk(async (mnt, context) => {
      const before = await Deno.readFile(join(mnt, "a.txt"));
      await readFileTool.run(["a.txt"], context);
      await assertRejects(
        () =>
          editFileTool.run([
            "a.txt",
            "first line\n",
            "much longer text\n".repeat(4000),
          ], context),
        Error,
        'Cannot edit file "a.txt": no space left on the device; the file was left unchanged',
      );
      assertEquals(await Deno.readFile(join(mnt, "a.txt")), before);
      assertEquals(await names(mnt), ["a.txt", "filler"]);
    });
  },
});
