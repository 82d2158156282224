/**
 * `nanocode batch` and `nanocode worker`: the command-line side of batch
 * runs. It loads the configuration like any run, builds the real
 * dependencies and hands over to the local scheduler, the queue submitter
 * or the queue worker; the agent is driven through its library API.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import { ConfigError } from "../config/load.ts";
import { type EnvReader, xdgDir } from "../config/paths.ts";
import { decideStartup } from "../trust/decide.ts";
import { trustReport } from "../trust/report.ts";
import { killAllCommands } from "../exec/supervisor.ts";
import { EXIT } from "../cli/exit.ts";
import { UsageError } from "../cli/args.ts";
import { safetySettings } from "../cli/safety_settings.ts";
import { ensureModel, sessionsDir, SetupError } from "../cli/setup.ts";
import { colorWanted, createStyle } from "../ui/style.ts";
import { type Output, stderrOutput, stdoutOutput } from "../ui/terminal.ts";
import { join } from "../util/path.ts";
import {
  type BatchCliOptions,
  defaultConcurrency,
  parseBatchCli,
} from "./cli_args.ts";
import { batchHelp } from "./cli_help.ts";
import { commandRunnerFor } from "./commands.ts";
import { copyName, RepoCache } from "./copy.ts";
import { runLocalBatch } from "./local.ts";
import {
  allReporters,
  type BatchReporter,
  jsonReporter,
  plainReporter,
  terminalReporter,
} from "./progress.ts";
import { carriedConfig, parseQueueUrl, QueueError } from "./queue_jobs.ts";
import {
  ResultsFile,
  ResultsLockedError,
  ResultsOpenError,
  ResultsWriteError,
} from "./results_file.ts";
import type { TaskRunContext } from "./run_task.ts";
import { taskConfig } from "./task_config.ts";
import { readTasks, TaskFileError } from "./task_file.ts";
import { Throttle } from "./throttle.ts";
import type { BatchTask } from "./types.ts";

/** The folder batch copies live under: `$XDG_CACHE_HOME/nanocode` (default `~/.cache/nanocode`). */
function cacheDir(env: EnvReader): string {
  const base = xdgDir(env, "XDG_CACHE_HOME") ||
    join(env("HOME") ?? "/tmp", ".cache");
  return join(base, "nanocode");
}

function absolute(path: string): string {
  return path.startsWith("/") ? path : join(Deno.cwd(), path);
}

/** Reporters for this process's outputs: JSON lines for programs, a bar or plain lines for people. */
function reporters(
  env: EnvReader,
  options: { starts?: boolean } = {},
): BatchReporter {
  const stdout = stdoutOutput();
  const stderr = stderrOutput();
  const list: BatchReporter[] = [];
  if (!stdout.isTerminal) list.push(jsonReporter(stdout, options));
  const human: Output = stderr.isTerminal || !stdout.isTerminal
    ? stderr
    : stdout;
  list.push(
    human.isTerminal
      ? terminalReporter(human, createStyle(colorWanted(true, env)))
      : plainReporter(human),
  );
  return allReporters(list);
}

/** Stops on the first Ctrl-C (or SIGTERM); a second one exits at once. */
function interrupts(
  what: string,
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) Deno.exit(EXIT.interrupted);
    stderrOutput().write(
      `\nnanocode: stopping (${what}); Ctrl-C again to quit at once\n`,
    );
    controller.abort();
  };
  // Closing the terminal: no command a task started outlives the batch.
  const onHangup = () => {
    killAllCommands().finally(() => Deno.exit(EXIT.hangup));
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  Deno.addSignalListener("SIGHUP", onHangup);
  return {
    signal: controller.signal,
    dispose() {
      Deno.removeSignalListener("SIGINT", onSignal);
      Deno.removeSignalListener("SIGTERM", onSignal);
      Deno.removeSignalListener("SIGHUP", onHangup);
    },
  };
}

/**
 * The settings shared by both commands, through the same start-up trust
 * decision as every run (a folder's own config applies only as far as it
 * is trusted; nobody is asked here).
 */
async function settings(options: BatchCliOptions, env: EnvReader) {
  const cwd = Deno.cwd();
  const decision = await decideStartup({
    cwd,
    env,
    flags: options.flags,
    configFile: options.configFile,
    trustProject: options.trustProject,
  });
  const loaded = decision.loaded;
  const safety = safetySettings(loaded.extraLayers, options.addDirs);
  const report = trustReport(decision, {
    cwd,
    home: env("HOME"),
    interactive: false,
  });
  // With --queue the submitter runs no model and no task: the model, its
  // key and what tasks may do are each worker's.
  const local = options.command === "worker" || !options.queue;
  const notes = [
    ...loaded.warnings,
    ...report.notices,
    ...local ? await ensureModel(loaded.config, loaded.sources, env) : [],
  ];
  if (local && loaded.config.permission_mode === "ask" && !options.yes) {
    notes.push(
      'Permission mode is "ask" and nobody can answer: tasks cannot edit files or run commands. Use --permission-mode auto-edit (edits), --yes, or yolo.',
    );
  }
  return { config: loaded.config, sources: loaded.sources, safety, notes };
}

/** Checks every task's config against the batch's before anything runs. */
function checkTaskConfigs(tasks: BatchTask[], config: Config): void {
  const errors: string[] = [];
  for (const task of tasks) {
    try {
      taskConfig(config, task.config);
    } catch (error) {
      errors.push(`task ${task.id}: ${(error as Error).message}`);
    }
  }
  if (errors.length) throw new TaskFileError(errors.slice(0, 5).join("\n"));
}

