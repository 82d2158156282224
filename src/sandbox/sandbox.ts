/**
 * The persistent, isolated JavaScript REPL that model code runs in.
 *
 * @module
 */

import type { Frame } from "./frames.ts";
import type { SandboxCommand } from "./bootstrap.ts";
import { SandboxProcess } from "./process.ts";
import type { parseSandboxFrame, SandboxMessage } from "./protocol.ts";
import { loadTransform, transformCell } from "./transform.ts";

/**
 * A function the agent exposes to cell code. Cells call it synchronously
 * (`const text = read_file("a.ts")`); the value it returns or resolves to
 * must be JSON-serialisable. A thrown error reaches the cell as a catchable
 * `Error` carrying the same name and message.
 */
export type HostFunction = (
  args: unknown[],
  signal: AbortSignal,
) => unknown;

/** Settings for a {@linkcode Sandbox}. All have working defaults. */
export interface SandboxOptions {
  /** The `deno` executable that runs the sandbox. Default: this one. */
  denoPath?: string;
  /** V8 heap cap of the sandbox process in MiB. Default 512. */
  heapMb?: number;
  /** Wall-clock seconds a cell may compute (host calls excluded). Default 120. */
  cellTimeout?: number;
  /** Printed characters kept per cell, split between head and tail. Default 100000. */
  maxOutputChars?: number;
  /** Buffer a host-call reply is copied through, in bytes. Default 1 MiB. */
  sharedBytes?: number;
  /** Largest message accepted from the sandbox, in bytes. Default 64 MiB. */
  maxFrameBytes?: number;
  /** Overrides how the sandbox process is started (tests; embedders). */
  command?: SandboxCommand;
}

/** Per-cell options for {@linkcode Sandbox.run}. */
export interface RunOptions {
  /** Host functions callable from this cell, by name. */
  functions?: Record<string, HostFunction>;
  /** Overrides the sandbox's cell timeout for this cell, in seconds. */
  timeout?: number;
  /** Aborting interrupts the cell (see {@linkcode CellResult.lost}). */
  signal?: AbortSignal;
  /** Receives printed text as the cell prints it. */
  onOutput?: (text: string) => void;
}

/** An error raised by cell code, located in the cell. */
export interface CellError {
  /** Error class name, such as `TypeError` or `SyntaxError`. */
  name: string;
  /** The error's message. */
  message: string;
  /** 1-based line within the cell, when known. */
  line?: number;
}

/** Why the REPL state was lost while a cell ran. */
export type StateLoss = "timeout" | "crash" | "interrupt" | "protocol";

/** What running one cell produced. */
export interface CellResult {
  /** Everything the cell printed; a middle part over the cap is elided. */
  output: string;
  /** The final expression's value, formatted, if it had one. */
  value?: string;
  /** The error the cell threw, if it did. */
  error?: CellError;
  /** Arguments given to `SUBMIT(...)`, if the cell called it. */
  submitted?: unknown[];
  /**
   * Set when the sandbox process was replaced while this cell ran: every
   * variable and function defined by earlier cells is gone.
   */
  lost?: StateLoss;
  /** A sentence on what happened when `lost` is set. */
  detail?: string;
  /** Wall time of the cell in milliseconds. */
  durationMs: number;
}

interface ActiveCell {
  id: number;
  proc: SandboxProcess;
  head: string[];
  functions: Record<string, HostFunction>;
  onOutput?: (text: string) => void;
  signal?: AbortSignal;
  budgetMs: number;
  clockStart: number;
  timer?: ReturnType<typeof setTimeout>;
  lost?: StateLoss;
  detail?: string;
  callAbort?: AbortController;
  startedAt: number;
  finish: (result: CellResult) => void;
}

const INTERRUPT_GRACE_MS = 500;

