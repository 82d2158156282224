/**
 * A sandbox's options with their defaults filled in.
 *
 * @module
 */

import type { SandboxCommand } from "./bootstrap.ts";
import type { SandboxOptions } from "./types.ts";

/** The options a {@linkcode Sandbox} works with, every default filled in. */
export type SandboxSettings =
  & Required<Omit<SandboxOptions, "command" | "cwd" | "repl" | "python">>
  & {
    command?: SandboxCommand;
    cwd?: string;
  };

/**
 * Fills in the defaults: a 512 MiB V8 heap, a resident-memory limit of the
 * heap plus 512 MiB (plus Python's own heap for Python cells), a 120 s cell
 * timeout, 100,000 characters of output, a 1 MiB shared buffer and 64 MiB
 * frames.
 *
 * @example
 * ```ts
 * import { sandboxSettings } from "./settings.ts";
 * console.log(sandboxSettings({ repl: "python" }).memoryMb); // 1536
 * ```
 */
export function sandboxSettings(options: SandboxOptions): SandboxSettings {
  const heapMb = options.heapMb ?? 512;
  // Python's own heap (its WebAssembly memory) comes on top.
  const pythonMb = options.repl === "python"
    ? options.python?.heapMb ?? 512
    : 0;
  return {
    denoPath: options.denoPath ?? Deno.execPath(),
    heapMb,
    memoryMb: options.memoryMb ?? heapMb + 512 + pythonMb,
    cellTimeout: options.cellTimeout ?? 120,
    maxOutputChars: options.maxOutputChars ?? 100_000,
    sharedBytes: options.sharedBytes ?? 1 << 20,
    maxFrameBytes: options.maxFrameBytes ?? 64 << 20,
    command: options.command,
    cwd: options.cwd,
  };
}
