/**
 * The persistent, isolated JavaScript REPL that model code runs in.
 *
 * @module
 */

import {
  type ActiveCell,
  type CellEnd,
  cellEnd,
  cellResult,
  crashDetail,
  encodeRun,
  endClock,
  memoryDetail,
  notRunResult,
  startClock,
  startFailure,
  stopClock,
  timeoutDetail,
} from "./active_cell.ts";
import { OutputCap } from "./caps.ts";
import { type CellRuntime, cellRuntime } from "./cell_runtime.ts";
import { FrameGate, loadProtocol } from "./frame_gate.ts";
import { CellGlobals } from "./globals.ts";
import { watchMemory } from "./memory_watch.ts";
import { SandboxProcess } from "./process.ts";
import { type SandboxSettings, sandboxSettings } from "./settings.ts";
import type { SandboxMessage } from "./protocol.ts";
import {
  callHost,
  encodeReply,
  endedReply,
  type HostReply,
  missingReply,
} from "./reply.ts";
import type {
  CellResult,
  ReplName,
  RunOptions,
  SandboxOptions,
  StateLoss,
} from "./types.ts";

const INTERRUPT_GRACE_MS = 500;

/**
 * A persistent JavaScript (or, with `repl: "python"`, Python) REPL in a
 * permission-less Web Worker inside a child `deno` process. Declarations
 * persist across cells, top-level `await` works, TypeScript annotations are
 * accepted, and a cell that runs too long, runs out of memory or kills its
 * process becomes a result, never an exception in the caller: the sandbox
 * restarts fresh and says state was lost.
 *
 * @example
 * ```ts
 * import { Sandbox } from "./sandbox.ts";
 * await using sandbox = new Sandbox({ cellTimeout: 10 });
 * await sandbox.run("const greeting: string = 'hi'");
 * const result = await sandbox.run("greeting.toUpperCase()");
 * console.log(result.value); // "HI"
 * ```
 */
