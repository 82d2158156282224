/**
 * How a batch runs a task's `setup` and `verify` commands: through the
 * same executor as `run_bash` (`src/exec`), in the OS sandbox where it
 * works. They run at the `open` level — the file system writable and the
 * network shared, as a set-up needs (`npm ci`) — but with a private
 * `/proc` (the batch's own environment, with its API keys, cannot be read
 * through `/proc/<pid>/environ`), the user's credential files and
 * nanocode's own folders masked, and their environment without secrets.
 * A timeout or an abort kills the whole tree, and nothing a command
 * starts outlives it (a daemon forked by `setup` included).
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import { dataDir, type EnvReader, userConfigPath } from "../config/paths.ts";
import { createExecutor } from "../exec/executor.ts";
import { runToEnd } from "../exec/run.ts";
import { secretReason } from "../policy/classify.ts";
import { HeadTailBuffer } from "../tools/bash/head_tail_buffer.ts";
import { findExecutable } from "../tools/context.ts";
import { dirname } from "../util/path.ts";

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

/** Where commands run and what they must not see. */
export interface CommandRunnerOptions {
  /** The `sandbox` setting: `auto` uses bubblewrap where it works, `off` never. */
  sandbox: Config["sandbox"];
  /** The user's home folder (its credential folders are masked). */
  home: string;
  /** nanocode's own folders (config, data): masked. */
  protectedDirs: readonly string[];
}

/** Bytes of a command's output kept for the result (half head, half tail). */
const OUTPUT_BYTES = 8_000;

/**
 * A command runner through the real executor (see the module
 * documentation). The task's own copy is shown as it is (its `.env`
 * files too: they are the task's, not the user's).
 *
 * @example
 * ```ts ignore
 * const runner = commandRunner({ sandbox: "auto", home: "/home/me", protectedDirs: [] });
 * const result = await runner.run({
 *   command: "npm test", cwd: "/work/t1", env: { PATH: "/usr/bin:/bin" }, timeoutMs: 60_000,
 * });
 * console.log(result.code, result.output);
 * ```
 */
export function commandRunner(options: CommandRunnerOptions): CommandRunner {
  const classify = {
    home: options.home,
    protectedDirs: [...options.protectedDirs],
  };
  return {
    async run(request) {
      // Masks are decided on real paths.
      const cwd = await Deno.realPath(request.cwd);
      const executor = createExecutor({
        sandbox: options.sandbox,
        roots: [cwd],
        home: options.home,
        protectedDirs: options.protectedDirs,
        secretReason: (path) => secretReason(path, classify),
      });
      try {
        const bash = findExecutable("bash", request.env.PATH) ??
          findExecutable("bash") ?? "/bin/bash";
        const child = await executor.spawn({
          argv: [bash, "-c", `exec 2>&1; ${request.command}`],
          cwd,
          env: request.env,
          sandbox: { level: "open", unmask: [cwd] },
        });
        const output = new HeadTailBuffer(OUTPUT_BYTES);
        const ran = await runToEnd(child, {
          timeoutMs: request.timeoutMs,
          signal: request.signal,
          onOutput: (chunk) => output.push(chunk),
        });
        await child.killTree();
        return { code: ran.code, stopped: ran.stopped, output: output.text() };
      } finally {
        await executor.close();
      }
    },
  };
}

/**
 * The runner for a batch's config and environment: the `sandbox` setting,
 * the home folder, and nanocode's config and data folders masked.
 *
 * @example
 * ```ts ignore
 * const runner = commandRunnerFor(config, (name) => Deno.env.get(name));
 * ```
 */
export function commandRunnerFor(
  config: Config,
  env: EnvReader,
): CommandRunner {
  const homeVar = env("HOME");
  const home = homeVar && homeVar.startsWith("/") ? homeVar : "/";
  let protectedDirs: string[] = [];
  try {
    protectedDirs = [dirname(userConfigPath(env)), dataDir(env)];
  } catch {
    // no home folder: nothing of nanocode's own to protect there
  }
  return commandRunner({ sandbox: config.sandbox, home, protectedDirs });
}

/**
 * Commands as plain processes, without the OS sandbox (what `--sandbox
 * off` gets): supervised, killed whole on timeout or abort, and nothing
 * they start outlives them.
 *
 * @example
 * ```ts ignore
 * const result = await plainCommandRunner.run({
 *   command: "npm test", cwd: "/work/t1", env: { PATH: "/usr/bin:/bin" }, timeoutMs: 60_000,
 * });
 * ```
 */
export const plainCommandRunner: CommandRunner = commandRunner({
  sandbox: "off",
  home: "/",
  protectedDirs: [],
});
