/**
 * The main thread of the sandbox process. It owns the pipe to the agent
 * (frames on stdin and stdout), starts the permission-less worker that runs
 * cells, and bridges the worker's synchronous host calls: the worker blocks
 * in `Atomics.wait` on a shared buffer while this thread forwards the call
 * to the agent and copies the reply into that buffer chunk by chunk.
 *
 * `hostMain` must stay self-contained: `bootstrap.ts` embeds its source text
 * and passes the frame encoder in as an argument.
 *
 * @module
 */

import type { encodeFrame } from "./frames.ts";

/**
 * Entry point of the sandbox process.
 *
 * @example
 * ```ts ignore
 * // Embedded as text by bootstrap.ts, never called in the agent process:
 * const source = `(${hostMain.toString()})(encode, workerSrc, 1 << 20);`;
 * ```
 */
export function hostMain(
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

  // Cell code can call postMessage itself: forward only well-formed
  // messages of the kinds the worker bootstrap sends. The agent validates
  // the contents again.
  worker.onmessage = (event: MessageEvent) => {
    const message = event.data as unknown;
    if (!Array.isArray(message)) return;
    const [kind, first, second] = message;
    if (
      kind === "C" && typeof first === "number" && typeof second === "string"
    ) {
      pendingCid = first;
      send("C", encoder.encode(second));
    } else if (kind === "M") {
      if (reply) deliverChunk();
    } else if (
      (kind === "O" || kind === "D" || kind === "Y" || kind === "F") &&
      typeof first === "string"
    ) {
      send(kind, encoder.encode(first));
    } else if (kind === "S" && first instanceof Uint8Array) {
      send("S", first); // a Python snapshot (the agent checks when it may come)
    }
  };
  worker.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    send("F", encoder.encode(JSON.stringify({ message: event.message })));
  };
  worker.postMessage(sab);

  // Frames from the agent are read straight into a buffer of their final
  // size: a 5 MB reply is copied from the pipe once, not chunk by chunk.
  const spare = new Uint8Array(1 << 16);
  let spareStart = 0;
  let spareEnd = 0;

  async function fill(target: Uint8Array): Promise<boolean> {
    let filled = Math.min(spareEnd - spareStart, target.length);
    target.set(spare.subarray(spareStart, spareStart + filled));
    spareStart += filled;
    while (filled < target.length) {
      if (target.length - filled >= spare.length) {
        const n = await stdin.read(target.subarray(filled));
        if (n === null) return false;
        filled += n;
      } else {
        const n = await stdin.read(spare);
        if (n === null) return false;
        const take = Math.min(n, target.length - filled);
        target.set(spare.subarray(0, take), filled);
        filled += take;
        spareStart = take;
        spareEnd = n;
      }
    }
    return true;
  }

  async function pump(): Promise<void> {
    const head = new Uint8Array(5);
    const text = new TextDecoder();
    while (await fill(head)) {
      const length = new DataView(head.buffer).getUint32(0);
      const kind = String.fromCharCode(head[4]);
      const payload = new Uint8Array(length);
      if (!await fill(payload)) break;
      if (kind === "R") {
        worker.postMessage(["R", text.decode(payload)]);
      } else if (kind === "A") {
        // Python's files, as bytes: the worker reads nothing itself.
        worker.postMessage(["A", payload.buffer], [payload.buffer]);
      } else if (kind === "P") {
        const cid = new DataView(payload.buffer).getUint32(0);
        if (cid !== pendingCid || reply) continue;
        reply = payload.subarray(4);
        replyOffset = 0;
        deliverChunk();
      }
    }
    denoNs.exit(0);
  }
  void pump();
}
