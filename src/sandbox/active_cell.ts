/**
 * The cell a sandbox is running: its bookkeeping, its compute clock (host
 * calls do not count against the timeout), and how its result is put
 * together when it ends.
 *
 * @module
 */

import { clipText, MAX_ERROR_CHARS, type OutputCap } from "./caps.ts";
import type { SandboxProcess } from "./process.ts";
import type { SandboxMessage } from "./protocol.ts";
import type {
  CellError,
  CellResult,
  HostFunction,
  StateLoss,
} from "./types.ts";

/** The state of the cell that is running. */
export interface ActiveCell {
  /** Cell id, as sent to the sandbox process. */
  id: number;
  /** The process the cell runs in. */
  proc: SandboxProcess;
  /** Printed text received so far. */
  head: string[];
  /** The agent's cap on printed text (and on the value and the tail). */
  output: OutputCap;
  /** Characters each of the printed head, the tail and the value may have. */
  cap: number;
  /** Whether a host call of this cell is running (there is never more than one). */
  calling?: boolean;
  /** Host functions the cell may call, by name. */
  functions: Record<string, HostFunction>;
  /** Receives printed text as it arrives. */
  onOutput?: (text: string) => void;
  /** Aborting interrupts the cell. */
  signal?: AbortSignal;
  /** Compute time left, in milliseconds. */
  budgetMs: number;
  /** When the clock last started. */
  clockStart: number;
  /** The compute clock's timer (see {@linkcode startClock}). */
  clock?: ReturnType<typeof setTimeout>;
  /** Whether the compute clock runs (it stops during host calls). */
  clockRunning?: boolean;
  /** Fires when the interrupt grace ends. */
  timer?: ReturnType<typeof setTimeout>;
  /** Why the REPL state was lost, once it was. */
  lost?: StateLoss;
  /** A sentence on what happened when `lost` is set. */
  detail?: string;
  /** Aborts the host call in flight, if any. */
  callAbort?: AbortController;
  /** When the cell started, for its duration. */
  startedAt: number;
  /** Settles the caller's `run` promise. */
  finish: (result: CellResult) => void;
}

/** What the sandbox process reported at the end of a cell. */
export interface CellEnd {
  /** The final expression's value, formatted. */
  value?: string;
  /** The error the cell threw. */
  error?: CellError;
  /** Arguments given to `SUBMIT(...)`. */
  submitted?: unknown[];
  /** The last printed text, kept past the output cap. */
  tail?: string;
  /** Printed characters dropped between head and tail. */
  omitted?: number;
}

const encoder = new TextEncoder();

/**
 * The run request for a cell, as the body of an "R" frame: its id, its
 * rewritten code, the names of its host functions (and the `.help` text
 * of those that have one), the globals to set
 * first (if any) and the cap on each of the printed head and tail.
 *
 * @example
 * ```ts ignore
 * await cell.proc.send("R", encodeRun(cell, code, {}, 50_000));
 * ```
 */
export function encodeRun(
  cell: ActiveCell,
  code: string,
  globals: Record<string, unknown>,
  cap: number,
  extra: {
    slot?: number;
    cwd?: string;
    params?: Record<string, string[]>;
  } = {},
): Uint8Array {
  const docs: Record<string, string> = {};
  for (const [name, fn] of Object.entries(cell.functions)) {
    if (typeof fn.help === "string") docs[name] = fn.help;
  }
  return encoder.encode(JSON.stringify({
    id: cell.id,
    code,
    fns: Object.keys(cell.functions),
    params: extra.params,
    docs: Object.keys(docs).length ? docs : undefined,
    globals: Object.keys(globals).length ? globals : undefined,
    cap,
    slot: extra.slot,
    cwd: extra.cwd,
  }));
}

/**
 * Starts (or restarts) the cell's compute clock; `onTimeout` runs when the
 * budget left is used up. A host call stops the clock without clearing its
 * timer (a cell in a loop of calls would set and clear one per call): the
 * timer can only fire early, and then sets itself again for what is left,
 * or leaves that to the next start when the clock is stopped.
 *
 * @example
 * ```ts ignore
 * startClock(cell, () => console.log(timeoutDetail(cell)));
 * ```
 */
export function startClock(cell: ActiveCell, onTimeout: () => void): void {
  cell.clockStart = performance.now();
  cell.clockRunning = true;
  if (cell.clock === undefined) armClock(cell, onTimeout, cell.budgetMs);
}

function armClock(cell: ActiveCell, onTimeout: () => void, ms: number): void {
  cell.clock = setTimeout(() => {
    cell.clock = undefined;
    if (!cell.clockRunning) return;
    const left = cell.budgetMs - (performance.now() - cell.clockStart);
    if (left <= 0) onTimeout();
    else armClock(cell, onTimeout, left);
  }, Math.max(0, ms));
}

/**
 * Stops the cell's compute clock (a host call is starting) and takes the
 * time used from its budget.
 *
 * @example
 * ```ts ignore
 * stopClock(cell);
 * ```
 */
