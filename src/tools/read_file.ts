/**
 * `read_file(path, offset?, limit?)`: numbered lines of a text file.
 *
 * @module
 */

import { z } from "zod";
import { defineTool } from "./define.ts";
import { DEFAULT_READ_LIMIT, TOOL_SPECS } from "./specs.ts";
export { DEFAULT_READ_LIMIT };
import type { Tool } from "./types.ts";

/**
 * Characters of one line shown before it is cut.
 *
 * @example
 * ```ts
 * // a 5000-char line shows MAX_LINE_CHARS chars, then " ... [line cut: 3000 more chars]"
 * ```
 */
export const MAX_LINE_CHARS = 2000;
/**
 * Characters of numbered output before the rest is left for another call.
 *
 * @example
 * ```ts
 * (await readFileTool.run(["big.txt"], context)).length <= MAX_READ_CHARS + 200; // true
 * ```
 */
export const MAX_READ_CHARS = 60_000;
/** Bytes at the start of a file checked for NUL bytes and invalid UTF-8. */
const SNIFF_BYTES = 8192;
const CHUNK_BYTES = 65536;
/** Files larger than this are not recorded in `context.files` (memory). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * The `read_file` tool. Lines are numbered `String(n).padStart(4) + "| "`,
 * from 1; `offset` is the 0-based index of the first line. When lines
 * remain, the output ends with
 * `... (showing lines 1-2000 of 5000; call read_file("a.ts", 2000) to continue)`.
 * Binary files give `a.png is a binary file (12345 bytes); not shown`; an
 * empty file gives `(empty file)`. UTF-16 files with a byte order mark are
 * decoded. With `context.files`, the bytes read (of text and binary files
 * alike, up to 64 MiB) are recorded there, so a later write or edit can
 * tell whether the file changed on disk since.
 *
 * @example
 * ```ts
 * await readFileTool.run(["a.ts"], context); // "   1| const x = 1"
 * ```
 */
export const readFileTool: Tool = defineTool({
  ...TOOL_SPECS.read_file,
  schema: z.object({
    path: z.string(),
    offset: z.number().int("must be a whole number").min(
      0,
      "must be 0 or more",
    ).optional(),
    limit: z.number().int("must be a whole number").min(
      1,
      "must be 1 or more",
    ).optional(),
  }),
  async run({ path, offset = 0, limit }, context) {
    const target = await context.resolvePath(path, "read");
    const quoted = JSON.stringify(path);
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(target);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new Error(`Cannot read ${quoted}: no such file`);
      }
      throw new Error(`Cannot read ${quoted}: ${(error as Error).message}`);
    }
    if (info.isDirectory) {
      throw new Error(
        `Cannot read ${quoted}: it is a directory; use glob_files("*", ${quoted}) to list it`,
      );
    }
    if (!info.isFile) {
      throw new Error(`Cannot read ${quoted}: it is not a regular file`);
    }
    let file: Deno.FsFile;
    try {
      file = await Deno.open(target, { read: true });
    } catch (error) {
      throw new Error(`Cannot read ${quoted}: ${(error as Error).message}`);
    }
    const kept: Uint8Array[] | null =
      context.files && info.size <= MAX_RECORD_BYTES ? [] : null;
    let text: string;
    try {
      text = await readNumbered(file, info.size, {
        path,
        offset,
        limit: limit ?? DEFAULT_READ_LIMIT,
        limitGiven: limit !== undefined,
      }, kept);
    } finally {
      file.close();
    }
    if (context.files && kept) {
      try {
        await context.files.record(target, concatChunks(kept));
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
    return text;
  },
});

