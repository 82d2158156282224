/**
 * One task from start to result: its isolated copy, `setup`, a fresh
 * {@linkcode CodingAgent} (own sandbox, own session file, the headless
 * policy), the diff, `verify` — all inside the task's wall-clock and cost
 * budgets.
 *
 * @module
 */

import { CodingAgent } from "../agent/coding_agent.ts";
import { reviewProjectInstructions } from "../agent/project_instructions.ts";
import type { Config } from "../config/fields.ts";
import { dataDir, type EnvReader, userConfigPath } from "../config/paths.ts";
import { LmError } from "../lm/errors.ts";
import { scrubEnv } from "../policy/env.ts";
import { emptyTotals, type RlmEvent } from "../rlm/events.ts";
import { headlessApprover } from "../safety/approval.ts";
import { recordTurn } from "../session/recorder.ts";
import { SessionLog } from "../session/store.ts";
import { dirname, join } from "../util/path.ts";
import { VERSION } from "../version.ts";
import type { CommandRunner } from "./commands.ts";
import {
  baseGitDir,
  copyDiff,
  copyName,
  makeCopy,
  type RepoCache,
} from "./copy.ts";
import { type LmFactory, taskLms } from "./gated_lm.ts";
import { REPO_VARIABLES } from "./git.ts";
import { taskConfig } from "./task_config.ts";
import type { Throttle } from "./throttle.ts";
import type {
  BatchTask,
  FailureCause,
  TaskLimits,
  TaskResult,
} from "./types.ts";

/** Everything a task runs with besides the task itself. */
export interface TaskRunContext {
  /** Copies go to `workDir/<task folder>`. */
  workDir: string;
  /** The batch's config; a task's `config` goes on top. */
  config: Config;
  /** Where API keys are read from (this machine's environment). */
  env: EnvReader;
  /** `--yes`: allow what would ask (secrets excepted, deny rules hold). */
  yes: boolean;
  /** Allow and deny rules of the batch's config. */
  permissions?: { allow?: string[]; deny?: string[] };
  /** Variables commands keep although their names look secret. */
  envAllow?: string[];
  /** Wall-clock and cost budgets. */
  limits: TaskLimits;
  /** The batch's brake on concurrency and model calls. */
  throttle: Throttle;
  /** Runs `setup` and `verify`. */
  commands: CommandRunner;
  /** Mirrors of git URLs. */
  cache: RepoCache;
  /** Where session files go; `null` for none. */
  sessionsDir: string | null;
  /** Which copies stay after their task: `all`, those of tasks that did not end `done`, or `none`. */
  keepCopies: "all" | "failed" | "none";
  /** Builds model clients (default: the real one). */
  lmFactory?: LmFactory;
  /** The environment setup and verify start from, before secrets are removed (default: this process's). */
  commandEnv?: Record<string, string>;
}

/** How a task run ended. */
export type TaskOutcome =
  /** It has a result to record. */
  | { kind: "result"; result: TaskResult }
  /** The model server rate-limited it to failure: the batch may run it again later. */
  | { kind: "rate_limited"; result: TaskResult; quota: boolean }
  /**
   * This machine cannot use its model (its key is refused, or its model
   * server cannot be reached): the task is not at fault. A local batch
   * records the result; a queue worker hands the task to another.
   */
  | { kind: "model_unusable"; result: TaskResult; message: string }
  /** The batch was stopped while it ran: nothing to record. */
  | { kind: "interrupted" };

/** Model failures that are the machine's, not the task's. */
const MACHINE_FAULTS = new Set(["auth", "missing_key", "unreachable"]);

class Stop extends Error {
  constructor(
    readonly why: FailureCause | "interrupted",
    message: string,
  ) {
    super(message);
  }
}

function processEnvironment(): Record<string, string> {
  try {
    return Deno.env.toObject();
  } catch {
    return {};
  }
}

