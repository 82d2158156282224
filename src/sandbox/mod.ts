/**
 * The sandboxed JavaScript (or Python) REPL on its own: a permission-less Web Worker in
 * a child `deno` process, with persistent top-level declarations, a
 * per-cell timeout and synchronous calls to host functions. Importing it
 * loads neither the agent nor the model client.
 *
 * @example
 * ```ts
 * import { Sandbox } from "@nanocode/nanocode/sandbox";
 *
 * await using sandbox = new Sandbox({ cellTimeout: 5 });
 * await sandbox.run("const xs: number[] = [1, 2, 3]");
 * const result = await sandbox.run("xs.map((x) => x * 2)");
 * console.log(result.value); // "[ 2, 4, 6 ]"
 * ```
 *
 * @module
 */

export { Sandbox } from "./sandbox.ts";
export type {
  CellError,
  CellResult,
  HostFunction,
  ReplName,
  RunOptions as SandboxRunOptions,
  SandboxOptions,
  StateLoss,
} from "./types.ts";
export type { SandboxCommand } from "./bootstrap.ts";
export type { PythonSettings } from "./python/python_boot.ts";