/** What tasks run with on this machine, besides their budgets. */
function taskContext(
  options: BatchCliOptions,
  env: EnvReader,
  loaded: Awaited<ReturnType<typeof settings>>,
  workDir: string,
  keep: "failed" | "none",
): Omit<TaskRunContext, "limits"> {
  return {
    workDir,
    config: loaded.config,
    env,
    yes: options.yes,
    permissions: loaded.safety.permissions,
    envAllow: loaded.safety.envAllow,
    throttle: new Throttle(options.concurrency ?? defaultConcurrency()),
    commands: commandRunnerFor(loaded.config, env),
    cache: new RepoCache(join(workDir, ".mirrors")),
    sessionsDir: sessionsDir(env),
    keepCopies: options.keep ? "all" : keep,
  };
}

/**
 * Runs `nanocode batch ...` or `nanocode worker ...` and returns the exit
 * code.
 *
 * @example
 * ```ts ignore
 * Deno.exit(await batchCommand("batch", ["tasks.jsonl", "--concurrency", "4"], processEnv));
 * ```
 */
export async function batchCommand(
  command: "batch" | "worker",
  argv: string[],
  env: EnvReader,
): Promise<number> {
  const stderr = stderrOutput();
  const fail = (message: string, code: number = EXIT.usage) => {
    stderr.write(`nanocode: ${message}\n`);
    return code;
  };
  let options: BatchCliOptions;
  try {
    options = parseBatchCli(command, argv);
  } catch (error) {
    if (error instanceof UsageError) {
      return fail(
        `${error.message}\nRun "nanocode ${command} --help" for usage.`,
      );
    }
    throw error;
  }
  if (options.help) {
    stdoutOutput().write(batchHelp(command));
    return EXIT.ok;
  }
  try {
    if (options.queue) parseQueueUrl(options.queue);
    return command === "batch"
      ? await batch(options, env)
      : await worker(options, env);
  } catch (error) {
    if (
      error instanceof ConfigError || error instanceof SetupError ||
      error instanceof TaskFileError || error instanceof ResultsLockedError ||
      error instanceof ResultsOpenError ||
      error instanceof QueueError || error instanceof TypeError
    ) {
      return fail(error.message);
    }
    if (error instanceof ResultsWriteError) {
      return fail(error.message, EXIT.failed);
    }
    throw error;
  }
}

async function batch(
  options: BatchCliOptions,
  env: EnvReader,
): Promise<number> {
  const loaded = await settings(options, env);
  const tasks = await readTasks(options.tasksFile!);
  // With --queue, what a task may do is each worker's policy: they judge it.
  if (!options.queue) checkTaskConfigs(tasks, loaded.config);
  const out = absolute(options.out);
  const results = await ResultsFile.open(out);
  const reporter = reporters(env);
  for (const note of loaded.notes) reporter.notice(note);
  const limits = {
    timeoutMs: options.timeoutS * 1000,
    maxCost: options.maxCost,
  };
  const batchId = copyName(`${Deno.hostname()}:${out}`);
  const stop = interrupts(
    options.queue
      ? "the workers go on; run the same command again to collect their results"
      : "running tasks are abandoned and run again next time; finished ones are kept",
  );
  try {
    let run;
    if (options.queue) {
      const { submitBatch } = await import("./submit.ts");
      run = await submitBatch({
        tasks,
        results,
        target: { url: options.queue, name: options.queueName },
        batch: batchId,
        config: carriedConfig(loaded.config, loaded.sources),
        limits,
        reporter,
        signal: stop.signal,
        retryFailed: options.retryFailed,
      });
    } else {
      const workDir = options.workDir
        ? absolute(options.workDir)
        : join(cacheDir(env), "batch", batchId);
      const context = {
        ...taskContext(options, env, loaded, workDir, "failed"),
        limits,
      };
      context.throttle.listen((change) => reporter.throttled(change));
      run = await runLocalBatch({
        tasks,
        results,
        context,
        reporter,
        signal: stop.signal,
        retryFailed: options.retryFailed,
      });
      if (run.summary.failed + run.summary.timeout > 0) {
        reporter.notice(
          `Copies of the tasks that did not end "done" are kept under ${workDir}`,
        );
      }
    }
    if (
      options.maxCost !== null && run.summary.cost === null &&
      run.summary.total > run.summary.unfinished
    ) {
      reporter.notice(
        "The provider reported no cost, so --max-cost could not be enforced (OpenRouter reports it)",
      );
    }
    if (run.interrupted) return EXIT.interrupted;
    return run.summary.failed + run.summary.timeout > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    stop.dispose();
    results.close();
  }
}

async function worker(
  options: BatchCliOptions,
  env: EnvReader,
): Promise<number> {
  const loaded = await settings(options, env);
  const reporter = reporters(env, { starts: true });
  for (const note of loaded.notes) reporter.notice(note);
  const workDir = options.workDir
    ? absolute(options.workDir)
    : join(cacheDir(env), "worker", String(Deno.pid));
  const stop = interrupts("running tasks go back to the queue");
  const { runWorker } = await import("./worker.ts");
  try {
    const ran = await runWorker({
      target: { url: options.queue!, name: options.queueName },
      context: taskContext(options, env, loaded, workDir, "none"),
      reporter,
      signal: stop.signal,
      stalledAfterMs: options.stalledAfterS * 1000,
    });
    if (ran.modelUnusable !== null) {
      reporter.notice(
        `Worker stopped after ${ran.finished} tasks: its model cannot be used here (${ran.modelUnusable}); its tasks went back to the queue for other workers`,
      );
      return EXIT.failed;
    }
    reporter.notice(`Worker stopped after ${ran.finished} tasks`);
    return EXIT.ok;
  } finally {
    stop.dispose();
    if (!options.keep && !options.workDir) {
      await Deno.remove(workDir, { recursive: true }).catch(() => {});
    }
  }
}
