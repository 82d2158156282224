/**
 * Builds the sandbox process's program and command line.
 *
 * The program is one JavaScript text (the frame encoder, the host thread and
 * the worker bootstrap, each from its function's source). `deno run` gets a
 * short loader as a `data:` URL, and the loader reads the program from the
 * start of its stdin (a length, then the text) before the frames begin. The
 * child therefore needs no file permission at all, the same code runs from a
 * source checkout and from a single-file bundle, nothing has to be written
 * to disk first, and the process's command line (`ps`) stays short.
 *
 * @module
 */

import { encodeFrameHeader } from "./frames.ts";
import { hostMain, type HostSettings } from "./host_main.ts";
import { procRss } from "./memory_watch.ts";
import { startPython } from "./python/worker_python.ts";
import { replHelpers } from "./worker_helpers.ts";
import { lockDownWorker } from "./worker_lockdown.ts";
import { workerMain } from "./worker_main.ts";
import { createCellOutput } from "./worker_output.ts";

/** Options that shape the sandbox process. */
export interface BootstrapOptions {
  /** V8 old-space cap of the sandbox process, in MiB. */
  heapMb: number;
  /** Size of the buffer a host-call reply is copied through, in bytes. */
  sharedBytes: number;
  /** Resident memory of the whole sandbox process allowed, in MiB. */
  memoryMb: number;
  /**
   * Whether the sandbox watches its own memory (default: only when the
   * agent cannot watch it through `/proc`).
   */
  selfWatch?: boolean;
  /** Whether cells are Python (the worker then waits for Pyodide's files). */
  python?: boolean;
}

/**
 * The sandbox process's `DENO_DIR`: a folder that can never be created (a
 * path below a device file), so Deno caches nothing at all: nothing a cell
 * manages to store through Deno's caches (the Cache API, compiled code)
 * reaches the disk, outlives the session or touches the user's `DENO_DIR`.
 * (With `--no-code-cache`, start-up does not even try.)
 *
 * @example
 * ```ts
 * import { SANDBOX_DENO_DIR } from "./bootstrap.ts";
 * console.log(SANDBOX_DENO_DIR); // "/dev/null/nanocode-sandbox"
 * ```
 */
export const SANDBOX_DENO_DIR = "/dev/null/nanocode-sandbox";

const cachedSource = new Map<boolean, string>();

/**
 * The worker's program text: `workerMain` called with the lockdown, the
 * output buffer, the REPL helpers and, for Python cells, the Python runtime.
 *
 * @example
 * ```ts
 * import { workerSource } from "./bootstrap.ts";
 * console.log(workerSource().startsWith("(function workerMain")); // true
 * ```
 */
export function workerSource(python = false): string {
  const runtime = python ? `(${startPython.toString()})` : "null";
  return `(${workerMain.toString()})(${lockDownWorker.toString()}, ${createCellOutput.toString()}, ${replHelpers.toString()}, ${runtime});`;
}

function hostSettings(
  options: BootstrapOptions,
  blobWorker = true,
): HostSettings {
  return {
    sharedBytes: options.sharedBytes,
    memoryBytes: options.memoryMb * 1024 * 1024,
    selfWatch: options.selfWatch ?? procRss(Deno.pid) === null,
    blobWorker,
  };
}

/**
 * The sandbox program's JavaScript source.
 *
 * @example
 * ```ts
 * import { sandboxProgram } from "./bootstrap.ts";
 * const program = sandboxProgram({ heapMb: 256, sharedBytes: 1 << 20, memoryMb: 768 });
 * console.log(program.includes("permissions")); // true
 * ```
 */
export function sandboxProgram(options: BootstrapOptions): string {
  const python = options.python ?? false;
  let source = cachedSource.get(python);
  if (!source) {
    source = [
      `const header = (${encodeFrameHeader.toString()});`,
      `const hostMain = (${hostMain.toString()});`,
      `const workerSource = ${JSON.stringify(workerSource(python))};`,
    ].join("\n");
    cachedSource.set(python, source);
  }
  return `${source}\nhostMain(header, workerSource, ${
    JSON.stringify(hostSettings(options))
  });\n`;
}

/**
 * `deno run` flags for a child that loads nothing it was not given: no
 * prompts, no config or lock file discovery, no npm or remote modules, no
 * chatter on stderr.
 *
 * @example
 * ```ts
 * import { CLOSED_RUN_FLAGS } from "./bootstrap.ts";
 * console.log(CLOSED_RUN_FLAGS.includes("--no-remote")); // true
 * ```
 */
