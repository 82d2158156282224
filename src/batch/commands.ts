/**
 * How a batch runs a task's `setup` and `verify` commands: one small
 * interface, with a plain-process default (its own process group, a
 * timeout and an abort that kill the whole tree, output kept head and
 * tail). A command sandbox can take its place without touching the rest:
 * an adapter that spawns through an executor and waits with a timeout and
 * a signal is passed as `TaskRunContext.commands` where the CLI builds it.
 *
 * @module
 */

import { HeadTailBuffer } from "../tools/bash/head_tail_buffer.ts";
import { killMarkedProcesses, killProcessGroup } from "../exec/process_tree.ts";
import { newRunMarker, supervisedArgs } from "../exec/supervisor.ts";
import { findExecutable } from "../tools/context.ts";

/** One command to run. */
export interface CommandRequest {
  /** A shell command line, run with `bash -c`. */
  command: string;
  /** The folder it runs in (the task's copy). */
  cwd: string;
  /** Its whole environment (nothing else is inherited). */
  env: Record<string, string>;
  /** Milliseconds before it and its children are killed. */
  timeoutMs: number;
  /** Aborting kills it and its children. */
  signal?: AbortSignal;
}

/** How a command ended. */
export interface CommandResult {
  /** The exit code (128 + signal number when killed by a signal). */
  code: number;
  /** Why it was stopped, or `null` when it ended by itself. */
  stopped: "timeout" | "abort" | null;
  /** stdout and stderr merged, head and tail kept when long. */
  output: string;
}

/** Runs setup and verify commands. */
export interface CommandRunner {
  /** Runs one command to its end. */
  run(request: CommandRequest): Promise<CommandResult>;
}

/** Bytes of a command's output kept for the result (half head, half tail). */
const OUTPUT_BYTES = 8_000;
/** How long to wait for the output to close after the command exits. */
const DRAIN_GRACE_MS = 1000;

/**
 * Runs commands as plain processes under `run_bash`'s supervisor: `bash -c`
 * in a new process group, a marker variable on every process it starts, on
 * timeout or abort the group and every marked process killed, and the
 * same when the batch itself dies (the supervisor's pipe closes).
 *
 * @example
 * ```ts ignore
 * const result = await plainCommandRunner.run({
 *   command: "npm test", cwd: "/work/t1", env: { PATH: "/usr/bin:/bin" }, timeoutMs: 60_000,
 * });
 * console.log(result.code, result.output);
 * ```
 */
export const plainCommandRunner: CommandRunner = {
  async run(request) {
    // The same supervisor as run_bash: if this process dies, the command goes too.
    const [name, value] = newRunMarker();
    const marker = `${name}=${value}`;
    const bash = findExecutable("bash", request.env.PATH) ??
      findExecutable("bash") ?? "/bin/bash";
    const child = new Deno.Command(bash, {
      args: supervisedArgs(`exec 2>&1; ${request.command}`, value),
      cwd: request.cwd,
      env: { ...request.env, [name]: value },
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      detached: true,
    }).spawn();
    const output = new HeadTailBuffer(OUTPUT_BYTES);
    const reading = Promise.all([child.stdout, child.stderr].map(async (s) => {
      try {
        for await (const chunk of s) output.push(chunk);
      } catch {
        // cancelled: keep what arrived
      }
    }));
    let stopped: CommandResult["stopped"] = null;
    const stop = (why: "timeout" | "abort") => {
      if (stopped) return;
      stopped = why;
      killProcessGroup(child.pid);
      void killMarkedProcesses(marker);
    };
    const timer = setTimeout(() => stop("timeout"), request.timeoutMs);
    const onAbort = () => stop("abort");
    if (request.signal?.aborted) onAbort();
    request.signal?.addEventListener("abort", onAbort, { once: true });
    let status: Deno.CommandStatus;
    try {
      status = await child.status;
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
    }
    killProcessGroup(child.pid);
    await child.stdin.close().catch(() => {});
    if (stopped || !await settles(reading, DRAIN_GRACE_MS)) {
      await killMarkedProcesses(marker);
    }
    if (!await settles(reading, DRAIN_GRACE_MS)) {
      await Promise.all([child.stdout.cancel(), child.stderr.cancel()]).catch(
        () => {},
      );
    }
    return { code: status.code, stopped, output: output.text() };
  },
};

async function settles(promise: Promise<unknown>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
