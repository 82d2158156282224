/**
 * The main thread of the sandbox process. It owns the pipe to the agent
 * (frames on stdin and stdout), starts the permission-less worker that runs
 * cells, and bridges the worker's synchronous host calls: the worker blocks
 * in `Atomics.wait` on a shared buffer while this thread forwards the call
 * to the agent and copies the reply into that buffer chunk by chunk.
 *
 * `hostMain` must stay self-contained: `bootstrap.ts` embeds its source text
 * and passes the frame codec in as arguments.
 *
 * @module
 */

import type { encodeFrame, FrameDecoder } from "./frames.ts";

/**
 * Entry point of the sandbox process.
 *
 * @example
 * ```ts ignore
 * // Embedded as text by bootstrap.ts, never called in the agent process:
 * const source = `(${hostMain.toString()})(Decoder, encode, workerSrc, 1 << 20);`;
 * ```
 */
export function hostMain(
  Decoder: typeof FrameDecoder,
  encode: typeof encodeFrame,
  workerSource: string,
  sharedBytes: number,
): void {
  const denoNs = Deno;
  const encoder = new TextEncoder();
  const sab = new SharedArrayBuffer(16 + sharedBytes);
  const ctl = new Int32Array(sab, 0, 4);
  const data = new Uint8Array(sab, 16);
  const stdout = denoNs.stdout;
  const stdin = denoNs.stdin;

  function send(kind: string, payload: Uint8Array): void {
    const frame = encode(kind, payload);
    let written = 0;
    while (written < frame.length) {
      written += stdout.writeSync(frame.subarray(written));
    }
  }

  const worker = new Worker(
    "data:text/javascript," + encodeURIComponent(workerSource),
    {
      type: "module",
      name: "nanocode-cell",
      deno: { permissions: "none" },
    } as WorkerOptions,
  );

  let pendingCid = 0;
  let reply: Uint8Array | null = null;
  let replyOffset = 0;

  function deliverChunk(): void {
    if (!reply) return;
    const size = Math.min(data.length, reply.length - replyOffset);
    data.set(reply.subarray(replyOffset, replyOffset + size));
    replyOffset += size;
    ctl[1] = reply.length;
    ctl[2] = size;
    if (replyOffset >= reply.length) {
      reply = null;
      pendingCid = 0;
    }
    Atomics.store(ctl, 0, 1);
    Atomics.notify(ctl, 0);
  }

  worker.onmessage = (event: MessageEvent) => {
    const message = event.data as [string, ...unknown[]];
    const kind = message[0];
    if (kind === "C") {
      pendingCid = message[1] as number;
      send("C", encoder.encode(message[2] as string));
    } else if (kind === "M") {
      if (reply) deliverChunk();
    } else {
      send(kind, encoder.encode(message[1] as string));
    }
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    send("F", encoder.encode(JSON.stringify({ message: event.message })));
  };
  worker.postMessage(sab);

  async function pump(): Promise<void> {
    const decoder = new Decoder(0x7fffffff);
    const buffer = new Uint8Array(1 << 16);
    for (;;) {
      const n = await stdin.read(buffer);
      if (n === null) break;
      for (const frame of decoder.push(buffer.slice(0, n))) {
        if (frame.kind === "R") {
          worker.postMessage(["R", new TextDecoder().decode(frame.payload)]);
        } else if (frame.kind === "P") {
          const view = new DataView(
            frame.payload.buffer,
            frame.payload.byteOffset,
            4,
          );
          if (view.getUint32(0) !== pendingCid || reply) continue;
          reply = frame.payload.subarray(4);
          replyOffset = 0;
          deliverChunk();
        }
      }
    }
    denoNs.exit(0);
  }
  void pump();
}