function concatChunks(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

interface Request {
  path: string;
  offset: number;
  limit: number;
  limitGiven: boolean;
}

/**
 * Reads the whole file as numbered lines; every chunk read is also pushed to
 * `kept` when given (so the caller can record what was read).
 */
async function readNumbered(
  file: Deno.FsFile,
  size: number,
  request: Request,
  kept: Uint8Array[] | null,
): Promise<string> {
  const chunks = keepChunks(readChunks(file), kept);
  const first = await chunks.next();
  const head = first.done ? new Uint8Array() : first.value;
  const encoding = detectEncoding(head);
  if (encoding === "binary") {
    if (kept) {
      for await (const _ of chunks) {
        // read to the end: keepChunks keeps every chunk for the record
      }
    }
    return `${request.path} is a binary file (${size} bytes); not shown`;
  }
  const numberer = new LineNumberer(request);
  const decoder = new TextDecoder(encoding);
  numberer.push(decoder.decode(head, { stream: true }));
  for await (const chunk of chunks) {
    numberer.push(decoder.decode(chunk, { stream: true }));
  }
  numberer.push(decoder.decode());
  return numberer.finish();
}

async function* readChunks(file: Deno.FsFile): AsyncGenerator<Uint8Array> {
  while (true) {
    const buffer = new Uint8Array(CHUNK_BYTES);
    const n = await file.read(buffer);
    if (n === null) return;
    if (n > 0) yield buffer.subarray(0, n);
  }
}

async function* keepChunks(
  chunks: AsyncGenerator<Uint8Array>,
  kept: Uint8Array[] | null,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    kept?.push(chunk);
    yield chunk;
  }
}

function detectEncoding(
  head: Uint8Array,
): "utf-8" | "utf-16le" | "utf-16be" | "binary" {
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  const sniff = head.subarray(0, SNIFF_BYTES);
  if (sniff.includes(0)) return "binary";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sniff, { stream: true });
  } catch {
    return "binary";
  }
  return "utf-8";
}

/** Splits decoded text into lines and keeps the numbered ones that fit. */
class LineNumberer {
  #request: Request;
  #out: string[] = [];
  #chars = 0;
  #full = false;
  /** Index of the line being read. */
  #index = 0;
  #line = "";
  #lineLength = 0;
  #lastCR = false;
  #lastShown = -1;

  constructor(request: Request) {
    this.#request = request;
  }

  push(text: string): void {
    let start = 0;
    while (start <= text.length) {
      const nl = text.indexOf("\n", start);
      const end = nl === -1 ? text.length : nl;
      if (end > start) this.#addPiece(text, start, end);
      if (nl === -1) return;
      this.#endLine();
      start = nl + 1;
    }
  }

  finish(): string {
    if (this.#lineLength > 0) this.#endLine();
    const total = this.#index;
    const { path, offset, limit, limitGiven } = this.#request;
    if (total === 0) return "(empty file)";
    if (offset >= total) {
      return `(no lines at offset ${offset}: the file has ${total} line${
        total === 1 ? "" : "s"
      })`;
    }
    const last = this.#lastShown + 1;
    if (last < total) {
      const limitArg = limitGiven ? `, ${limit}` : "";
      this.#out.push(
        `... (showing lines ${offset + 1}-${last} of ${total}; call read_file(${
          JSON.stringify(path)
        }, ${last}${limitArg}) to continue)`,
      );
    }
    return this.#out.join("\n");
  }

  #collecting(): boolean {
    const { offset, limit } = this.#request;
    return !this.#full && this.#index >= offset &&
      this.#index < offset + limit;
  }

  #addPiece(text: string, start: number, end: number): void {
    this.#lineLength += end - start;
    this.#lastCR = text.charCodeAt(end - 1) === 13;
    if (!this.#collecting() || this.#line.length > MAX_LINE_CHARS) return;
    const room = MAX_LINE_CHARS + 1 - this.#line.length;
    this.#line += text.slice(start, Math.min(end, start + room));
  }

  #endLine(): void {
    if (this.#collecting()) {
      let line = this.#line;
      let length = this.#lineLength;
      if (this.#lastCR) {
        length--;
        if (line.length > length) line = line.slice(0, length);
      }
      if (length > MAX_LINE_CHARS) {
        line = `${line.slice(0, MAX_LINE_CHARS)} ... [line cut: ${
          length - MAX_LINE_CHARS
        } more chars]`;
      }
      const numbered = `${String(this.#index + 1).padStart(4)}| ${line}`;
      if (
        this.#out.length > 0 &&
        this.#chars + numbered.length + 1 > MAX_READ_CHARS
      ) {
        this.#full = true;
      } else {
        this.#out.push(numbered);
        this.#chars += numbered.length + 1;
        this.#lastShown = this.#index;
      }
    }
    this.#index++;
    this.#line = "";
    this.#lineLength = 0;
    this.#lastCR = false;
  }
}
