/**
 * `write_file(path, content)`: creates or replaces a file.
 *
 * @module
 */

import { z } from "zod";
import { atomicWrite } from "./atomic_write.ts";
import { defineTool } from "./define.ts";
import { TOOL_SPECS } from "./specs.ts";
import { assertUnchanged } from "./unchanged.ts";
import { countLines, plural } from "./text.ts";
import type { Tool, ToolContext } from "./types.ts";

/**
 * The `write_file` tool: writes `content` to `path` atomically, creating
 * parent folders, and returns `ok: wrote N lines (M bytes) to path`.
 * Content that is read_file output (every line numbered in order) is
 * refused: the numbers would end up in the file.
 * With the context's hooks: runs under `context.files.lock(path)`, refuses
 * an existing file the model has not read (`context.files.known`) or that
 * changed on disk since it was last read (`context.files.check`), asks
 * `context.confirmWrite` with the current text (`null` for a new or
 * non-text file) and the new text, refuses when the file changed while
 * that was answered, and records the written bytes. A refusal or failure leaves the file as it
 * was.
 *
 * @example
 * ```ts
 * await writeFileTool.run(["src/a.ts", "x\n"], context);
 * // "ok: wrote 1 line (2 bytes) to src/a.ts"
 * ```
 */
export const writeFileTool: Tool = defineTool({
  ...TOOL_SPECS.write_file,
  schema: z.object({ path: z.string(), content: z.string() }),
  async run({ path, content }, context) {
    const target = await context.resolvePath(path, "write");
    const write = () => writeChecked(path, target, content, context);
    if (context.files) await context.files.lock(target, write);
    else await write();
    return `ok: wrote ${plural(countLines(content), "line")} (${
      plural(new TextEncoder().encode(content).length, "byte")
    }) to ${path}`;
  },
});

/**
 * Whether text is read_file output (`   1| first line`, numbered in
 * order), edited or not, rather than file content: a model that changes
 * what read_file returned and writes it back would put the numbers into
 * the file.
 */
function carriesLineNumbers(content: string): boolean {
  const lines = content.split("\n").filter((l) => l.trim() !== "");
  const numbers = lines.flatMap((line) => {
    const m = /^ *(\d+)\|(?: |$)/.exec(line);
    return m ? [Number(m[1])] : [];
  });
  const ordered = numbers.every((n, i) => i === 0 || n > numbers[i - 1]);
  return numbers.length > 0 && ordered &&
    numbers.length >= Math.max(lines.length * 0.8, Math.min(lines.length, 2));
}

async function writeChecked(
  path: string,
  target: string,
  content: string,
  context: ToolContext,
): Promise<void> {
  const label = `Cannot write ${JSON.stringify(path)}`;
  if (carriesLineNumbers(content)) {
    throw new Error(
      `${label}: its lines start with read_file's line numbers ("   1| "), which are not part of the file; remove them first, e.g. content.replace(/^ *\\d+\\| /gm, "")`,
    );
  }
  const before = await currentText(target, label);
  if (before.bytes !== null && context.files?.known?.(target) === false) {
    throw new Error(
      `${label}: the file exists and you have not read it in this session; read it first (read_file) so that nothing in it is lost, or change it with edit_file`,
    );
  }
  if (before.exists) await context.files?.check(target, path);
  const bytes = new TextEncoder().encode(content);
  await context.confirmWrite?.({
    tool: "write_file",
    path: target,
    display: path,
    before: before.text,
    after: content,
  });
  if (context.confirmWrite) await assertUnchanged(target, before.bytes, label);
  try {
    await atomicWrite(target, bytes);
  } catch (error) {
    if (error instanceof Deno.errors.IsADirectory) {
      throw new Error(`${label}: it is a directory`);
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${label}: ${reason}`);
  }
  await context.files?.record(target, bytes);
}

/**
 * Whether `target` exists and its text (`null` when missing, not a regular
 * file or not UTF-8 text). A byte order mark is kept in the text, so a diff
 * shows when the new content drops it.
 */
async function currentText(
  target: string,
  label: string,
): Promise<{ exists: boolean; bytes: Uint8Array | null; text: string | null }> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(target);
  } catch {
    return { exists: false, bytes: null, text: null };
  }
  if (info.isDirectory) throw new Error(`${label}: it is a directory`);
  if (!info.isFile) return { exists: true, bytes: null, text: null };
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(target);
  } catch {
    return { exists: true, bytes: null, text: null };
  }
  if (bytes.includes(0)) return { exists: true, bytes, text: null };
  try {
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    return { exists: true, bytes, text: decoder.decode(bytes) };
  } catch {
    return { exists: true, bytes, text: null };
  }
}