export class Sandbox {
  readonly #options: SandboxSettings;
  /** What differs between JavaScript and Python cells. */
  readonly #runtime: CellRuntime;
  /** What a process said when it failed, for the start-up error. */
  #failures = new WeakMap<SandboxProcess, string>();
  #proc: SandboxProcess | null = null;
  #ready: Promise<void> | null = null;
  #active: ActiveCell | null = null;
  #cellSeq = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #globals = new CellGlobals();
  #closed = false;
  #frames = new FrameGate(
    (proc, message, ready) => this.#onMessage(proc, message, ready),
    (proc, error) => this.#onProtocolError(proc, error),
  );

  /** Creates the sandbox; its process starts with `start` or the first `run`. */
  constructor(options: SandboxOptions = {}) {
    this.#options = sandboxSettings(options);
    this.#runtime = cellRuntime(options);
  }

  /** The language cells are written in. */
  get repl(): ReplName {
    return this.#runtime.repl;
  }

  /** Process id of the current sandbox process, if one is running. */
  get pid(): number | undefined {
    return this.#proc?.alive ? this.#proc.pid : undefined;
  }

  /**
   * Starts the sandbox process (and loads the cell rewriter) ahead of the
   * first cell. Optional: `run` starts it when needed.
   *
   * @throws {Error} when the sandbox process cannot start.
   */
  async start(): Promise<void> {
    if (this.#closed) throw new Error("The sandbox is closed");
    await Promise.all([this.#runtime.load(), this.#ensureProcess()]);
  }

  /**
   * Sets variables that cells see as globals (such as `task`). They are
   * sent with the next cell, and again after a restart.
   */
  setGlobals(values: Record<string, unknown>): void {
    this.#globals.set(values);
  }

  /**
   * Runs one cell. Cells run one at a time, in call order.
   *
   * @throws {Error} only when the sandbox process cannot be started at all.
   */
  run(code: string, options: RunOptions = {}): Promise<CellResult> {
    const next = this.#queue.then(() => this.#run(code, options));
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Throws away all REPL state by replacing the sandbox process. */
  async reset(): Promise<void> {
    const proc = this.#proc;
    this.#proc = null;
    this.#ready = null;
    this.#globals.markAllPending();
    if (proc) await proc.kill();
  }

  /** Stops the sandbox process. The sandbox cannot be used afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.reset();
    await this.#runtime.settled();
  }

  /** Same as {@linkcode Sandbox.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #ensureProcess(): Promise<void> {
    if (this.#proc?.alive && this.#ready) return this.#ready;
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    let proc: SandboxProcess;
    const protocol = loadProtocol();
    try {
      proc = SandboxProcess.spawn({
        ...this.#options,
        python: this.repl === "python",
        onFrame: (frame) =>
          this.#frames.receive(proc, frame, resolve, protocol),
        onProtocolError: (error) => this.#onProtocolError(proc, error),
      });
    } catch (error) {
      const { denoPath } = this.#options;
      const why = (error as Error).message;
      return Promise.reject(
        new Error(`Cannot start the sandbox with ${denoPath}: ${why}`),
      );
    }
    this.#proc = proc;
    this.#globals.markAllPending();
    const watch = watchMemory(
      proc.pid,
      this.#options.memoryMb * 2 ** 20,
      (rss) => this.#onMemory(proc, rss),
    );
    void proc.exited.then((exit) => {
      watch.stop();
      reject(new Error(startFailure(exit, this.#failures.get(proc))));
      this.#onExit(proc, exit.code, exit.signal, exit.stderr);
    });
    this.#ready = promise;
    promise.catch(() => {});
    this.#runtime.spawned(proc).catch((error) => {
      reject(error);
      void this.#replace(proc);
    });
    return promise;
  }

  async #run(code: string, options: RunOptions): Promise<CellResult> {
    if (this.#closed) throw new Error("The sandbox is closed");
    const startedAt = performance.now();
    this.#ensureProcess().catch(() => {}); // starts during prepare()
    const transformed = await this.#runtime.prepare(code);
    if (!transformed.ok) {
      return notRunResult(transformed.error, performance.now() - startedAt);
    }
    const notStarted = () =>
      notRunResult(
        { name: "AbortError", message: "Interrupted before it ran" },
        performance.now() - startedAt,
      );
    if (options.signal?.aborted) return notStarted();
    await this.#ensureProcess();
    if (options.signal?.aborted) return notStarted();
    const proc = this.#proc!;
    const id = ++this.#cellSeq;
    const functions = options.functions ?? {};
    const globals = this.#globals.takePending();

    const { promise, resolve } = Promise.withResolvers<CellResult>();
    const cap = Math.ceil(this.#options.maxOutputChars / 2);
    const cell: ActiveCell = {
      id,
      proc,
      head: [],
      output: new OutputCap(cap),
      cap,
      functions,
      onOutput: options.onOutput,
      signal: options.signal,
      budgetMs: (options.timeout ?? this.#options.cellTimeout) * 1000,
      clockStart: performance.now(),
      startedAt,
      finish: resolve,
    };
    this.#active = cell;
    const onAbort = () => this.#interrupt(cell);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    this.#startClock(cell);
    this.#frames.expectCell(proc);
    await proc.send(
      "R",
      encodeRun(cell, transformed.code, globals, cap, {
        slot: options.outputSlot,
        cwd: this.#options.cwd,
        ...this.#runtime.extras(options),
      }),
    );
    try {
      return await promise;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  #startClock(cell: ActiveCell): void {
    startClock(
      cell,
      () => this.#lose(cell, "timeout", timeoutDetail(cell)),
    );
  }

  #interrupt(cell: ActiveCell): void {
    if (this.#active !== cell) return;
    cell.callAbort?.abort();
    endClock(cell);
    clearTimeout(cell.timer);
    cell.timer = setTimeout(
      () => this.#lose(cell, "interrupt", "The cell was interrupted."),
      INTERRUPT_GRACE_MS,
    );
  }

  #lose(cell: ActiveCell, reason: StateLoss, detail: string): void {
    if (this.#active !== cell || cell.lost) return;
    cell.lost = reason;
    cell.detail = detail;
    cell.callAbort?.abort();
    void this.#replace(cell.proc);
  }

  #onMemory(proc: SandboxProcess, rss: number): void {
    if (this.#frames.condemned(proc)) return;
    const cell = this.#active?.proc === proc ? this.#active : null;
    const detail = memoryDetail(rss, this.#options.memoryMb);
    if (cell) this.#lose(cell, "memory", detail);
    else void this.#replace(proc);
  }

  #onMessage(
    proc: SandboxProcess,
    message: SandboxMessage,
    ready: () => void,
  ): void {
    const cell = this.#active?.proc === proc ? this.#active : null;
    switch (message.kind) {
      case "ready":
        this.#runtime.ready(proc);
        ready();
        break;
      case "snapshot":
        this.#runtime.snapshot(proc, message.bytes);
        break;
      case "output":
        if (cell && message.id === cell.id && !cell.lost) {
          const text = cell.output.take(message.text);
          if (text) {
            cell.head.push(text);
            cell.onOutput?.(text);
          }
        }
        break;
      case "call":
        void this.#onCall(proc, cell, message);
        break;
      case "done":
        if (cell && message.id === cell.id && !cell.lost) {
          this.#finish(cell, cellEnd(message));
        }
        break;
      case "fatal":
        this.#failures.set(proc, message.message);
        if (message.rss !== undefined) this.#onMemory(proc, message.rss);
        else if (cell) {
          this.#lose(cell, "crash", `The sandbox failed: ${message.message}`);
        } else void this.#replace(proc);
        break;
    }
  }

  async #onCall(
    proc: SandboxProcess,
    cell: ActiveCell | null,
    call: Extract<SandboxMessage, { kind: "call" }>,
  ): Promise<void> {
    let reply: HostReply;
    if (cell?.calling) {
      // A real cell blocks on its call: a second one at once is forged (and
      // would keep the cell's clock stopped).
      this.#onProtocolError(
        proc,
        new TypeError("a host call while another one was running"),
      );
      return;
    }
    if (!cell || call.cell !== cell.id || cell.lost) {
      reply = endedReply();
    } else if (!Object.hasOwn(cell.functions, call.name)) {
      reply = missingReply(call.name);
    } else {
      stopClock(cell);
      // An interrupted cell's grace starts again after the call.
      if (cell.timer !== undefined) {
        clearTimeout(cell.timer);
        cell.timer = undefined;
      }
      cell.calling = true;
      reply = await callHost(cell, call.name, call.args);
      cell.calling = false;
      if (this.#active !== cell || cell.lost) return;
      if (cell.signal?.aborted) this.#interrupt(cell);
      else this.#startClock(cell);
    }
    await proc.send("P", ...encodeReply(call.cid, call.name, reply));
  }

  #finish(cell: ActiveCell, parts: CellEnd): void {
    if (this.#active !== cell) return;
    this.#active = null;
    endClock(cell);
    clearTimeout(cell.timer);
    cell.finish(cellResult(cell, parts));
  }

  #onProtocolError(proc: SandboxProcess, error: Error): void {
    const cell = this.#active?.proc === proc ? this.#active : null;
    const detail =
      `The sandbox sent a message that breaks the protocol (${error.message}).`;
    if (cell) this.#lose(cell, "protocol", detail);
    else void this.#replace(proc);
  }

  /** Stops using `proc` for new cells, if it is the current process. */
  #forget(proc: SandboxProcess): void {
    if (this.#proc === proc) {
      this.#proc = null;
      this.#ready = null;
    }
  }

  async #replace(proc: SandboxProcess): Promise<void> {
    this.#frames.condemn(proc);
    this.#forget(proc);
    await proc.kill();
  }

  #onExit(
    proc: SandboxProcess,
    code: number,
    signal: string | null,
    stderr: string,
  ): void {
    this.#forget(proc);
    const cell = this.#active?.proc === proc ? this.#active : null;
    if (cell) {
      if (!cell.lost) {
        cell.lost = "crash";
        cell.detail = crashDetail(code, signal, stderr);
      }
      this.#finish(cell, {});
    }
    // Warm a fresh process so the next cell does not wait for start-up.
    if (!this.#closed && !this.#proc && cell) {
      this.#ensureProcess().catch(() => {});
    }
  }
}
