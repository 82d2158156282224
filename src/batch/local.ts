/**
 * The local scheduler: runs the unfinished tasks of a batch on this
 * machine, at most the throttle's limit at once, appending each result as
 * it comes. A task the provider rate-limited to failure goes back in line
 * (the throttle has slowed the batch down meanwhile) instead of failing.
 *
 * @module
 */

import type { BatchReporter } from "./progress.ts";
import type { ResultsFile } from "./results_file.ts";
import { runTask, type TaskOutcome, type TaskRunContext } from "./run_task.ts";
import { type BatchSummary, summarize } from "./summary.ts";
import type { BatchTask } from "./types.ts";

/** Options of {@linkcode runLocalBatch}. */
export interface LocalBatchOptions {
  /** Every task of the tasks file. */
  tasks: BatchTask[];
  /** The open results file; tasks with a result there are skipped. */
  results: ResultsFile;
  /** What tasks run with (its throttle sets the concurrency). */
  context: TaskRunContext;
  /** Receives progress. */
  reporter: BatchReporter;
  /** Aborting stops the batch: running tasks are abandoned, nothing finished is lost. */
  signal?: AbortSignal;
  /** Run tasks whose last result is `failed` or `timeout` again. */
  retryFailed?: boolean;
  /** How often a rate-limited task goes back in line before it counts as failed (default 3). */
  rateLimitRetries?: number;
  /** Runs one task (default {@linkcode runTask}). */
  run?: typeof runTask;
}

/** What a batch run did. */
export interface BatchRun {
  /** The summary over all tasks (earlier results included). */
  summary: BatchSummary;
  /** Whether the batch was stopped before every task finished. */
  interrupted: boolean;
  /** Wall-clock time of this run. */
  wallMs: number;
}

/**
 * The tasks still to run: those without a result (and, with
 * `retryFailed`, those whose result is not `done`).
 *
 * @example
 * ```ts ignore
 * const todo = pendingTasks(tasks, results.finished, false);
 * ```
 */
export function pendingTasks(
  tasks: BatchTask[],
  finished: Map<string, { status: string }>,
  retryFailed = false,
): BatchTask[] {
  return tasks.filter((task) => {
    const result = finished.get(task.id);
    return !result || (retryFailed && result.status !== "done");
  });
}

/**
 * Runs the batch on this machine.
 *
 * @throws {ResultsWriteError} when a result cannot be written (after the
 *   running tasks end; no task starts after it).
 * @example
 * ```ts ignore
 * const { summary } = await runLocalBatch({ tasks, results, context, reporter, signal });
 * ```
 */
export async function runLocalBatch(
  options: LocalBatchOptions,
): Promise<BatchRun> {
  const { results, context, reporter, signal } = options;
  const throttle = context.throttle;
  const run = options.run ?? runTask;
  const started = performance.now();
  const queue = pendingTasks(
    options.tasks,
    results.finished,
    options.retryFailed,
  );
  reporter.start({
    total: options.tasks.length,
    pending: queue.length,
    concurrency: throttle.max,
  });
  const running = new Map<string, Promise<void>>();
  const requeued = new Map<string, number>();
  const maxRequeues = options.rateLimitRetries ?? 3;

  const settle = (task: BatchTask, outcome: TaskOutcome) => {
    if (outcome.kind === "interrupted") return;
    if (outcome.kind === "rate_limited" && !outcome.quota) {
      const times = requeued.get(task.id) ?? 0;
      if (times < maxRequeues && !signal?.aborted) {
        requeued.set(task.id, times + 1);
        queue.push(task);
        reporter.taskRequeued(
          task.id,
          `rate limited (${times + 1} of ${maxRequeues})`,
        );
        return;
      }
    }
    results.append(outcome.result);
    reporter.taskFinished(outcome.result);
  };

  // A result that cannot be written stops the batch: nothing more should run unrecorded.
  let fatal: Error | null = null;
  const start = (task: BatchTask) => {
    reporter.taskStarted(task.id);
    const job = run(task, context, {
      signal,
      onEvent: (event) => {
        if (event.type === "usage") reporter.taskUsage(task.id, event.total);
      },
    }).then((outcome) => settle(task, outcome))
      .catch((error) => void (fatal ??= error as Error))
      .finally(() => running.delete(task.id));
    running.set(task.id, job);
  };

  const aborted = new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  while (true) {
    while (
      !signal?.aborted && !fatal && queue.length > 0 &&
      running.size < throttle.limit
    ) {
      start(queue.shift()!);
    }
    if (running.size === 0) break;
    if (fatal) {
      await Promise.all(running.values());
      continue;
    }
    const wakes = [...running.values()];
    if (!signal?.aborted) wakes.push(throttle.changed(), aborted);
    await Promise.race(wakes);
  }
  if (fatal) throw fatal;
  const interrupted = Boolean(signal?.aborted) && queue.length +
          pendingTasks(options.tasks, results.finished).length > 0;
  const summary = summarize(options.tasks, results.finished);
  summary.throttle = {
    rateLimits: throttle.rateLimits,
    lowest: throttle.lowest,
    max: throttle.max,
  };
  const wallMs = performance.now() - started;
  reporter.finished(summary, wallMs, interrupted);
  return { summary, interrupted, wallMs };
}
