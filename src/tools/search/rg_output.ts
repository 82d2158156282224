/**
 * Parses what `rg --null --line-number --column --no-heading` prints, in
 * chunks, without holding more than one long line's preview in memory.
 *
 * @module
 */

import { join } from "node:path";
import {
  type FileHits,
  type GrepHit,
  LINE_PREVIEW_BYTES,
  MATCH_BYTE_LIMIT,
} from "./backend.ts";

/** Bytes kept of an output line that spans chunks (path, numbers and the line). */
const KEEP_OUTPUT_BYTES = LINE_PREVIEW_BYTES * 2;

const BINARY_NOTICE =
  /^(.*): (?:WARNING: stopped searching binary file|binary file matches)/;

/**
 * Turns ripgrep's output into {@linkcode FileHits}, one per file, dropping
 * files ripgrep reports as binary. Relies on ripgrep printing each file's
 * lines together (it does, also when searching in parallel).
 *
 * @example
 * ```ts
 * const parser = new RipgrepOutputParser("/ws", { maxHitsPerFile: 50 });
 * parser.push(new TextEncoder().encode("a.ts\u00003:5:x = TODO\n"));
 * parser.finish();
 * parser.take(); // [{ path: "/ws/a.ts", total: 1, hits: [...] }]
 * ```
 */
export class RipgrepOutputParser {
  #cwd: string;
  #maxHits: number;
  #include?: (path: string) => boolean;
  #decoder = new TextDecoder();
  #ready: FileHits[] = [];
  #current: FileHits | null = null;
  #currentPath: Uint8Array = new Uint8Array();
  #skip = false;
  #partial: Uint8Array[] = [];
  #partialLength = 0;
  #partialCut = false;

  /** `cwd` is where ripgrep ran; printed paths are relative to it. */
  constructor(
    cwd: string,
    options: { maxHitsPerFile: number; include?: (path: string) => boolean },
  ) {
    this.#cwd = cwd;
    this.#maxHits = options.maxHitsPerFile;
    this.#include = options.include;
  }

  /** Feeds the next chunk of output. */
  push(chunk: Uint8Array): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      if (this.#partialLength > 0 || this.#partialCut) {
        this.#keep(piece);
        this.#takePartial();
      } else {
        this.#line(piece, true);
      }
      start = nl + 1;
    }
    if (start < chunk.length) this.#keep(chunk.subarray(start));
  }

  /** Ends the output: the last line and file are completed. */
  finish(): void {
    if (this.#partialLength > 0 || this.#partialCut) this.#takePartial();
    this.#flush();
  }

  /** Returns and forgets the files completed so far. */
  take(): FileHits[] {
    const ready = this.#ready;
    this.#ready = [];
    return ready;
  }

  #keep(piece: Uint8Array): void {
    const room = KEEP_OUTPUT_BYTES - this.#partialLength;
    if (piece.length > room) this.#partialCut = true;
    if (room <= 0) return;
    const part = piece.slice(0, room);
    this.#partial.push(part);
    this.#partialLength += part.length;
  }

  #takePartial(): void {
    const bytes = new Uint8Array(this.#partialLength);
    let offset = 0;
    for (const part of this.#partial) {
      bytes.set(part, offset);
      offset += part.length;
    }
    const complete = !this.#partialCut;
    this.#partial = [];
    this.#partialLength = 0;
    this.#partialCut = false;
    this.#line(bytes, complete);
  }

  #flush(): void {
    if (this.#current && this.#current.total > 0) {
      this.#ready.push(this.#current);
    }
    this.#current = null;
  }

  #line(bytes: Uint8Array, complete: boolean): void {
    const nul = bytes.indexOf(0);
    if (nul === -1) {
      const text = this.#decoder.decode(bytes.subarray(0, 8192));
      const notice = BINARY_NOTICE.exec(text);
      if (notice && this.#current?.path === join(this.#cwd, notice[1])) {
        this.#current = null;
      }
      return;
    }
    if (!this.#current || !this.#samePath(bytes, nul)) {
      this.#flush();
      const path = join(
        this.#cwd,
        this.#decoder.decode(bytes.subarray(0, nul)),
      );
      this.#current = { path, hits: [], total: 0 };
      this.#currentPath = bytes.slice(0, nul);
      this.#skip = this.#include ? !this.#include(path) : false;
    }
    if (this.#skip) return;
    const current = this.#current;
    if (current.hits.length >= this.#maxHits) {
      current.total++;
      return;
    }
    const hit = this.#parseHit(bytes.subarray(nul + 1), complete);
    if (hit) {
      current.total++;
      current.hits.push(hit);
    }
  }

  #samePath(bytes: Uint8Array, nul: number): boolean {
    const path = this.#currentPath;
    if (path.length !== nul) return false;
    for (let i = nul - 1; i >= 0; i--) if (path[i] !== bytes[i]) return false;
    return true;
  }

  /** Parses `LINE:COLUMN:text`. */
  #parseHit(bytes: Uint8Array, complete: boolean): GrepHit | null {
    const head = /^(\d+):(\d+):/.exec(
      this.#decoder.decode(bytes.subarray(0, 48)),
    );
    if (!head) return null;
    let text = bytes.subarray(head[0].length);
    if (complete && text[text.length - 1] === 0x0d) {
      text = text.subarray(0, -1);
    }
    const matchByte = Number(head[2]) - 1;
    const matchStart = matchByte <= MATCH_BYTE_LIMIT
      ? this.#decoder.decode(text.subarray(0, matchByte)).length
      : null;
    return {
      line: Number(head[1]),
      text: this.#decoder.decode(text.subarray(0, LINE_PREVIEW_BYTES)),
      matchStart,
    };
  }
}