export function stopClock(cell: ActiveCell): void {
  if (!cell.clockRunning) return;
  cell.clockRunning = false;
  cell.budgetMs -= performance.now() - cell.clockStart;
}

/**
 * Stops the cell's compute clock for good (the cell is interrupted or
 * done) and clears its timer.
 *
 * @example
 * ```ts ignore
 * endClock(cell);
 * ```
 */
export function endClock(cell: ActiveCell): void {
  stopClock(cell);
  clearTimeout(cell.clock);
  cell.clock = undefined;
}

/**
 * The sentence for a cell stopped by its timeout.
 *
 * @example
 * ```ts ignore
 * timeoutDetail(cell); // "The cell was stopped after 120.1 s (cell timeout)."
 * ```
 */
export function timeoutDetail(cell: ActiveCell): string {
  const seconds = Math.round(
    (performance.now() - cell.startedAt) / 100,
  ) / 10;
  return `The cell was stopped after ${seconds} s (cell timeout).`;
}

/**
 * What a "done" message reports, with the submitted arguments parsed.
 *
 * @example
 * ```ts
 * import { cellEnd } from "./active_cell.ts";
 * const end = cellEnd({ kind: "done", id: 1, submitted: "[42]", omitted: 0, tail: "" });
 * console.log(end.submitted); // [ 42 ]
 * ```
 */
export function cellEnd(
  message: Extract<SandboxMessage, { kind: "done" }>,
): CellEnd {
  return {
    value: message.value,
    error: message.error,
    submitted: message.submitted === undefined
      ? undefined
      : JSON.parse(message.submitted),
    tail: message.tail,
    omitted: message.omitted,
  };
}

/**
 * The result of a cell that never reached the sandbox process (it did not
 * compile, or it was interrupted first).
 *
 * @example
 * ```ts
 * import { notRunResult } from "./active_cell.ts";
 * const result = notRunResult({ name: "SyntaxError", message: "Unexpected token" }, 3);
 * console.log(result.output === "", result.error?.name); // true SyntaxError
 * ```
 */
export function notRunResult(error: CellError, durationMs: number): CellResult {
  return { output: "", error, durationMs };
}

/**
 * Puts a cell's result together: its printed text (with the elision note
 * when the middle was dropped), what the process reported, and the state
 * loss, if any.
 *
 * @example
 * ```ts ignore
 * cell.finish(cellResult(cell, { value: "42" }));
 * ```
 */
export function cellResult(cell: ActiveCell, parts: CellEnd): CellResult {
  let output = cell.head.join("");
  const omitted = (parts.omitted ?? 0) + cell.output.dropped;
  if (omitted) {
    output += `\n... [${omitted} characters omitted] ...\n`;
  }
  if (parts.tail) output += clipText(parts.tail, cell.cap);
  const result: CellResult = {
    output,
    durationMs: performance.now() - cell.startedAt,
  };
  if (parts.value !== undefined) {
    result.value = clipText(parts.value, cell.cap);
  }
  if (parts.error) {
    result.error = {
      ...parts.error,
      message: clipText(parts.error.message, MAX_ERROR_CHARS),
    };
  }
  if (parts.submitted) result.submitted = parts.submitted;
  if (cell.lost) {
    result.lost = cell.lost;
    result.detail = cell.detail;
  }
  return result;
}

/**
 * The sentence for a sandbox process stopped for using too much memory.
 *
 * @example
 * ```ts
 * import { memoryDetail } from "./active_cell.ts";
 * console.log(memoryDetail(1.5 * 2 ** 30, 1024));
 * // "The sandbox used 1536 MiB of memory, over its limit of 1024 MiB (ArrayBuffers and other memory outside the JavaScript heap count too)."
 * ```
 */
export function memoryDetail(rssBytes: number, limitMb: number): string {
  return `The sandbox used ${
    Math.round(rssBytes / 2 ** 20)
  } MiB of memory, over its limit of ${limitMb} MiB (ArrayBuffers and other memory outside the JavaScript heap count too).`;
}

/**
 * The sentence for a sandbox process that died while a cell ran.
 *
 * @example
 * ```ts
 * import { crashDetail } from "./active_cell.ts";
 * console.log(crashDetail(1, null, "boom\n")); // "The sandbox process exited with code 1 (boom)."
 * ```
 */
export function crashDetail(
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
 * The error of a sandbox process that ended before it was ready: what it
 * said when it failed (`said`), else its exit code and last stderr line.
 *
 * @example
 * ```ts
 * import { startFailure } from "./active_cell.ts";
 * console.log(startFailure({ code: 1, stderr: "" }, "Python did not start: no files")); // "Python did not start: no files"
 * ```
 */
export function startFailure(
  exit: { code: number; stderr: string },
  said?: string,
): string {
  return said ??
    `The sandbox process exited during start-up (code ${exit.code})${
      exit.stderr ? `: ${exit.stderr}` : ""
    }`;
}
