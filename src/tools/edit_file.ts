/**
 * `edit_file(path, old, new, replace_all?)`: exact-match replacement.
 *
 * @module
 */

import { z } from "zod";
import { atomicWrite } from "./atomic_write.ts";
import { defineTool } from "./define.ts";
import { TOOL_SPECS } from "./specs.ts";
import { assertUnchanged } from "./unchanged.ts";
import { plural } from "./text.ts";
import type { Tool, ToolContext } from "./types.ts";

const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/**
 * The `edit_file` tool: replaces the exact text `old` with `new` in a UTF-8
 * file. `old` must occur exactly once unless `replace_all` is true. Keeps
 * CRLF line endings (text given with `\n` matches and is written with
 * `\r\n` in a CRLF file) and a UTF-8 byte order mark; refuses other
 * encodings. The file is untouched on every error. Returns
 * `ok: replaced 1 occurrence in a.ts`. With the context's hooks: runs
 * under `context.files.lock(path)` (edits to one path never overlap),
 * refuses a file that changed on disk since it was last read
 * (`context.files.check`), asks `context.confirmWrite` with the text before
 * and after (byte order mark left out), refuses when the file changed while
 * that was answered, and records the written bytes.
 *
 * @example
 * ```ts
 * await editFileTool.run(["a.ts", "let x = 1", "let x = 2"], context);
 * // "ok: replaced 1 occurrence in a.ts"
 * ```
 */
export const editFileTool: Tool = defineTool({
  ...TOOL_SPECS.edit_file,
  schema: z.object({
    path: z.string(),
    old: z.string(),
    new: z.string(),
    replace_all: z.boolean().optional(),
  }),
  async run(args, context) {
    const { path, old } = args;
    const label = `Cannot edit file ${JSON.stringify(path)}`;
    if (old === "") {
      throw new Error(
        `${label}: the text to replace is empty; pass the exact text to change, or use write_file to replace the whole file`,
      );
    }
    if (old === args.new) {
      throw new Error(
        `${label}: the old and new text are identical; nothing to change`,
      );
    }
    const target = await context.resolvePath(path, "write");
    const edit = () => editChecked(args, target, label, context);
    const replaced = context.files
      ? await context.files.lock(target, edit)
      : await edit();
    return `ok: replaced ${plural(replaced, "occurrence")} in ${path}`;
  },
});

/** Checks, computes, confirms and writes one edit; returns the count replaced. */
async function editChecked(
  args: { path: string; old: string; new: string; replace_all?: boolean },
  target: string,
  label: string,
  context: ToolContext,
): Promise<number> {
  await statForEdit(target, label);
  await context.files?.check(target, args.path);
  const bytes = await readForEdit(target, label);
  const { text, bom } = decodeForEdit(bytes, label);
  const pair = chooseReplacement(text, args.old, args.new);
  if (!pair) {
    throw new Error(
      `${label}: the text to replace was not found; ${
        lineNumberHint(text, args.old) ??
          "read the file again and copy the text exactly, whitespace included"
      }`,
    );
  }
  const [from, to, count] = pair;
  if (count > 1 && !args.replace_all) {
    throw new Error(
      `${label}: text appears ${count} times; add surrounding lines to make it unique, or pass replace_all=true`,
    );
  }
  const updated = args.replace_all
    ? text.split(from).join(to)
    : replaceFirst(text, from, to);
  await context.confirmWrite?.({
    tool: "edit_file",
    path: target,
    display: args.path,
    before: text,
    after: updated,
  });
  if (context.confirmWrite) await assertUnchanged(target, bytes, label);
  const body = new TextEncoder().encode(updated);
  const out = bom ? concat(UTF8_BOM, body) : body;
  try {
    await atomicWrite(target, out);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${label}: ${reason}`);
  }
  await context.files?.record(target, out);
  return args.replace_all ? count : 1;
}

async function statForEdit(target: string, label: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(target);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${label}: no such file; use write_file to create it`);
    }
    throw new Error(`${label}: ${(error as Error).message}`);
  }
  if (info.isDirectory) throw new Error(`${label}: it is a directory`);
  if (!info.isFile) throw new Error(`${label}: it is not a regular file`);
}

async function readForEdit(target: string, label: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(target);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${label}: no such file; use write_file to create it`);
    }
    throw new Error(`${label}: ${(error as Error).message}`);
  }
}

function decodeForEdit(
  bytes: Uint8Array,
  label: string,
): { text: string; bom: boolean } {
  if (
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) ||
      (bytes[0] === 0xfe && bytes[1] === 0xff))
  ) {
    throw new Error(
      `${label}: it is UTF-16 text; only UTF-8 files can be edited (convert it with run_bash, e.g. iconv)`,
    );
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb &&
    bytes[2] === 0xbf;
  try {
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
    return { text: decoder.decode(bom ? bytes.subarray(3) : bytes), bom };
  } catch {
    throw new Error(
      `${label}: it is not valid UTF-8 text; only UTF-8 files can be edited (use run_bash for other encodings)`,
    );
  }
}

/**
 * Picks the spelling of `old`/`new` that matches the file's line endings and
 * returns it with the number of occurrences, or `null` when none matches.
 */
function chooseReplacement(
  text: string,
  old: string,
  replacement: string,
): [string, string, number] | null {
  const crlf = countOccurrences(text, "\r\n");
  const lf = countOccurrences(text, "\n") - crlf;
  const toCrlf = (s: string) => s.replace(/\r?\n/g, "\r\n");
  const toLf = (s: string) => s.replace(/\r\n/g, "\n");
  const pairs: [string, string][] = crlf > 0 && crlf >= lf
    ? [[toCrlf(old), toCrlf(replacement)], [old, replacement]]
    : [[old, replacement], [toLf(old), toLf(replacement)]];
  for (const [from, to] of pairs) {
    const count = countOccurrences(text, from);
    if (count > 0) return [from, to, count];
  }
  return null;
}

/** read_file's line prefix, e.g. `   2| `. */
const LINE_PREFIX = /^ *\d+\| ?/;

/**
 * The hint for old text copied from read_file output with its line-number
 * prefixes (`   2| `): say so, and whether the text without them is there.
 */
function lineNumberHint(text: string, old: string): string | undefined {
  const lines = old.split("\n");
  const prefixed = lines.filter((l) => LINE_PREFIX.test(l)).length;
  if (prefixed === 0 || prefixed < lines.filter((l) => l !== "").length) {
    return undefined;
  }
  const bare = lines.map((l) => l.replace(LINE_PREFIX, "")).join("\n");
  const found = countOccurrences(text.replace(/\r\n/g, "\n"), bare);
  return `old carries read_file's line-number prefixes ("${
    LINE_PREFIX.exec(lines.find((l) => LINE_PREFIX.test(l))!)![0]
  }"), which are not part of the file: pass the text without them${
    found > 0
      ? ` (without them it appears ${found === 1 ? "once" : `${found} times`})`
      : ""
  }`;
}

function countOccurrences(text: string, part: string): number {
  let count = 0;
  for (
    let i = text.indexOf(part);
    i !== -1;
    i = text.indexOf(part, i + part.length)
  ) {
    count++;
  }
  return count;
}

function replaceFirst(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
