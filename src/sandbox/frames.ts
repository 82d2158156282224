/**
 * Length-prefixed frames for the pipe between the agent and the sandbox
 * process.
 *
 * A frame is a 4-byte big-endian payload length, one kind byte, then the
 * payload. Framing by length means a 5 MB message is copied once instead of
 * being rescanned for newlines as it arrives.
 *
 * Both classes here are self-contained (no imports, no outer references) on
 * purpose: the sandbox bootstrap embeds their source text, so the child
 * process speaks the same codec without loading any module.
 *
 * @module
 */

/** One decoded frame: its kind byte as a one-letter string, and its payload. */
export interface Frame {
  kind: string;
  payload: Uint8Array;
}

/**
 * Encodes one frame.
 *
 * @example
 * ```ts
 * const bytes = encodeFrame("R", new TextEncoder().encode("{}"));
 * console.log(bytes.length); // 7
 * ```
 */
export function encodeFrame(kind: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length);
  out[4] = kind.charCodeAt(0);
  out.set(payload, 5);
  return out;
}

/**
 * Encodes only the 5-byte header of a frame whose payload of `length` bytes
 * is written separately (so a large payload is never copied).
 *
 * @example
 * ```ts
 * const header = encodeFrameHeader("P", 5_000_000);
 * console.log(header.length); // 5
 * ```
 */
export function encodeFrameHeader(kind: string, length: number): Uint8Array {
  const out = new Uint8Array(5);
  new DataView(out.buffer).setUint32(0, length);
  out[4] = kind.charCodeAt(0);
  return out;
}

/**
 * Incremental frame decoder: push chunks as they arrive from a pipe, get
 * back every frame completed so far. Each byte is copied at most twice
 * (into the chunk list, then into its frame), whatever the chunking.
 *
 * @example
 * ```ts
 * const decoder = new FrameDecoder(1024);
 * const bytes = encodeFrame("D", new Uint8Array([1, 2, 3]));
 * console.log(decoder.push(bytes.subarray(0, 2)).length); // 0
 * console.log(decoder.push(bytes.subarray(2))[0].kind); // "D"
 * ```
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private bufferedBytes = 0;
  private maxPayload: number;

  /** `maxPayload` bounds a single frame; a larger one throws `RangeError`. */
  constructor(maxPayload: number) {
    this.maxPayload = maxPayload;
  }

  /** Adds a chunk and returns the frames it completed, in order. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
    }
    while (this.bufferedBytes >= 5) {
      const head = this.peek(5);
      const length = new DataView(head.buffer, head.byteOffset, 5)
        .getUint32(0);
      if (length > this.maxPayload) {
        throw new RangeError(
          `frame of ${length} bytes exceeds the ${this.maxPayload} byte limit`,
        );
      }
      if (this.bufferedBytes < 5 + length) break;
      const whole = this.take(5 + length);
      frames.push({
        kind: String.fromCharCode(whole[4]),
        payload: whole.subarray(5),
      });
    }
    return frames;
  }

  /** Bytes received that do not yet form a whole frame. */
  get buffered(): number {
    return this.bufferedBytes;
  }

  private peek(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first.length >= n) return first.subarray(0, n);
    const out = new Uint8Array(n);
    let filled = 0;
    for (const chunk of this.chunks) {
      const part = chunk.subarray(0, n - filled);
      out.set(part, filled);
      filled += part.length;
      if (filled === n) break;
    }
    return out;
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first.length >= n) {
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.bufferedBytes -= n;
      return out.slice();
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.chunks[0];
      const want = n - filled;
      if (chunk.length <= want) {
        out.set(chunk, filled);
        filled += chunk.length;
        this.chunks.shift();
      } else {
        out.set(chunk.subarray(0, want), filled);
        this.chunks[0] = chunk.subarray(want);
        filled = n;
      }
    }
    this.bufferedBytes -= n;
    return out;
  }
}
