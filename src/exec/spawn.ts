/**
 * Starting one process the way every command starts: its own process
 * group, a clean environment tagged with a run marker, output piped.
 *
 * @module
 */

import { killMarkedProcesses, killProcessGroup } from "./process_tree.ts";
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
  /** The sandbox level the argv sets up, reported back. */
  level: SandboxLevel;
}

/**
 * Starts a process in its own process group with exactly `spec.env` plus
 * `NANOCODE_RUN=<fresh id>`, stdout and stderr piped.
 *
 * @throws {Deno.errors.NotFound} when the program does not exist.
 * @example
 * ```ts ignore
 * const child = spawnProcess({ argv: ["/bin/bash", "-c", "ls"], cwd: "/w", env: {}, stdin: "null", level: "none" });
 * await child.status;
 * ```
 */
export function spawnProcess(spec: SpawnSpec): ExecProcess {
  const runId = crypto.randomUUID();
  const marker = `${RUN_MARKER_VARIABLE}=${runId}`;
  const [program, ...args] = spec.argv;
  const child = new Deno.Command(program, {
    args,
    cwd: spec.cwd,
    env: { ...spec.env, [RUN_MARKER_VARIABLE]: runId },
    clearEnv: true,
    stdin: spec.stdin,
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();
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
