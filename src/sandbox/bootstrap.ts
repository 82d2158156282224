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
import { startPython } from "./python/worker_python.ts";
import { replHelpers } from "./worker_helpers.ts";
import { workerMain } from "./worker_main.ts";

/** Options that shape the sandbox process. */
export interface BootstrapOptions {
  /** V8 old-space cap of the sandbox process, in MiB. */
  heapMb: number;
  /** Size of the buffer a host-call reply is copied through, in bytes. */
  sharedBytes: number;
  /** Whether cells are Python (the worker then waits for Pyodide's files). */
  python?: boolean;
}

const cachedSource = new Map<boolean, string>();

/**
 * The sandbox program's JavaScript source.
 *
 * @example
 * ```ts
 * import { sandboxProgram } from "./bootstrap.ts";
 * console.log(sandboxProgram(1 << 20).includes("permissions")); // true
 * ```
 */
export function sandboxProgram(sharedBytes: number, python = false): string {
  let source = cachedSource.get(python);
  if (!source) {
    source = [
      `const encode = (${encodeFrame.toString()});`,
      `const hostMain = (${hostMain.toString()});`,
      `const workerSource = ${JSON.stringify(workerSource(python))};`,
    ].join("\n");
    cachedSource.set(python, source);
  }
  return `${source}\nhostMain(encode, workerSource, ${sharedBytes});\n`;
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
  const program = sandboxProgram(options.sharedBytes, options.python);
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

/** The argument that makes nanocode itself act as the sandbox process. */
export const SELF_HOST_FLAG = "--nanocode-sandbox-host";

/** How to start the sandbox process. */
export interface SandboxCommand {
  /** The executable. */
  path: string;
  /** Its arguments. */
  args: string[];
  /** The (whole) environment of the process. */
  env: Record<string, string>;
}

/**
 * Whether this program is a `deno compile` binary (which cannot run
 * `deno run`, so it starts itself as the sandbox instead).
 *
 * @example
 * ```ts
 * import { isCompiledBinary } from "./bootstrap.ts";
 * console.log(isCompiledBinary()); // false under `deno run`
 * ```
 */
export function isCompiledBinary(): boolean {
  return /[\\/]deno-compile-/.test(Deno.mainModule);
}

/**
 * The command that starts the sandbox: `deno run` with no permissions and
 * the program as a `data:` URL; or, in a compiled binary, the binary
 * itself with {@linkcode SELF_HOST_FLAG} (the heap cap then comes from
 * `DENO_V8_FLAGS`).
 *
 * @example
 * ```ts
 * import { sandboxCommand } from "./bootstrap.ts";
 * const command = sandboxCommand(Deno.execPath(), { heapMb: 256, sharedBytes: 1 << 20 });
 * console.log(command.args[0]); // "run"
 * ```
 */
export function sandboxCommand(
  denoPath: string,
  options: BootstrapOptions,
  compiled = isCompiledBinary(),
): SandboxCommand {
  if (compiled) {
    return {
      path: denoPath,
      args: [
        SELF_HOST_FLAG,
        String(options.sharedBytes),
        ...(options.python ? ["python"] : []),
      ],
      env: {
        NO_COLOR: "1",
        DENO_V8_FLAGS: `--max-old-space-size=${options.heapMb}`,
      },
    };
  }
  return { path: denoPath, args: sandboxArgs(options), env: { NO_COLOR: "1" } };
}

/**
 * Runs the sandbox host in this process (the compiled binary's sandbox
 * mode): the same host thread and permission-less worker as the `data:`
 * URL program.
 *
 * @example
 * ```ts ignore
 * if (Deno.args[0] === SELF_HOST_FLAG) runSelfHostedSandbox(Number(Deno.args[1]));
 * ```
 */
export function runSelfHostedSandbox(
  sharedBytes: number,
  python = false,
): void {
  hostMain(encodeFrame, workerSource(python), sharedBytes);
}

/**
 * The worker's program text: `workerMain` called with its helpers and,
 * for Python cells, the Python runtime.
 *
 * @example
 * ```ts
 * import { workerSource } from "./bootstrap.ts";
 * console.log(workerSource().startsWith("(function workerMain")); // true
 * ```
 */
export function workerSource(python = false): string {
  const runtime = python ? `(${startPython.toString()})` : "null";
  return `(${workerMain.toString()})((${replHelpers.toString()}), ${runtime});`;
}
