/**
 * Reads and searches one file for the built-in search back end.
 *
 * `FileSearch` is self-contained (no outer references) on purpose: the
 * search child process embeds its source text (see `search_child.ts`).
 *
 * @module
 */

import type { FileHits } from "./backend.ts";
import type { LineSearch } from "./line_search.ts";

/**
 * Searches files one at a time with a {@linkcode LineSearch}. Files that
 * contain a NUL character (after decoding) are binary and give `null`, as
 * do unreadable ones. Files with a UTF-16 byte order mark are decoded as
 * UTF-16, others as UTF-8 (BOM dropped, invalid bytes become U+FFFD).
 *
 * A file smaller than 256 KiB is read with a few synchronous
 * calls into a reused buffer and searched at once: for the many small
 * files of a source tree, that costs a fraction of asynchronous calls (the
 * caller should let the event loop run now and then). A bigger file is
 * read on asynchronously in chunks, and its result is a promise; the
 * caller must wait for it before searching the next file.
 *
 * @example
 * ```ts
 * const files = new FileSearch(new LineSearch(/TODO/u, 50, limits));
 * const hits = await files.search("/ws/a.ts");
 * ```
 */
export class FileSearch {
  readonly #lines: LineSearch;
  /** Files smaller than this are read whole, synchronously; others in chunks. */
  readonly #buffer = new Uint8Array(1 << 18);
  readonly #utf8 = new TextDecoder();

  /** Searches with `lines`; one instance searches one file at a time. */
  constructor(lines: LineSearch) {
    this.#lines = lines;
  }

  /** The matches in `path`; `null` when it is binary or unreadable. */
  search(path: string): FileHits | null | Promise<FileHits | null> {
    let file: Deno.FsFile;
    try {
      file = Deno.openSync(path, { read: true });
    } catch {
      return null;
    }
    let streaming = false;
    try {
      const buffer = this.#buffer;
      let size = 0;
      while (size < buffer.length) {
        const n = file.readSync(buffer.subarray(size));
        if (n === null) break;
        size += n;
      }
      if (size < buffer.length) {
        return this.#searchWhole(path, buffer.subarray(0, size));
      }
      streaming = true;
      return this.#searchStream(path, file).catch(() => null).finally(() =>
        file.close()
      );
    } catch {
      return null;
    } finally {
      if (!streaming) file.close();
    }
  }

  #searchWhole(path: string, bytes: Uint8Array): FileHits | null {
    const encoding = FileSearch.#encodingOf(bytes);
    let text: string;
    if (encoding === "utf-8") {
      if (bytes.indexOf(0) !== -1) return null;
      text = this.#utf8.decode(bytes);
    } else {
      text = new TextDecoder(encoding).decode(bytes);
      if (text.includes("\0")) return null;
    }
    const result: FileHits = { path, hits: [], total: 0 };
    this.#lines.search(text, result, 0, false);
    return result;
  }

  /** Searches a file whose first 256 KiB are in the buffer. */
  async #searchStream(
    path: string,
    file: Deno.FsFile,
  ): Promise<FileHits | null> {
    const buffer = this.#buffer;
    const decoder = new TextDecoder(FileSearch.#encodingOf(buffer));
    const result: FileHits = { path, hits: [], total: 0 };
    let line = 0;
    let pending = "";
    let bytes = buffer;
    while (true) {
      const text = decoder.decode(bytes, { stream: true });
      if (text.includes("\0")) return null;
      const nl = text.lastIndexOf("\n");
      if (nl === -1) {
        pending += text;
      } else {
        const lines = pending + text.slice(0, nl + 1);
        line = this.#lines.search(lines, result, line, true);
        pending = text.slice(nl + 1);
      }
      const n = await file.read(buffer);
      if (n === null) break;
      bytes = buffer.subarray(0, n);
    }
    const rest = decoder.decode();
    if (rest.includes("\0")) return null;
    this.#lines.search(pending + rest, result, line, false);
    return result;
  }

  static #encodingOf(head: Uint8Array): string {
    if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
    if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
    return "utf-8";
  }
}
