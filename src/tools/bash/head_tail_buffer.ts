/**
 * Bounded capture of a byte stream: the start and the end are kept, the
 * middle is counted.
 *
 * @module
 */

/**
 * Keeps the first `maxBytes / 2` and the last `maxBytes / 2` bytes pushed
 * into it, in constant memory, however much passes through.
 *
 * @example
 * ```ts
 * const buffer = new HeadTailBuffer(4);
 * buffer.push(new TextEncoder().encode("abcdefgh"));
 * buffer.text(); // "ab\n... [4 bytes omitted] ...\ngh"
 * ```
 */
export class HeadTailBuffer {
  #head: Uint8Array;
  #headLength = 0;
  #tail: Uint8Array;
  #tailStart = 0;
  #tailLength = 0;
  #total = 0;

  /** Keeps at most `maxBytes` bytes: half from the start, half from the end. */
  constructor(maxBytes: number) {
    const headMax = Math.floor(maxBytes / 2);
    this.#head = new Uint8Array(headMax);
    this.#tail = new Uint8Array(maxBytes - headMax);
  }

  /** Bytes pushed so far. */
  get totalBytes(): number {
    return this.#total;
  }

  /** Adds bytes at the end. */
  push(chunk: Uint8Array): void {
    this.#total += chunk.length;
    const room = this.#head.length - this.#headLength;
    if (room > 0) {
      const part = chunk.subarray(0, room);
      this.#head.set(part, this.#headLength);
      this.#headLength += part.length;
      chunk = chunk.subarray(part.length);
    }
    const size = this.#tail.length;
    if (chunk.length === 0 || size === 0) return;
    if (chunk.length >= size) {
      this.#tail.set(chunk.subarray(chunk.length - size));
      this.#tailStart = 0;
      this.#tailLength = size;
      return;
    }
    let end = (this.#tailStart + this.#tailLength) % size;
    for (let i = 0; i < chunk.length;) {
      const n = Math.min(chunk.length - i, size - end);
      this.#tail.set(chunk.subarray(i, i + n), end);
      i += n;
      end = (end + n) % size;
    }
    const length = this.#tailLength + chunk.length;
    if (length > size) {
      this.#tailStart = (this.#tailStart + length - size) % size;
      this.#tailLength = size;
    } else {
      this.#tailLength = length;
    }
  }

  /**
   * The kept bytes as text (invalid UTF-8 becomes U+FFFD), with a line
   * `... [N bytes omitted] ...` where bytes were dropped. Cuts fall on
   * character boundaries.
   */
  text(): string {
    let head = this.#head.subarray(0, this.#headLength);
    let tail = this.#tailBytes();
    const decoder = new TextDecoder();
    let omitted = this.#total - head.length - tail.length;
    if (omitted === 0) {
      const all = new Uint8Array(head.length + tail.length);
      all.set(head);
      all.set(tail, head.length);
      return decoder.decode(all);
    }
    const headCut = incompleteTail(head);
    head = head.subarray(0, head.length - headCut);
    let tailCut = 0;
    while (tailCut < 3 && (tail[tailCut] & 0xc0) === 0x80) tailCut++;
    tail = tail.subarray(tailCut);
    omitted += headCut + tailCut;
    return `${decoder.decode(head)}\n... [${omitted} bytes omitted] ...\n${
      decoder.decode(tail)
    }`;
  }

  #tailBytes(): Uint8Array {
    const size = this.#tail.length;
    const out = new Uint8Array(this.#tailLength);
    const first = Math.min(this.#tailLength, size - this.#tailStart);
    out.set(this.#tail.subarray(this.#tailStart, this.#tailStart + first));
    out.set(this.#tail.subarray(0, this.#tailLength - first), first);
    return out;
  }
}

/** Number of bytes at the end of `bytes` that start an unfinished UTF-8 character. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back];
    if ((byte & 0xc0) === 0x80) continue;
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}
