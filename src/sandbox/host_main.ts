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
  // The shared buffer: 8 control integers, then the data. 0: a reply (or
  // its next chunk) is there; 1, 2: its total and chunk size; 3: a host
  // call is there; 4, 5, 6: its id, size and how many port messages the
  // worker posted before it.
  const sab = new SharedArrayBuffer(32 + settings.sharedBytes);
  const ctl = new Int32Array(sab, 0, 8);
  const data = new Uint8Array(sab, 32);
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

  /** Forwards a host call to the agent (one at a time). */
  function call(cid: number, payload: Uint8Array): void {
    if (pendingCid !== 0 || !(cid > 0)) return;
    pendingCid = cid;
    send("C", payload);
    if (cellEnded) awaitReply(cid);
  }

  // A host call comes through the shared buffer (or, when it does not fit,
  // as a port message). One that comes before port messages the worker
  // posted ahead of it waits for them, so the agent gets them in order.
  let received = 0;
  let early: { cid: number; payload: Uint8Array; after: number } | null = null;
  async function watchCalls(): Promise<void> {
    for (;;) {
      const wait = Atomics.waitAsync(ctl, 3, 0);
      if (wait.async) await wait.value;
      const [cid, size, after] = [ctl[4], ctl[5], ctl[6]];
      const payload = size > 0 && size <= data.length
        ? data.slice(0, size)
        : null;
      Atomics.store(ctl, 3, 0);
      if (!payload) continue;
      if (received >= after) call(cid, payload);
      else early = { cid, payload, after };
    }
  }

  // Only the bootstrap holds the other end of the port. The agent
  // validates every message again.
  function onPortMessage(event: MessageEvent): void {
    received++;
    portMessage(event.data as unknown);
    if (early && received >= early.after) {
      const { cid, payload } = early;
      early = null;
      call(cid, payload);
    }
  }

  function portMessage(message: unknown): void {
    if (!Array.isArray(message)) return;
    const [kind, first, second] = message;
    if (
      kind === "C" && typeof first === "number" && typeof second === "string"
    ) {
      call(first, encoder.encode(second));
    } else if (kind === "M") {
      if (reply) deliverChunk();
    } else if (
      (kind === "O" || kind === "D" || kind === "Y" || kind === "F") &&
      typeof first === "string"
    ) {
      send(kind, encoder.encode(first));
      if (kind === "D" || kind === "F") resumePump();
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
      void watchCalls();
      deliverAssets();
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      fatal(event.message);
      resumePump();
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
  // Small reads go through `spare`, whose leftover starts the next frame.
  const spare = new Uint8Array(1 << 16);
  let spareStart = 0;
  let spareEnd = 0;

  /** Takes what `spare` holds for `target`; returns the bytes filled. */
  function fromSpare(target: Uint8Array): number {
    const filled = Math.min(spareEnd - spareStart, target.length);
    target.set(spare.subarray(spareStart, spareStart + filled));
    spareStart += filled;
    return filled;
  }

  /** Where the next read goes: straight into `target` if the rest is large. */
  const readInto = (target: Uint8Array, filled: number) =>
    target.length - filled >= spare.length ? target.subarray(filled) : spare;

  /** Accounts for `n` bytes read into `buffer`; returns the bytes filled. */
  function took(
    target: Uint8Array,
    filled: number,
    buffer: Uint8Array,
    n: number,
  ): number {
    if (buffer !== spare) return filled + n;
    const take = Math.min(n, target.length - filled);
    target.set(spare.subarray(0, take), filled);
    spareStart = take;
    spareEnd = n;
    return filled + take;
  }

  async function fill(target: Uint8Array): Promise<boolean> {
    let filled = fromSpare(target);
    while (filled < target.length) {
      const buffer = readInto(target, filled);
      const n = await stdin.read(buffer);
      if (n === null) return false;
      filled = took(target, filled, buffer, n);
    }
    return true;
  }

  function fillSync(target: Uint8Array): boolean {
    let filled = fromSpare(target);
    while (filled < target.length) {
      const buffer = readInto(target, filled);
      const n = stdin.readSync(buffer);
      if (n === null) return false;
      filled = took(target, filled, buffer, n);
    }
    return true;
  }

  const head = new Uint8Array(5);
  const text = new TextDecoder();

  /** The payload length of the frame whose header is in `head`, if valid. */
  function headLength(): number {
    const kind = head[4];
    // K, R, P, A: the kinds the agent sends.
    if (kind !== 75 && kind !== 82 && kind !== 80 && kind !== 65) return -1;
    return new DataView(head.buffer).getUint32(0);
  }

  /** Acts on one frame from the agent; `false` ends the process. */
  function handle(kind: string, payload: Uint8Array<ArrayBuffer>): boolean {
    if (kind === "K") {
      // The key comes first, before any cell; it is never accepted twice.
      if (key.length || payload.length !== keyBytes) return false;
      key = payload;
      const waiting = held!;
      held = null;
      for (const [k, p] of waiting) send(k, p);
    } else if (kind === "A") {
      if (assets || !key.length) return false;
      assets = payload;
      deliverAssets();
    } else if (!port || !key.length) {
      return false;
    } else if (kind === "R") {
      port.postMessage(["R", text.decode(payload)]);
      watchMemory();
    } else {
      const cid = new DataView(payload.buffer).getUint32(0);
      if (cid !== pendingCid || reply) return true;
      reply = payload.subarray(4);
      replyOffset = 0;
      deliverChunk();
    }
    return true;
  }

  // While a cell runs, the agent sends nothing but replies to its host
  // calls (a cell is sent only after the last one is done), so the pump
  // pauses from a cell until its end ("D"), and a host call reads its reply
  // synchronously: the worker waits for it anyway, and a blocking read
  // skips the round through this thread's event loop and Deno's blocking
  // thread pool that an asynchronous read of stdin takes. A frame of
  // another kind that arrives meanwhile is handled as the pump would.
  let cellEnded: (() => void) | null = null;
  function resumePump(): void {
    const resume = cellEnded;
    cellEnded = null;
    resume?.();
  }

  function awaitReply(cid: number): void {
    while (pendingCid === cid && !reply) {
      if (!fillSync(head)) denoNs.exit(0);
      const length = headLength();
      if (length < 0) denoNs.exit(0);
      const payload = new Uint8Array(length);
      if (!fillSync(payload)) denoNs.exit(0);
      if (!handle(String.fromCharCode(head[4]), payload)) denoNs.exit(0);
    }
  }

  async function pump(): Promise<void> {
    while (await fill(head)) {
      const length = headLength();
      if (length < 0) break;
      const payload = new Uint8Array(length);
      if (!await fill(payload)) break;
      const kind = String.fromCharCode(head[4]);
      if (!handle(kind, payload)) break;
      if (kind === "R") await new Promise<void>((r) => cellEnded = r);
    }
    denoNs.exit(0);
  }
  void pump();
}
