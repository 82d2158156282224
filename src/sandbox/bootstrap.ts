/**
 * Builds the sandbox process's program and command line.
 *
 * The program is one JavaScript text (the frame encoder, the host thread and
 * the worker bootstrap, each from its function's source) passed to `deno run`
 * as a `data:` URL. The child therefore needs no file permission at all, the
 * same code runs from a source checkout and from a single-file bundle, and
 * nothing has to be written to disk first.
 *
 * @module
 */

import { encodeFrame } from "./frames.ts";
import { hostMain } from "./host_main.ts";
import { workerMain } from "./worker_main.ts";

/** Options that shape the sandbox process. */
export interface BootstrapOptions {
  /** V8 old-space cap of the sandbox process, in MiB. */
  heapMb: number;
  /** Size of the buffer a host-call reply is copied through, in bytes. */
  sharedBytes: number;
}

let cachedSource: string | undefined;

/**
 * The sandbox program's JavaScript source.
 *
 * @example
 * ```ts
 * import { sandboxProgram } from "./bootstrap.ts";
 * console.log(sandboxProgram(1 << 20).includes("permissions")); // true
 * ```
 */
export function sandboxProgram(sharedBytes: number): string {
  cachedSource ??= [
    `const encode = (${encodeFrame.toString()});`,
    `const hostMain = (${hostMain.toString()});`,
    `const workerSource = ${JSON.stringify(`(${workerMain.toString()})();`)};`,
  ].join("\n");
  return `${cachedSource}\nhostMain(encode, workerSource, ${sharedBytes});\n`;
}

/**
 * Arguments for `deno` that start the sandbox: no prompts, no permissions,
 * no config or lock file discovery, a heap cap, and the program as a
 * `data:` URL.
 *
 * @example
 * ```ts
 * import { sandboxArgs } from "./bootstrap.ts";
 * const args = sandboxArgs({ heapMb: 256, sharedBytes: 1 << 20 });
 * console.log(args.includes("--no-prompt")); // true
 * ```
 */
export function sandboxArgs(options: BootstrapOptions): string[] {
  const program = sandboxProgram(options.sharedBytes);
  return [
    "run",
    "--no-prompt",
    "--no-config",
    "--no-lock",
    "--quiet",
    "--unstable-worker-options",
    `--v8-flags=--max-old-space-size=${options.heapMb}`,
    "data:text/javascript," + encodeURIComponent(program),
  ];
}
