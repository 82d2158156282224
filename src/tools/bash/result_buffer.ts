/**
 * Capture of a command's whole output up to a size, with a short preview
 * (start and end) kept whatever passes through.
 *
 * @module
 */

import { HeadTailBuffer } from "./head_tail_buffer.ts";

/** Bytes of the start and end kept for the preview of an output too big to return. */
const PREVIEW_BYTES = 4000;

/**
 * Keeps every byte pushed into it while the total stays within `maxBytes`;
 * past that it lets go of them (so memory stays bounded) and keeps only
 * a preview of the start and the end, and the count.
 *
 * @example
 * ```ts
 * import { ResultBuffer } from "./result_buffer.ts";
 * const buffer = new ResultBuffer(10);
 * buffer.push(new TextEncoder().encode("hello\n"));
 * console.log(buffer.overflowed, buffer.text()); // false "hello\n"
 * ```
 */
export class ResultBuffer {
  #chunks: Uint8Array[] = [];
  #total = 0;
  #maxBytes: number;
  #preview = new HeadTailBuffer(PREVIEW_BYTES);

  /** Keeps up to `maxBytes` bytes. */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Bytes pushed so far. */
  get totalBytes(): number {
    return this.#total;
  }

  /** True once more than `maxBytes` bytes were pushed. */
  get overflowed(): boolean {
    return this.#total > this.#maxBytes;
  }

  /** Adds bytes at the end. */
  push(chunk: Uint8Array): void {
    this.#total += chunk.length;
    this.#preview.push(chunk);
    if (this.overflowed) this.#chunks = [];
    else this.#chunks.push(chunk.slice());
  }

  /** Everything pushed, as text (invalid UTF-8 becomes U+FFFD); empty once overflowed. */
  text(): string {
    const all = new Uint8Array(this.overflowed ? 0 : this.#total);
    let at = 0;
    for (const chunk of this.#chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return new TextDecoder().decode(all);
  }

  /** The start and end of what was pushed, with the size of the middle left out. */
  preview(): string {
    return this.#preview.text();
  }
}
