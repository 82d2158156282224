/**
 * The search back end used when ripgrep is not installed: a pure Deno walk
 * and JavaScript regular expressions.
 *
 * @module
 */

import {
  type FileHits,
  type GrepHit,
  type GrepRequest,
  LINE_PREVIEW_BYTES,
  MATCH_BYTE_LIMIT,
  type SearchBackend,
} from "./backend.ts";
import { walkFiles } from "./walk.ts";

const CHUNK_BYTES = 65536;
/** Files read at the same time. */
const PARALLEL_FILES = 16;

/**
 * Lists and searches files without external programs, with the same file
 * selection as ripgrep. Patterns are JavaScript regular expressions, tried
 * with the `u` flag first; a leading `(?i)`/`(?s)`/`(?m)` is turned into
 * flags and ASCII POSIX classes like `[[:alpha:]]` are expanded. Lines are matched without their `\r\n`/`\n` ending. Files with a
 * UTF-16 byte order mark are decoded, other bytes as UTF-8 (invalid bytes
 * become U+FFFD); files containing a NUL character are skipped.
 *
 * @example
 * ```ts
 * for await (const file of builtinSearch.grep({ root: "/ws", pattern: "TODO", maxHitsPerFile: 50 })) {
 *   console.log(file.path, file.total);
 * }
 * ```
 */
export const builtinSearch: SearchBackend = {
  kind: "builtin",
  async listFiles(root, signal) {
    const files: string[] = [];
    for await (const path of walkFiles(root, signal)) files.push(path);
    return files;
  },
  grep(request) {
    return grepFiles(request);
  },
};

/**
 * Compiles a search pattern for the built-in back end, or throws an
 * `Error` like `Invalid regex "a(": ...`.
 *
 * @example
 * ```ts
 * compileSearchRegex("(?i)todo").test("TODO"); // true
 * ```
 */
export function compileSearchRegex(pattern: string): RegExp {
  if (pattern.includes("\n")) {
    throw new Error(
      `Invalid regex ${
        JSON.stringify(pattern)
      }: a line break cannot match; grep_files searches one line at a time`,
    );
  }
  let source = pattern.replace(
    /\[:(\w+):\]/g,
    (whole, name: string, at: number, all: string) =>
      (all[at - 1] === "[" || all.slice(at - 2, at) === ":]") &&
        POSIX_CLASSES[name]
        ? POSIX_CLASSES[name]
        : whole,
  );
  let flags = "";
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    flags = [...new Set(inline[1])].join("");
  }
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    try {
      return new RegExp(source, flags);
    } catch (error) {
      throw new Error(
        `Invalid regex ${JSON.stringify(pattern)}: ${(error as Error).message}`,
      );
    }
  }
}

/** ASCII POSIX classes (`[[:alpha:]]`), which ripgrep supports and JavaScript does not. */
const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

async function* grepFiles(request: GrepRequest): AsyncGenerator<FileHits> {
  const regex = compileSearchRegex(request.pattern);
  let batch: string[] = [];
  const search = async function* () {
    const found = await Promise.all(
      batch.map((path) => grepFile(path, regex, request.maxHitsPerFile)),
    );
    batch = [];
    for (const file of found) if (file && file.total > 0) yield file;
  };
  for await (const path of walkFiles(request.root, request.signal)) {
    if (request.include && !request.include(path)) continue;
    batch.push(path);
    if (batch.length >= PARALLEL_FILES) yield* search();
  }
  yield* search();
}

/** Searches one file; `null` when it is binary or unreadable. */
async function grepFile(
  path: string,
  regex: RegExp,
  maxHits: number,
): Promise<FileHits | null> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return null;
  }
  const result: FileHits = { path, hits: [], total: 0 };
  let lineNumber = 0;
  let pending = "";
  const onLine = (raw: string) => {
    lineNumber++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const match = regex.exec(line);
    if (!match) return;
    result.total++;
    if (result.hits.length < maxHits) {
      result.hits.push(hitFor(lineNumber, line, match.index));
    }
  };
  try {
    let decoder: TextDecoder | undefined;
    const buffer = new Uint8Array(CHUNK_BYTES);
    while (true) {
      const n = await file.read(buffer);
      if (n === null) break;
      const bytes = buffer.subarray(0, n);
      decoder ??= new TextDecoder(encodingOf(bytes));
      const text = decoder.decode(bytes, { stream: true });
      if (text.includes("\0")) return null;
      pending = splitLines(pending, text, onLine);
    }
    const rest = decoder?.decode() ?? "";
    if (rest.includes("\0")) return null;
    pending = splitLines(pending, rest, onLine);
    if (pending !== "") onLine(pending);
  } catch {
    return null;
  } finally {
    file.close();
  }
  return result;
}

/**
 * Calls `onLine` for each line completed by `text` (the first one starts
 * with `pending`); returns the unfinished rest. Only `text` is scanned.
 */
function splitLines(
  pending: string,
  text: string,
  onLine: (line: string) => void,
): string {
  let nl = text.indexOf("\n");
  if (nl === -1) return pending + text;
  onLine(pending + text.slice(0, nl));
  let start = nl + 1;
  for (
    nl = text.indexOf("\n", start);
    nl !== -1;
    nl = text.indexOf("\n", start)
  ) {
    onLine(text.slice(start, nl));
    start = nl + 1;
  }
  return text.slice(start);
}

function encodingOf(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  return "utf-8";
}

function hitFor(line: number, text: string, index: number): GrepHit {
  let matchStart: number | null = index;
  if (index * 3 > MATCH_BYTE_LIMIT) {
    const bytes = new TextEncoder().encode(text.slice(0, index)).length;
    if (bytes > MATCH_BYTE_LIMIT) matchStart = null;
  }
  return { line, text: text.slice(0, LINE_PREVIEW_BYTES), matchStart };
}
