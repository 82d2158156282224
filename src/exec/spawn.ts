/**
 * Starting one process the way every command starts: its own process
 * group, a clean environment tagged with a run marker, output piped, and
 * (outside the sandbox, which has its own) a supervisor that kills the
 * tree when the agent dies.
 *
 * @module
 */

import { findExecutable } from "../tools/context.ts";
import { killMarkedProcesses, killProcessGroup } from "./process_tree.ts";
import { newRunMarker, supervisedArgs } from "./supervisor.ts";
import type { ExecProcess, SandboxLevel } from "./types.ts";

/**
 * Environment variable that tags every process a command starts, so the
 * whole tree can be found and killed.
 *
 * @example
 * ```ts
 * // inside a command: echo $NANOCODE_RUN prints a fresh id per command
 * console.log(RUN_MARKER_VARIABLE); // "NANOCODE_RUN"
 * ```
 */
export const RUN_MARKER_VARIABLE = "NANOCODE_RUN";

/** What {@linkcode spawnProcess} starts. */
export interface SpawnSpec {
  /** The program and its arguments. */
  argv: readonly string[];
  /** Folder to start in. */
  cwd: string;
  /** The whole environment (the marker is added). */
  env: Record<string, string>;
  /** Whether the process reads input. */
  stdin: "null" | "piped";
  /**
   * The sandbox level the argv sets up, reported back. At `none` a command
   * without input runs under the supervisor (`./supervisor.ts`); the
   * sandbox dies with the agent by itself (`--die-with-parent`).
   */
  level: SandboxLevel;
  /**
   * Words the program is started through (such as `setpriv ... --`, see
   * `./cap_drop.ts`); default none.
   */
  prefix?: readonly string[];
}

/**
 * Starts a process in its own process group with exactly `spec.env` plus
 * `NANOCODE_RUN=<agent tag>-<fresh id>`, stdout and stderr piped.
 *
 * @throws {Deno.errors.NotFound} when the program does not exist.
 * @example
 * ```ts ignore
 * const child = spawnProcess({ argv: ["/bin/bash", "-c", "ls"], cwd: "/w", env: {}, stdin: "null", level: "none" });
 * await child.status;
 * ```
 */
export function spawnProcess(spec: SpawnSpec): ExecProcess {
  const [name, runId] = newRunMarker();
  const marker = `${name}=${runId}`;
  // A command that reads no input gets the supervisor: its stdin is the
  // lifeline that closes when the agent dies.
  const supervised = spec.level === "none" && spec.stdin === "null";
  let [program, ...args] = spec.argv;
  if (supervised) {
    const bash = findExecutable("bash", spec.env.PATH) ??
      findExecutable("bash") ?? "/bin/bash";
    args = supervisedArgs(bashScript(spec.argv), runId);
    program = bash;
  }
  if (spec.prefix?.length) {
    args = [...spec.prefix.slice(1), program, ...args];
    program = spec.prefix[0];
  }
  const child = new Deno.Command(program, {
    args,
    cwd: spec.cwd,
    env: { ...spec.env, [name]: runId },
    clearEnv: true,
    stdin: supervised ? "piped" : spec.stdin,
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
  if (supervised) {
    // Keep the lifeline open until the command has ended.
    child.status.finally(() => child.stdin.close().catch(() => {}));
  }
  return {
    pid: child.pid,
    level: spec.level,
    stdin: spec.stdin === "piped" ? child.stdin : null,
    stdout: child.stdout,
    stderr: child.stderr,
    status: child.status,
    stop: () => killProcessGroup(child.pid),
    async killTree() {
      killProcessGroup(child.pid);
      await killMarkedProcesses(marker);
    },
  };
}

/**
 * `argv` as a bash command line: the script itself for `bash -c SCRIPT`,
 * otherwise every word single-quoted.
 */
function bashScript(argv: readonly string[]): string {
  const [program, flag, script, ...rest] = argv;
  if (/(^|\/)bash$/.test(program) && flag === "-c" && rest.length === 0) {
    return script;
  }
  return argv.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(" ");
}