/** The environment of setup and verify: no secrets; `deno` (the one running nanocode) on PATH. */
function commandEnvironment(context: TaskRunContext): Record<string, string> {
  const env = scrubEnv(
    context.commandEnv ?? processEnvironment(),
    context.envAllow ?? [],
  );
  for (const name of REPO_VARIABLES) delete env[name];
  const denoDir = dirname(Deno.execPath());
  env.PATH = env.PATH ? `${env.PATH}:${denoDir}` : `/usr/bin:/bin:${denoDir}`;
  return env;
}

function lastLines(text: string, lines = 5): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

/**
 * A result with nothing in it yet (`done`, no answer); with `error`, a
 * `failed` one.
 *
 * @example
 * ```ts
 * import { blankResult } from "./run_task.ts";
 * console.log(blankResult("t1", { cause: "worker", message: "crashed" }).status); // "failed"
 * ```
 */
export function blankResult(
  id: string,
  error: TaskResult["error"] = null,
): TaskResult {
  return {
    id,
    status: error ? "failed" : "done",
    answer: null,
    verify_exit: null,
    diff: "",
    usage: emptyTotals(),
    cost: null,
    duration_ms: 0,
    steps: 0,
    session: null,
    error,
  };
}

/**
 * Runs one task and returns its outcome; never throws for a failure of the
 * task itself (bad repo, failing setup, model errors, budgets).
 *
 * @example
 * ```ts ignore
 * const outcome = await runTask(task, context, { signal });
 * if (outcome.kind === "result") results.append(outcome.result);
 * ```
 */
export async function runTask(
  task: BatchTask,
  context: TaskRunContext,
  options: { signal?: AbortSignal; onEvent?: (event: RlmEvent) => void } = {},
): Promise<TaskOutcome> {
  const started = performance.now();
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new Stop("timeout", "")),
    context.limits.timeoutMs,
  );
  const signal = options.signal
    ? AbortSignal.any([deadline.signal, options.signal])
    : deadline.signal;
  const result = blankResult(task.id);
  const seconds = (context.limits.timeoutMs / 1000).toFixed(0);
  const stopReason = (): Stop =>
    options.signal?.aborted
      ? new Stop("interrupted", "interrupted")
      : new Stop("timeout", `the task ran past its ${seconds} s budget`);
  const remaining = () =>
    Math.max(1, context.limits.timeoutMs - (performance.now() - started));
  const dir = join(context.workDir, copyName(task.id));
  let copy: Awaited<ReturnType<typeof makeCopy>> | null = null;
  let rateLimited: { quota: boolean } | null = null;
  let unusable: string | null = null;
  let keepCopy = false;
  const runCommand = async (command: string) => {
    const ran = await context.commands.run({
      command,
      cwd: dir,
      env: commandEnvironment(context),
      timeoutMs: remaining(),
      signal,
    });
    if (ran.stopped) throw stopReason();
    return ran;
  };
  try {
    let config: Config;
    try {
      config = taskConfig(context.config, task.config);
    } catch (error) {
      throw new Stop("config", (error as Error).message);
    }
    try {
      copy = await makeCopy(task, dir, context.cache, signal);
    } catch (error) {
      if (signal.aborted) throw stopReason();
      throw new Stop("copy", (error as Error).message);
    }
    if (signal.aborted) throw stopReason();
    if (task.setup) {
      const ran = await runCommand(task.setup);
      if (ran.code !== 0) {
        const output = lastLines(ran.output);
        throw new Stop(
          "setup",
          `setup exited with code ${ran.code}${output ? `: ${output}` : ""}`,
        );
      }
    }
    await runAgent(task, config, context, signal, result, options.onEvent)
      .catch((error) => {
        if (signal.aborted) throw stopReason();
        if (error instanceof Stop) throw error;
        if (error instanceof LmError && error.kind === "quota") {
          rateLimited = { quota: true };
        } else if (error instanceof LmError && error.kind === "rate_limited") {
          rateLimited = { quota: /quota|billing/i.test(error.message) };
        } else if (error instanceof LmError && MACHINE_FAULTS.has(error.kind)) {
          unusable = error.message;
        }
        throw new Stop(
          rateLimited ? "rate_limit" : "agent",
          (error as Error).message,
        );
      });
    const taken = await copyDiff(copy);
    result.diff = taken.diff;
    // The result says where the patch that was left out is: keep the copy.
    keepCopy = taken.truncated;
    if (task.verify) {
      result.verify_exit = (await runCommand(task.verify)).code;
    }
  } catch (error) {
    const stop = error instanceof Stop
      ? error
      : new Stop("agent", (error as Error).message);
    if (stop.why === "interrupted") return { kind: "interrupted" };
    result.status = stop.why === "timeout" ? "timeout" : "failed";
    result.error = { cause: stop.why, message: stop.message };
    if (copy && result.diff === "") {
      result.diff = await copyDiff(copy).then((d) => {
        keepCopy = d.truncated;
        return d.diff;
      }, () => "");
    }
  } finally {
    clearTimeout(timer);
  }
  result.cost = result.usage.cost ?? null;
  result.duration_ms = Math.round(performance.now() - started);
  const keep = keepCopy || context.keepCopies === "all" ||
    (context.keepCopies === "failed" && result.status !== "done");
  await Deno.remove(baseGitDir(dir), { recursive: true }).catch(() => {});
  if (!keep) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  if (unusable !== null) {
    return { kind: "model_unusable", result, message: unusable };
  }
  const limited = rateLimited as { quota: boolean } | null;
  if (limited) return { kind: "rate_limited", result, quota: limited.quota };
  return { kind: "result", result };
}

