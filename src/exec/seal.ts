/**
 * The agent's own process, sealed from the commands it starts. Where no OS
 * sandbox stands between them (`--sandbox off`, or bubblewrap cannot
 * start), a command sees the real `/proc`, and `/proc/<agent>/environ`
 * shows the environment the agent started with — API keys included, as
 * removing a variable later does not change it.
 *
 * On Linux the agent marks itself non-dumpable (`prctl(PR_SET_DUMPABLE,
 * 0)`, through Deno's FFI and the C library): its `/proc` files that show
 * memory (`environ`, `mem`, `maps`, `fd/`) then open only for a process
 * holding `CAP_SYS_PTRACE`, `CAP_SYS_ADMIN` or `CAP_PERFMON` (checked on
 * Linux 6.18), and nothing can attach a debugger to it. A command running
 * as the same, ordinary user holds none of these; a command running as
 * root loses them too (`./cap_drop.ts`). The flag is not inherited: the
 * processes the agent starts are dumpable as usual.
 *
 * @module
 */

/** `PR_SET_DUMPABLE` from `<linux/prctl.h>`. */
const PR_SET_DUMPABLE = 4;

let sealedHere = false;

/** What sealing did: sealed, or why not. */
export type SealResult =
  | { sealed: true }
  | { sealed: false; reason: string };

/** The one system call sealing needs, behind an interface for tests. */
export interface ProcessControl {
  /**
   * Sets this process's dumpable flag.
   *
   * @throws {Error} when the call fails.
   */
  setDumpable(dumpable: boolean): void;
}

/**
 * The real {@linkcode ProcessControl} on Linux: `prctl` from the C library
 * through `Deno.dlopen` (about a millisecond).
 *
 * @throws {Deno.errors.NotCapable} without the FFI permission.
 * @throws {Error} when the C library cannot be loaded.
 * @example
 * ```ts ignore
 * linuxProcessControl().setDumpable(false);
 * ```
 */
export function linuxProcessControl(): ProcessControl {
  const libc = Deno.dlopen("libc.so.6", {
    prctl: {
      parameters: ["i32", "u64", "u64", "u64", "u64"],
      result: "i32",
    },
  });
  return {
    setDumpable(dumpable: boolean) {
      const code = libc.symbols.prctl(
        PR_SET_DUMPABLE,
        dumpable ? 1n : 0n,
        0n,
        0n,
        0n,
      );
      if (code !== 0) {
        throw new Error(`prctl(PR_SET_DUMPABLE) returned ${code}`);
      }
    },
  };
}

/** Options of {@linkcode sealAgentProcess}. */
export interface SealOptions {
  /** The operating system (default `Deno.build.os`). */
  os?: typeof Deno.build.os;
  /** Opens the system call (default {@linkcode linuxProcessControl}). */
  control?: () => ProcessControl;
}

/**
 * Seals this process: commands it starts outside a sandbox can no longer
 * read its environment or memory through `/proc` (see the module
 * documentation for what holds). Never throws: without FFI (`--deny-ffi`,
 * or a run without `--allow-ffi`) or off Linux it says why instead, for a
 * one-line `--verbose` note.
 *
 * @example
 * ```ts ignore
 * const seal = sealAgentProcess();
 * if (!seal.sealed) console.error(`environment not sealed: ${seal.reason}`);
 * ```
 */
export function sealAgentProcess(options: SealOptions = {}): SealResult {
  const os = options.os ?? Deno.build.os;
  if (os !== "linux") {
    return { sealed: false, reason: `there is no way to seal it on ${os}` };
  }
  try {
    (options.control ?? linuxProcessControl)().setDumpable(false);
    if (!options.control) sealedHere = true;
    return { sealed: true };
  } catch (error) {
    const why = error instanceof Deno.errors.NotCapable
      ? "FFI is not allowed: run with -A or --allow-ffi"
      : (error as Error).message.split("\n")[0];
    return { sealed: false, reason: why };
  }
}

/**
 * Whether {@linkcode sealAgentProcess} sealed this process (with the real
 * system call).
 *
 * @example
 * ```ts
 * import { processSealed } from "./seal.ts";
 * console.log(processSealed()); // false until sealAgentProcess() succeeds
 * ```
 */
export function processSealed(): boolean {
  return sealedHere;
}

/**
 * The `--verbose` line for a process that could not be sealed, or `null`.
 *
 * @example
 * ```ts
 * import { sealNote } from "./seal.ts";
 * console.log(sealNote({ sealed: false, reason: "there is no way to seal it on darwin" }));
 * // "Commands outside the sandbox can read nanocode's environment through /proc (there is no way to seal it on darwin)."
 * ```
 */
export function sealNote(result: SealResult): string | null {
  return result.sealed
    ? null
    : `Commands outside the sandbox can read nanocode's environment through /proc (${result.reason}).`;
}
