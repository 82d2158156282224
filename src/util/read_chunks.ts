/**
 * Reading a child's pipe chunk by chunk into a buffer that is used again:
 * a stream's default reader allocates a fresh 64 KiB buffer for every read,
 * which on a pipe carrying one small message per read (a host call, an MCP
 * reply) is an allocation and garbage for each message.
 *
 * @module
 */

/**
 * Reads `stream` until it ends, handing each chunk to `onChunk`. The
 * chunk's bytes live in a buffer that the next read fills again, unless
 * `onChunk` returns `true` (it keeps a view of them): then the next read
 * gets a new buffer. A stream that is not a byte stream is read with its
 * default reader (every chunk is then the caller's).
 *
 * @example
 * ```ts
 * import { readChunks } from "./read_chunks.ts";
 * const child = new Deno.Command("echo", { args: ["hi"], stdout: "piped" }).spawn();
 * let text = "";
 * await readChunks(child.stdout, 1024, (chunk) => {
 *   text += new TextDecoder().decode(chunk);
 *   return false;
 * });
 * await child.status;
 * console.log(text); // "hi\n"
 * ```
 */
export async function readChunks(
  stream: ReadableStream<Uint8Array>,
  size: number,
  onChunk: (chunk: Uint8Array) => boolean | Promise<boolean>,
): Promise<void> {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = stream.getReader({ mode: "byob" });
  } catch {
    for await (const chunk of stream) {
      const kept = onChunk(chunk);
      if (kept instanceof Promise) await kept;
    }
    return;
  }
  let buffer = new ArrayBuffer(size);
  for (;;) {
    const { value, done } = await reader.read(new Uint8Array(buffer));
    if (done || !value) return;
    let kept = onChunk(value);
    if (kept instanceof Promise) kept = await kept;
    buffer = kept ? new ArrayBuffer(size) : value.buffer as ArrayBuffer;
  }
}
