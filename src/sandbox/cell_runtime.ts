/**
 * The cell runtimes a {@linkcode Sandbox} can run: what differs between
 * JavaScript cells and Python cells on the agent's side. Everything else
 * (the process, the worker, the host-call bridge, framing, caps, timeouts
 * and the message checks) is shared.
 *
 * @module
 */

import type { SandboxProcess } from "./process.ts";
import type { PythonBoot } from "./python/python_boot.ts";
import { paramsByName } from "./python/signatures.ts";
import {
  loadTransform,
  transformCell,
  type TransformResult,
} from "./transform.ts";
import type { ReplName, RunOptions, SandboxOptions } from "./types.ts";

/** One cell language, as the sandbox drives it. */
export interface CellRuntime {
  /** The language's setting name. */
  readonly repl: ReplName;
  /** Loads what preparing a cell needs, ahead of the first one. */
  load(): Promise<void>;
  /** The code the worker runs, or the error that keeps the cell from running. */
  prepare(code: string): Promise<TransformResult>;
  /** What the run message carries besides the code (Python: parameter lists). */
  extras(options: RunOptions): { params?: Record<string, string[]> };
  /** A new sandbox process was spawned; rejects when it cannot be set up. */
  spawned(proc: SandboxProcess): Promise<void>;
  /** The process said it is ready. */
  ready(proc: SandboxProcess): void;
  /** The process sent a Python memory snapshot. */
  snapshot(proc: SandboxProcess, bytes: Uint8Array): void;
  /** Settles when background work (a snapshot being stored) has ended. */
  settled(): Promise<void>;
}

/**
 * JavaScript cells: rewritten by the agent (declarations made global,
 * TypeScript stripped, `catch` guarded) before they are sent.
 *
 * @example
 * ```ts
 * import { JAVASCRIPT_RUNTIME } from "./cell_runtime.ts";
 * const prepared = await JAVASCRIPT_RUNTIME.prepare("const x: number = 1");
 * console.log(prepared.ok); // true
 * ```
 */
export const JAVASCRIPT_RUNTIME: CellRuntime = Object.freeze({
  repl: "js" as const,
  load: loadTransform,
  prepare: transformCell,
  extras: () => ({}),
  spawned: () => Promise.resolve(),
  ready: () => {},
  snapshot: () => {},
  settled: () => Promise.resolve(),
});

/**
 * Python cells: sent as written; each new process gets Pyodide's files (and
 * a stored snapshot), and the functions' parameter lists go with each cell.
 * (What boots Python loads with the first process: a JavaScript-only
 * agent never loads it.)
 *
 * @example
 * ```ts ignore
 * const runtime = pythonRuntime({ python: { snapshotDir: null } });
 * await runtime.spawned(proc);
 * ```
 */
export function pythonRuntime(options: SandboxOptions): CellRuntime {
  let boot: PythonBoot<SandboxProcess> | undefined;
  return {
    repl: "python",
    load: () => Promise.resolve(),
    prepare: (code) => Promise.resolve({ ok: true, code }),
    extras: (run) => ({
      params: run.signatures ? paramsByName(run.signatures) : undefined,
    }),
    spawned: async (proc) => {
      if (!boot) {
        const { PythonBoot } = await import("./python/python_boot.ts");
        boot ??= new PythonBoot(options.python, options.cwd);
      }
      await proc.send("A", ...await boot.frame(proc));
    },
    ready: (proc) => boot?.ready(proc),
    snapshot: (proc, bytes) => void boot?.snapshot(proc, bytes),
    settled: () => boot?.settled() ?? Promise.resolve(),
  };
}

/**
 * The runtime a sandbox's options choose (`repl`, default JavaScript).
 *
 * @example
 * ```ts
 * import { cellRuntime } from "./cell_runtime.ts";
 * console.log(cellRuntime({}).repl); // "js"
 * ```
 */
export function cellRuntime(options: SandboxOptions): CellRuntime {
  return options.repl === "python"
    ? pythonRuntime(options)
    : JAVASCRIPT_RUNTIME;
}