/** The task repo's AGENTS.md files, through the same checks as any run's. */
async function taskInstructions(workspace: string, env: EnvReader) {
  let protectedDirs: string[] = [];
  try {
    protectedDirs = [dirname(userConfigPath(env)), dataDir(env)];
  } catch {
    // no home folder: nothing of nanocode's own to protect there
  }
  const { files } = await reviewProjectInstructions(workspace, {
    home: env("HOME") ?? "/nonexistent",
    protectedDirs,
  });
  return files;
}

/** The agent's turn, filling `result` (answer, usage, steps, session) as it goes. */
async function runAgent(
  task: BatchTask,
  config: Config,
  context: TaskRunContext,
  signal: AbortSignal,
  result: TaskResult,
  onEvent?: (event: RlmEvent) => void,
): Promise<void> {
  const workspace = join(context.workDir, copyName(task.id));
  const log = context.sessionsDir === null ? null : SessionLog.create(
    context.sessionsDir,
    { cwd: workspace, lm: config.lm, version: VERSION },
  );
  result.session = log?.id ?? null;
  const recorder = log ? recordTurn(log, task.task) : null;
  const budget = new AbortController();
  const [lm, subLm] = taskLms(
    config,
    context.env,
    context.throttle,
    context.lmFactory,
  );
  await using agent = new CodingAgent({
    workspace,
    config,
    env: context.env,
    lm,
    subLm,
    approver: headlessApprover(context.yes),
    permissions: context.permissions,
    envAllow: context.envAllow,
    snapshotsDir: null,
    projectInstructions: await taskInstructions(workspace, context.env),
  });
  const maxCost = context.limits.maxCost;
  try {
    const answer = await agent.forward(task.task, {
      signal: AbortSignal.any([signal, budget.signal]),
      onEvent: (event) => {
        recorder?.onEvent(event);
        if (event.type === "usage") {
          result.usage = { ...event.total };
          if (maxCost !== null && (event.total.cost ?? 0) > maxCost) {
            budget.abort();
          }
        }
        if (event.type === "step_start") result.steps = event.step;
        onEvent?.(event);
      },
    });
    recorder?.answered(answer);
    result.answer = answer.answer;
    result.usage = answer.usage;
    result.steps = answer.trajectory.length;
  } catch (error) {
    if (signal.aborted || budget.signal.aborted) recorder?.interrupted();
    else recorder?.failed(error);
    if (budget.signal.aborted && !signal.aborted) {
      throw new Stop(
        "budget",
        `the task spent $${
          result.usage.cost?.toFixed(4)
        }, over its $${maxCost} budget`,
      );
    }
    throw error;
  }
}
