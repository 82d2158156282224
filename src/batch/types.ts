/**
 * What a batch is made of: tasks (one line of a tasks file each) and the
 * result line each task ends with.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import type { UsageTotals } from "../rlm/events.ts";

/** One task of a batch: a line `{id, task, repo?, ref?, setup?, verify?, config?}` of a tasks file. */
export interface BatchTask {
  /** Unique within the file; results are keyed by it. */
  id: string;
  /** What the agent is asked to do. */
  task: string;
  /**
   * A git URL, or an absolute path (a git repository or a plain folder);
   * relative paths in the file are resolved against the file's folder.
   * Without it the task starts in an empty folder.
   */
  repo?: string;
  /** The commit, branch or tag to start from (git repositories only; default `HEAD`). */
  ref?: string;
  /** Shell command run in the task's copy before the agent starts. */
  setup?: string;
  /** Shell command run in the task's copy after the agent; its exit code is `verify_exit`. */
  verify?: string;
  /** Config overrides for this task (`lm`, `max_iters`, ...), already checked. */
  config?: Partial<Config>;
}

/** How a task ended. */
export type TaskStatus = "done" | "failed" | "timeout";

/** Why a task did not end `done`. */
export type FailureCause =
  /** The task's config overrides are not allowed here. */
  | "config"
  /** The isolated copy could not be made (bad repo or ref). */
  | "copy"
  /** The setup command failed. */
  | "setup"
  /** The agent's turn failed (model server error, sandbox failure). */
  | "agent"
  /** The task spent more than its cost budget. */
  | "budget"
  /** The model server kept rate-limiting, also after the batch slowed down. */
  | "rate_limit"
  /** The task ran past its wall-clock budget. */
  | "timeout"
  /** The worker running it crashed or could not run it (queue mode). */
  | "worker";

/**
 * One line of the results file, appended whole when a task ends. Field
 * names are those of the issue; `error` adds why a task failed.
 */
export interface TaskResult {
  /** The task's id. */
  id: string;
  /** `done` when the agent answered, `failed` or `timeout` otherwise. */
  status: TaskStatus;
  /** The agent's answer; `null` when it gave none. */
  answer: string | null;
  /** Exit code of `verify`; `null` when the task has none or it did not run. */
  verify_exit: number | null;
  /** The task's changes as a git patch against its starting commit (`""`: none). */
  diff: string;
  /** Tokens and model calls of the task (main and sub-model). */
  usage: UsageTotals;
  /** Cost in USD when the provider reports it, else `null`. */
  cost: number | null;
  /** Wall-clock time of the whole task (copy, setup, agent, verify). */
  duration_ms: number;
  /** Number of REPL steps the agent took. */
  steps: number;
  /** The session id the task's turn was written to (`nanocode --resume ID`). */
  session: string | null;
  /** Why the task failed or timed out; `null` for `done`. */
  error: { cause: FailureCause; message: string } | null;
}

/** Budgets every task of a batch gets. */
export interface TaskLimits {
  /** Wall-clock budget of one task in milliseconds (copy, setup, agent and verify). */
  timeoutMs: number;
  /** Cost budget of one task in USD; `null` for none. Needs a provider that reports cost. */
  maxCost: number | null;
}
