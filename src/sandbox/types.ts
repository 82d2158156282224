/**
 * What a {@linkcode Sandbox} is configured with and what running one cell
 * produces: the options, host functions, results and errors of cells.
 *
 * @module
 */

import type { SandboxCommand } from "./bootstrap.ts";
import type { PythonSettings } from "./python/python_boot.ts";

/** The language cells are written in. */
export type ReplName = "js" | "python";

/**
 * A function the agent exposes to cell code. Cells call it synchronously
 * (`const text = read_file("a.ts")`); the value it returns or resolves to
 * must be JSON-serialisable. A thrown error reaches the cell as a catchable
 * `Error` carrying the same name and message.
 */
export type HostFunction =
  & ((
    args: unknown[],
    signal: AbortSignal,
  ) => unknown)
  & {
    /**
     * Text the REPL shows as the function's `.help` property. A function
     * whose name has dots (`mcp.github.create_issue`) is reached through
     * nested objects of those names.
     */
    readonly help?: string;
  };

/** Settings for a {@linkcode Sandbox}. All have working defaults. */
export interface SandboxOptions {
  /** The `deno` executable that runs the sandbox. Default: this one. */
  denoPath?: string;
  /** V8 heap cap of the sandbox process in MiB. Default 512. */
  heapMb?: number;
  /**
   * Resident memory the whole sandbox process may use, in MiB (ArrayBuffers
   * and other memory outside the V8 heap included); going over replaces the
   * sandbox. Default `heapMb + 512`.
   */
  memoryMb?: number;
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
  /** What `Deno.cwd()` and `process.cwd()` (Python: `os.getcwd()`) return in cells (the workspace). Default `/`. */
  cwd?: string;
  /** The cells' language: `js` (default) or `python` (Pyodide in the same worker). */
  repl?: ReplName;
  /** Settings of the Python runtime (with `repl: "python"`). */
  python?: PythonSettings;
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
  /** Keeps the cell's whole output (and value) in the REPL array `_out` at this index. */
  outputSlot?: number;
  /**
   * Call forms of the functions as the model is shown them, by name (e.g.
   * `read_file(path, offset?, limit?)`): Python cells take these parameter
   * names as keyword arguments.
   */
  signatures?: Record<string, string>;
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
export type StateLoss =
  | "timeout"
  | "crash"
  | "interrupt"
  | "protocol"
  | "memory";

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