// The message validator (zod) loads while the sandbox process starts, not
// when this module loads: a first model request should not wait for it.
let parseFrame: typeof parseSandboxFrame | undefined;
let loadingProtocol: Promise<void> | undefined;
function loadProtocol(): Promise<void> {
  return loadingProtocol ??= import("./protocol.ts").then((module) => {
    parseFrame = module.parseSandboxFrame;
  });
}
const encoder = new TextEncoder();
const STRING_TAG = new Uint8Array([83]); // "S"
const JSON_TAG = new Uint8Array([74]); // "J"

/**
 * A persistent JavaScript REPL in a permission-less Web Worker inside a
 * child `deno` process. Declarations persist across cells, top-level `await`
 * works, TypeScript annotations are accepted, and a cell that runs too long,
 * runs out of memory or kills its process becomes a result, never an
 * exception in the caller: the sandbox restarts fresh and says state was
 * lost.
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
  readonly #options: Required<Omit<SandboxOptions, "command">> & {
    command?: SandboxCommand;
  };
  #proc: SandboxProcess | null = null;
  #ready: Promise<void> | null = null;
  #active: ActiveCell | null = null;
  #cellSeq = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #globals: Record<string, unknown> = {};
  #pendingGlobals = new Set<string>();
  #closed = false;
  #backlog: [SandboxProcess, Frame, () => void][] = [];

  /** Creates the sandbox; its process starts with `start` or the first `run`. */
  constructor(options: SandboxOptions = {}) {
    this.#options = {
      denoPath: options.denoPath ?? Deno.execPath(),
      heapMb: options.heapMb ?? 512,
      cellTimeout: options.cellTimeout ?? 120,
      maxOutputChars: options.maxOutputChars ?? 100_000,
      sharedBytes: options.sharedBytes ?? 1 << 20,
      maxFrameBytes: options.maxFrameBytes ?? 64 << 20,
      command: options.command,
    };
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
    await Promise.all([loadTransform(), this.#ensureProcess()]);
  }

  /**
   * Sets variables that cells see as globals (such as `task`). They are
   * sent with the next cell, and again after a restart.
   */
  setGlobals(values: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(values)) {
      this.#globals[name] = value;
      this.#pendingGlobals.add(name);
    }
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
    this.#markGlobalsPending();
    if (proc) await proc.kill();
  }

  /** Stops the sandbox process. The sandbox cannot be used afterwards. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.reset();
  }

  /** Same as {@linkcode Sandbox.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #markGlobalsPending(): void {
    for (const name of Object.keys(this.#globals)) {
      this.#pendingGlobals.add(name);
    }
  }

  #ensureProcess(): Promise<void> {
    if (this.#proc?.alive && this.#ready) return this.#ready;
    const { promise, resolve, reject } = Promise.withResolvers<void>();
    let proc: SandboxProcess;
    const protocol = loadProtocol();
    try {
      proc = SandboxProcess.spawn({
        ...this.#options,
        onFrame: (frame) => this.#receive(proc, frame, resolve, protocol),
        onProtocolError: (error) => this.#onProtocolError(proc, error),
      });
    } catch (error) {
      return Promise.reject(
        new Error(
          `Cannot start the sandbox with ${this.#options.denoPath}: ${
            (error as Error).message
          }`,
        ),
      );
    }
    this.#proc = proc;
    this.#markGlobalsPending();
    void proc.exited.then((exit) => {
      reject(
        new Error(
          `The sandbox process exited during start-up (code ${exit.code})${
            exit.stderr ? `: ${exit.stderr}` : ""
          }`,
        ),
      );
      this.#onExit(proc, exit.code, exit.signal, exit.stderr);
    });
    this.#ready = promise;
    promise.catch(() => {});
    return promise;
  }

  async #run(code: string, options: RunOptions): Promise<CellResult> {
    if (this.#closed) throw new Error("The sandbox is closed");
    const startedAt = performance.now();
    const transformed = await transformCell(code);
    if (!transformed.ok) {
      return {
        output: "",
        error: transformed.error,
        durationMs: performance.now() - startedAt,
      };
    }
    if (options.signal?.aborted) {
      return {
        output: "",
        error: { name: "AbortError", message: "Interrupted before it ran" },
        durationMs: 0,
      };
    }
    await this.#ensureProcess();
    const proc = this.#proc!;
    const id = ++this.#cellSeq;
    const functions = options.functions ?? {};
    const globals: Record<string, unknown> = {};
    for (const name of this.#pendingGlobals) {
      globals[name] = this.#globals[name];
    }
    this.#pendingGlobals.clear();

    const { promise, resolve } = Promise.withResolvers<CellResult>();
    const cell: ActiveCell = {
      id,
      proc,
      head: [],
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
    await proc.send(
      "R",
      encoder.encode(JSON.stringify({
        id,
        code: transformed.code,
        fns: Object.keys(functions),
        globals: Object.keys(globals).length ? globals : undefined,
        cap: Math.ceil(this.#options.maxOutputChars / 2),
      })),
    );
    try {
      return await promise;
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  #startClock(cell: ActiveCell): void {
    cell.clockStart = performance.now();
    cell.timer = setTimeout(
      () => this.#lose(cell, "timeout", this.#timeoutDetail(cell)),
      Math.max(0, cell.budgetMs),
    );
  }

  #stopClock(cell: ActiveCell): void {
    clearTimeout(cell.timer);
    cell.budgetMs -= performance.now() - cell.clockStart;
  }

  #timeoutDetail(cell: ActiveCell): string {
    const seconds = Math.round(
      (performance.now() - cell.startedAt) / 100,
    ) / 10;
    return `The cell was stopped after ${seconds} s (cell timeout).`;
  }

  #interrupt(cell: ActiveCell): void {
    if (this.#active !== cell) return;
    cell.callAbort?.abort();
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
    if (this.#proc === cell.proc) {
      this.#proc = null;
      this.#ready = null;
    }
    void cell.proc.kill();
  }

  /** Handles frames in order, holding them until the validator has loaded. */
  #receive(
    proc: SandboxProcess,
    frame: Frame,
    ready: () => void,
    protocol: Promise<void>,
  ): void {
    if (parseFrame && this.#backlog.length === 0) {
      this.#onFrame(proc, frame, ready);
      return;
    }
    this.#backlog.push([proc, frame, ready]);
    if (this.#backlog.length > 1) return;
    void protocol.then(() => {
      const backlog = this.#backlog;
      this.#backlog = [];
      for (const [p, f, r] of backlog) this.#onFrame(p, f, r);
    });
  }

  #onFrame(
    proc: SandboxProcess,
    frame: Frame,
    ready: () => void,
  ): void {
    let message: SandboxMessage;
    try {
      message = parseFrame!(frame);
    } catch (error) {
      this.#onProtocolError(proc, error as Error);
      return;
    }
    const cell = this.#active?.proc === proc ? this.#active : null;
    switch (message.kind) {
      case "ready":
        ready();
        break;
      case "output":
        if (cell && message.id === cell.id) {
          cell.head.push(message.text);
          cell.onOutput?.(message.text);
        }
        break;
      case "call":
        void this.#onCall(proc, cell, message);
        break;
      case "done":
        if (cell && message.id === cell.id && !cell.lost) {
          this.#finish(cell, {
            value: message.value,
            error: message.error,
            submitted: message.submitted === undefined
              ? undefined
              : JSON.parse(message.submitted),
            tail: message.tail,
            omitted: message.omitted,
          });
        }
        break;
      case "fatal":
        if (cell) {
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
    let reply: { ok: boolean; value?: unknown; error?: CellError };
    if (!cell || call.cell !== cell.id || cell.lost) {
      reply = {
        ok: false,
        error: { name: "Error", message: "The cell that made this call ended" },
      };
    } else if (!Object.hasOwn(cell.functions, call.name)) {
      reply = {
        ok: false,
        error: {
          name: "ReferenceError",
          message: `${call.name} is not available in this REPL`,
        },
      };
    } else {
      this.#stopClock(cell);
      const abort = new AbortController();
      cell.callAbort = abort;
      if (cell.signal?.aborted) abort.abort();
      try {
        const value = await cell.functions[call.name](call.args, abort.signal);
        reply = { ok: true, value };
      } catch (error) {
        reply = { ok: false, error: toCellError(error) };
      }
      cell.callAbort = undefined;
      if (this.#active !== cell || cell.lost) return;
      if (cell.signal?.aborted) this.#interrupt(cell);
      else this.#startClock(cell);
    }
    await proc.send("P", ...encodeReply(call.cid, call.name, reply));
  }

  #finish(
    cell: ActiveCell,
    parts: {
      value?: string;
      error?: CellError;
      submitted?: unknown[];
      tail?: string;
      omitted?: number;
    },
  ): void {
    if (this.#active !== cell) return;
    this.#active = null;
    clearTimeout(cell.timer);
    let output = cell.head.join("");
    if (parts.omitted) {
      output += `\n... [${parts.omitted} characters omitted] ...\n`;
    }
    if (parts.tail) output += parts.tail;
    const result: CellResult = {
      output,
      durationMs: performance.now() - cell.startedAt,
    };
    if (parts.value !== undefined) result.value = parts.value;
    if (parts.error) result.error = parts.error;
    if (parts.submitted) result.submitted = parts.submitted;
    if (cell.lost) {
      result.lost = cell.lost;
      result.detail = cell.detail;
    }
    cell.finish(result);
  }

  #onProtocolError(proc: SandboxProcess, error: Error): void {
    const cell = this.#active?.proc === proc ? this.#active : null;
    const detail =
      `The sandbox sent a message that breaks the protocol (${error.message}).`;
    if (cell) this.#lose(cell, "protocol", detail);
    else void this.#replace(proc);
  }

  async #replace(proc: SandboxProcess): Promise<void> {
    if (this.#proc === proc) {
      this.#proc = null;
      this.#ready = null;
    }
    await proc.kill();
  }

  #onExit(
    proc: SandboxProcess,
    code: number,
    signal: string | null,
    stderr: string,
  ): void {
    if (this.#proc === proc) {
      this.#proc = null;
      this.#ready = null;
    }
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

function crashDetail(
  code: number,
  signal: string | null,
  stderr: string,
): string {
  if (/out of memory|heap limit/i.test(stderr)) {
    return "The sandbox ran out of memory.";
  }
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  const last = stderr.split("\n").filter((line) => line.trim()).pop();
  return `The sandbox process ${how}${last ? ` (${last.trim()})` : ""}.`;
}

/**
 * Encodes a host-call reply as frame parts: the call id, then either "S"
 * and the UTF-8 text of a string value (no JSON on the hot path for large
 * text), or "J" and a JSON reply.
 */
function encodeReply(
  cid: number,
  name: string,
  reply: { ok: boolean; value?: unknown; error?: CellError },
): Uint8Array[] {
  const id = new Uint8Array(4);
  new DataView(id.buffer).setUint32(0, cid);
  if (reply.ok && typeof reply.value === "string") {
    return [id, STRING_TAG, encoder.encode(reply.value)];
  }
  let json: string;
  try {
    json = JSON.stringify(reply);
  } catch (error) {
    json = JSON.stringify({
      ok: false,
      error: {
        name: "TypeError",
        message: `${name} returned a value that is not JSON: ${
          (error as Error).message
        }`,
      },
    });
  }
  return [id, JSON_TAG, encoder.encode(json)];
}

function toCellError(error: unknown): CellError {
  if (error instanceof Error) {
    return { name: error.name || "Error", message: error.message };
  }
  return { name: "Error", message: String(error) };
}
