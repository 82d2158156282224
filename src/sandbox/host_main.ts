/**
 * The main thread of the sandbox process. It owns the pipe to the agent
 * (frames on stdin and stdout), starts the permission-less worker that runs
 * cells, and bridges the worker's synchronous host calls: the worker blocks
 * in `Atomics.wait` on a shared buffer while this thread forwards the call
 * to the agent and copies the reply into that buffer chunk by chunk.
 *
 * Two things keep cell code from speaking for this thread. The first frame
 * from the agent is a random key, read before any cell can run (cells come
 * later on the same pipe); every frame sent back starts with it, so bytes a
 * cell manages to write to stdout by itself never pass as a message. And
 * the worker bootstrap talks to this thread over a private `MessagePort`
 * handed over first thing; the worker's global channel, which cell code
 * could post to, is ignored.
 *
 * Where the agent cannot watch the process's resident memory from outside
 * (no `/proc`), this thread watches it and reports a breach of the limit,
 * so the agent can replace the sandbox.
 *
 * `hostMain` must stay self-contained: `bootstrap.ts` embeds its source text
 * and passes the frame encoder in as an argument.
 *
 * @module
 */

import type { encodeFrameHeader } from "./frames.ts";

/** Settings of the sandbox's main thread. */
export interface HostSettings {
  /** Size of the buffer a host-call reply is copied through, in bytes. */
  sharedBytes: number;
  /** Resident memory of the whole process that counts as a breach, in bytes. */
  memoryBytes: number;
  /**
   * Whether this thread watches the memory itself: only when the agent
   * cannot watch it from outside (no `/proc`).
   */
  selfWatch: boolean;
  /**
   * Whether the worker loads from a `blob:` URL (Deno then skips analysing
   * it as a module graph, a few milliseconds of start-up) rather than a
   * `data:` URL. Off in a compiled binary, whose loader had no `blob:`
   * support until recently (denoland/deno#29962).
   */
  blobWorker?: boolean;
}

/** Bytes of the key that starts every frame the sandbox sends. */
export const FRAME_KEY_BYTES = 16;

/**
 * Entry point of the sandbox process.
 *
 * @example
 * ```ts ignore
 * // Embedded as text by bootstrap.ts, never called in the agent process:
 * const source = `(${hostMain.toString()})(header, workerSrc, settings);`;
 * ```
 */
export function hostMain(
  header: typeof encodeFrameHeader,
  workerSource: string,
  settings: HostSettings,
): void {
  const denoNs = Deno;
  const encoder = new TextEncoder();
  const keyBytes = 16;
  const sab = new SharedArrayBuffer(16 + settings.sharedBytes);
  const ctl = new Int32Array(sab, 0, 4);
  const data = new Uint8Array(sab, 16);
  const stdout = denoNs.stdout;
  const stdin = denoNs.stdin;
  let key = new Uint8Array(0);

  function writeAll(bytes: Uint8Array): void {
    let written = 0;
    while (written < bytes.length) {
      written += stdout.writeSync(bytes.subarray(written));
    }
  }

  /** Frames to send once the key is known. */
  let held: [string, Uint8Array][] | null = [];

  function send(kind: string, payload: Uint8Array): void {
    if (held) {
      held.push([kind, payload]);
      return;
    }
    const frame = new Uint8Array(5 + key.length + payload.length);
    frame.set(header(kind, key.length + payload.length));
    frame.set(key, 5);
    frame.set(payload, 5 + key.length);
    writeAll(frame);
  }

  const fatal = (message: string, extra: Record<string, unknown> = {}) =>
    send("F", encoder.encode(JSON.stringify({ message, ...extra })));

  let pendingCid = 0;
  let reply: Uint8Array | null = null;
  let replyOffset = 0;
  let port: MessagePort | null = null;

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

  // Only the bootstrap holds the other end of the port. The agent
  // validates every message again.
  function onPortMessage(event: MessageEvent): void {
    const message = event.data as unknown;
    if (!Array.isArray(message)) return;
    const [kind, first, second] = message;
    if (
      kind === "C" && typeof first === "number" && typeof second === "string" &&
      pendingCid === 0
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
  }

  // Python's files (an "A" frame, once), as bytes: the worker reads nothing
  // itself. Held until the bootstrap's port is there.
  let assets: Uint8Array | null = null;
  function deliverAssets(): void {
    if (!port || !assets || assets.length === 0) return;
    const buffer = assets.buffer as ArrayBuffer;
    port.postMessage(["A", buffer], [buffer]);
    assets = new Uint8Array(0);
  }

  function startWorker(): void {
    // A blob: URL is revoked once the bootstrap runs.
    const url = settings.blobWorker
      ? URL.createObjectURL(
        new Blob([workerSource], { type: "text/javascript" }),
      )
      : "data:text/javascript," + encodeURIComponent(workerSource);
    const worker = new Worker(url, {
      type: "module",
      name: "nanocode-cell",
      deno: { permissions: "none" },
    } as WorkerOptions);
    // The shared buffer goes first, waiting for the bootstrap when it
    // starts (no round trip). The first message back is the bootstrap's
    // port; the global channel is ignored from then on.
    worker.postMessage(sab);
    worker.onmessage = (event: MessageEvent) => {
      if (port || !(event.data instanceof MessagePort)) return;
      if (settings.blobWorker) URL.revokeObjectURL(url);
      port = event.data;
      port.onmessage = onPortMessage;
      deliverAssets();
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      fatal(event.message);
    };
  }

  startWorker();

  // The whole process's memory (ArrayBuffers and other memory outside the
  // JavaScript heap included), where the agent cannot watch it from
  // outside. (Set up when the first cell comes: the first timer costs a few
  // milliseconds the start-up need not wait for.)
  let watching = !settings.selfWatch;
  function watchMemory(): void {
    if (watching) return;
    watching = true;
    const check = setInterval(() => {
      const rss = denoNs.memoryUsage().rss;
      if (rss > settings.memoryBytes) {
        clearInterval(check);
        fatal("memory limit exceeded", { rss });
      }
    }, 200);
  }

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
      if (kind !== "K" && kind !== "R" && kind !== "P" && kind !== "A") break;
      const payload = new Uint8Array(length);
      if (!await fill(payload)) break;
      if (kind === "K") {
        // The key comes first, before any cell; it is never accepted twice.
        if (key.length || length !== keyBytes) break;
        key = payload;
        const waiting = held!;
        held = null;
        for (const [k, p] of waiting) send(k, p);
      } else if (kind === "A") {
        if (assets || !key.length) break;
        assets = payload;
        deliverAssets();
      } else if (!port || !key.length) {
        break;
      } else if (kind === "R") {
        port.postMessage(["R", text.decode(payload)]);
        watchMemory();
      } else {
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
