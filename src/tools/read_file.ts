/**
 * `read_file(path, offset?, limit?)`: numbered lines of a text file.
 *
 * @module
 */

import { z } from "zod";
import { defineTool } from "./define.ts";
import { MAX_RESULT_BYTES, TOOL_SPECS } from "./specs.ts";
export { MAX_RESULT_BYTES };
import type { Tool } from "./types.ts";
/** Bytes at the start of a file checked for NUL bytes and invalid UTF-8. */
const SNIFF_BYTES = 8192;
const CHUNK_BYTES = 65536;
/** Files larger than this are not recorded in `context.files` (memory). */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/**
 * The `read_file` tool. Lines are numbered `String(n).padStart(4) + "| "`,
 * from 1, and returned whole (no line is cut); `offset` is the 0-based
 * index of the first line. Without `limit` the result runs to the end of
 * the file; a file (or the part from `offset`) of more than
 * {@linkcode MAX_RESULT_BYTES} is an error saying how to read it in parts,
 * never a silent cut. With `limit`, reading stops after that many lines
 * (the rest of the file is not read) and, when lines remain, the result
 * ends with `... (showing lines 1-100; more follow: call
 * read_file("a.ts", 100, 100) to continue)`. Binary files give `a.png is a
 * binary file (12345 bytes); not shown`; an empty file gives `(empty
 * file)`. UTF-16 files with a byte order mark are decoded. With
 * `context.files`, a file read to its end is recorded there (its bytes, up
 * to 64 MiB), one read in part by its size and time, so a later write or
 * edit can tell whether the file changed on disk since.
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
  maxOutputChars: Infinity,
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
    if (limit === undefined && offset === 0 && info.size > MAX_RESULT_BYTES) {
      throw new Error(
        `Cannot read ${quoted} whole: it is ${
          megabytes(info.size)
        }, more than the ${
          megabytes(MAX_RESULT_BYTES)
        } read_file returns at once; read it in parts with read_file(${quoted}, offset, limit), e.g. read_file(${quoted}, 0, 1000), or search it with grep_files`,
      );
    }
    let file: Deno.FsFile;
    try {
      file = await Deno.open(target, { read: true });
    } catch (error) {
      throw new Error(`Cannot read ${quoted}: ${(error as Error).message}`);
    }
    const kept: Uint8Array[] | null =
      context.files && info.size <= MAX_RECORD_BYTES ? [] : null;
    let read: { text: string; complete: boolean };
    try {
      read = await readNumbered(file, info.size, {
        path,
        offset,
        limit: limit ?? Infinity,
      }, kept);
    } finally {
      file.close();
    }
    try {
      if (context.files && kept && read.complete) {
        await context.files.record(target, concatChunks(kept));
      } else if (!read.complete) {
        await context.files?.recordPart?.(target);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return read.text;
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
}

/** `12.3 MB` (decimal megabytes; whole numbers without a decimal). */
function megabytes(bytes: number): string {
  const mb = bytes / 1e6;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}

/**
 * Reads numbered lines until the request is met or the file ends; every
 * chunk read is also pushed to `kept` when given (so the caller can record
 * what was read). `complete` is false when reading stopped before the end.
 */
async function readNumbered(
  file: Deno.FsFile,
  size: number,
  request: Request,
  kept: Uint8Array[] | null,
): Promise<{ text: string; complete: boolean }> {
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
    return {
      text: `${request.path} is a binary file (${size} bytes); not shown`,
      complete: kept !== null,
    };
  }
  const numberer = new LineNumberer(request);
  const decoder = new TextDecoder(encoding);
  let text = decoder.decode(head, { stream: true });
  while (true) {
    const used = numberer.push(text);
    if (numberer.done) {
      // Stopped early: say whether any text follows what was taken.
      let more = used < text.length;
      while (!more) {
        const next = await chunks.next();
        if (next.done) break;
        more = decoder.decode(next.value, { stream: true }).length > 0;
      }
      return { text: numberer.finish(more), complete: !more };
    }
    const next = await chunks.next();
    if (next.done) break;
    text = decoder.decode(next.value, { stream: true });
  }
  numberer.push(decoder.decode());
  return { text: numberer.finish(false), complete: true };
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

/** Splits decoded text into lines and numbers the ones asked for, whole. */
class LineNumberer {
  #request: Request;
  #out: string[] = [];
  /** Characters of the lines taken so far (without their numbers). */
  #chars = 0;
  /** Index of the line being read. */
  #index = 0;
  /** The line being read, when it is one to take. */
  #line = "";
  /** Whether the line being read has any character yet. */
  #started = false;

  constructor(request: Request) {
    this.#request = request;
  }

  /** True once every line asked for has been taken. */
  get done(): boolean {
    return this.#index >= this.#request.offset + this.#request.limit;
  }

  /** Takes lines from `text`; returns how many characters it used (all of them unless done). */
  push(text: string): number {
    let start = 0;
    while (start < text.length) {
      if (this.done) return start;
      const nl = text.indexOf("\n", start);
      const end = nl === -1 ? text.length : nl;
      if (end > start) {
        this.#started = true;
        if (this.#index >= this.#request.offset) {
          this.#line += text.slice(start, end);
          this.#checkSize(end - start);
        }
      }
      if (nl === -1) return text.length;
      this.#endLine();
      start = nl + 1;
    }
    return text.length;
  }

  /** The result; `more` says lines follow the last one taken. */
  finish(more: boolean): string {
    if (this.#started && !this.done) this.#endLine();
    const total = this.#index;
    const { path, offset, limit } = this.#request;
    if (total === 0) return "(empty file)";
    if (offset >= total) {
      return `(no lines at offset ${offset}: the file has ${total} line${
        total === 1 ? "" : "s"
      })`;
    }
    if (more) {
      const last = offset + this.#out.length;
      this.#out.push(
        `... (showing lines ${
          offset + 1
        }-${last}; more follow: call read_file(${
          JSON.stringify(path)
        }, ${last}, ${limit}) to continue)`,
      );
    }
    return this.#out.join("\n");
  }

  #checkSize(added: number): void {
    this.#chars += added + 1;
    if (this.#chars <= MAX_RESULT_BYTES) return;
    const { path, offset } = this.#request;
    const quoted = JSON.stringify(path);
    throw new Error(
      `Cannot read ${quoted} from line ${
        offset + 1
      }: the lines asked for come to more than the ${
        megabytes(MAX_RESULT_BYTES)
      } read_file returns at once; pass a limit, e.g. read_file(${quoted}, ${offset}, 1000), or search it with grep_files`,
    );
  }

  #endLine(): void {
    if (this.#index >= this.#request.offset) {
      const line = this.#line.endsWith("\r")
        ? this.#line.slice(0, -1)
        : this.#line;
      this.#out.push(`${String(this.#index + 1).padStart(4)}| ${line}`);
    }
    this.#index++;
    this.#line = "";
    this.#started = false;
  }
}