export const CLOSED_RUN_FLAGS: readonly string[] = [
  "--no-prompt",
  "--no-config",
  "--no-lock",
  "--no-npm",
  "--no-remote",
  "--quiet",
];

/**
 * The loader the sandbox process starts with: it reads a 4-byte big-endian
 * length and that many bytes of program text from stdin (exactly those, so
 * the frames after them stay unread), then runs the text.
 */
const LOADER = "const i=Deno.stdin,r=(n)=>{const b=new Uint8Array(n);let o=0;" +
  "while(o<n){const k=i.readSync(b.subarray(o));if(k===null)throw new Error('no program');o+=k}return b};" +
  "const n=new DataView(r(4).buffer).getUint32(0);(0,eval)(new TextDecoder().decode(r(n)))";

/**
 * What the sandbox process reads first on stdin: the program's length and
 * text, for the loader.
 *
 * @example
 * ```ts
 * import { sandboxPrelude } from "./bootstrap.ts";
 * const bytes = sandboxPrelude({ heapMb: 256, sharedBytes: 1 << 20, memoryMb: 768 });
 * console.log(new DataView(bytes.buffer).getUint32(0) === bytes.length - 4); // true
 * ```
 */
export function sandboxPrelude(options: BootstrapOptions): Uint8Array {
  const text = new TextEncoder().encode(sandboxProgram(options));
  const bytes = new Uint8Array(4 + text.length);
  new DataView(bytes.buffer).setUint32(0, text.length);
  bytes.set(text, 4);
  return bytes;
}

/**
 * Arguments for `deno` that start the sandbox: no prompts, no permissions,
 * no config or lock file discovery, no npm or remote module loading (so no
 * request can leave the process, from any context), a heap cap, and the
 * loader as a short `data:` URL (the program follows on stdin, see
 * {@linkcode sandboxPrelude}).
 *
 * @example
 * ```ts
 * import { sandboxArgs } from "./bootstrap.ts";
 * const args = sandboxArgs({ heapMb: 256, sharedBytes: 1 << 20, memoryMb: 768 });
 * console.log(args.includes("--no-remote")); // true
 * ```
 */
export function sandboxArgs(options: BootstrapOptions): string[] {
  return [
    "run",
    ...CLOSED_RUN_FLAGS,
    "--no-code-cache",
    "--unstable-worker-options",
    `--v8-flags=--max-old-space-size=${options.heapMb}`,
    "data:text/javascript," + encodeURIComponent(LOADER),
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
  /** Bytes written to its stdin before the first frame. */
  prelude?: Uint8Array;
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
 * `DENO_V8_FLAGS`). The environment holds only `NO_COLOR` and the
 * uncreatable {@linkcode SANDBOX_DENO_DIR}.
 *
 * @example
 * ```ts
 * import { sandboxCommand } from "./bootstrap.ts";
 * const command = sandboxCommand(Deno.execPath(), { heapMb: 256, sharedBytes: 1 << 20, memoryMb: 768 });
 * console.log(command.args[0]); // "run"
 * ```
 */
export function sandboxCommand(
  denoPath: string,
  options: BootstrapOptions,
  compiled = isCompiledBinary(),
): SandboxCommand {
  const env = { NO_COLOR: "1", DENO_DIR: SANDBOX_DENO_DIR };
  if (compiled) {
    return {
      path: denoPath,
      args: [
        SELF_HOST_FLAG,
        String(options.sharedBytes),
        String(options.memoryMb),
        ...(options.python ? ["python"] : []),
      ],
      env: { ...env, DENO_V8_FLAGS: `--max-old-space-size=${options.heapMb}` },
    };
  }
  return {
    path: denoPath,
    args: sandboxArgs(options),
    env,
    prelude: sandboxPrelude(options),
  };
}

/**
 * Runs the sandbox host in this process (the compiled binary's sandbox
 * mode): the same host thread and permission-less worker as the `data:`
 * URL program.
 *
 * @example
 * ```ts ignore
 * if (Deno.args[0] === SELF_HOST_FLAG) runSelfHostedSandbox(Deno.args.slice(1));
 * ```
 */
export function runSelfHostedSandbox(args: string[]): void {
  const [sharedBytes, memoryMb] = args.map(Number);
  hostMain(
    encodeFrameHeader,
    workerSource(args[2] === "python"),
    hostSettings({
      heapMb: 0,
      sharedBytes: sharedBytes || 1 << 20,
      memoryMb: memoryMb || 1024,
    }, false),
  );
}
