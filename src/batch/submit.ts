/**
 * The queue submitter: puts a batch's unfinished tasks on a BullMQ queue
 * (one job per task, with an id derived from the batch and the task, so a
 * restarted submitter finds the same jobs and adds none twice), then
 * collects results as workers finish them, appending each to the results
 * file before removing its job. Stopping the submitter does not stop the
 * workers; running it again re-attaches and collects what finished
 * meanwhile.
 *
 * @module
 */

import { Job, Queue, QueueEvents } from "bullmq";
import type { Config } from "../config/fields.ts";
import { type BatchRun, pendingTasks } from "./local.ts";
import type { BatchReporter } from "./progress.ts";
import {
  type JobData,
  jobIdFor,
  type QueueTarget,
  readResult,
} from "./queue_jobs.ts";
import { RedisClients } from "./redis.ts";
import type { ResultsFile } from "./results_file.ts";
import { blankResult } from "./run_task.ts";
import { summarize } from "./summary.ts";
import type { BatchTask, TaskLimits, TaskResult } from "./types.ts";

/** Options of {@linkcode submitBatch}. */
export interface SubmitOptions {
  /** Every task of the tasks file (`repo` paths absolute). */
  tasks: BatchTask[];
  /** The open results file. */
  results: ResultsFile;
  /** The queue. */
  target: QueueTarget;
  /** The batch id (stable across restarts of the same batch). */
  batch: string;
  /** Config fields the jobs carry (see `carriedConfig`). */
  config: Partial<Config>;
  /** Budgets of every task. */
  limits: TaskLimits;
  /** Receives progress. */
  reporter: BatchReporter;
  /** Aborting stops collecting (the jobs stay queued). */
  signal?: AbortSignal;
  /** Run tasks whose last result is not `done` again. */
  retryFailed?: boolean;
  /** Attempts per job after worker failures (default 3). */
  attempts?: number;
  /** How often every outstanding job is checked besides the queue's events (default 5000 ms). */
  sweepMs?: number;
}

/**
 * Submits the batch to the queue and collects its results.
 *
 * @throws {QueueError} when Redis cannot be reached.
 * @throws {ResultsWriteError} when a result cannot be written (its job
 *   stays on the queue for the next run).
 * @example
 * ```ts ignore
 * const run = await submitBatch({ tasks, results, target, batch, config: {}, limits, reporter });
 * ```
 */
export async function submitBatch(options: SubmitOptions): Promise<BatchRun> {
  const { results, reporter, signal, target } = options;
  const started = performance.now();
  const redis = new RedisClients(target.url, reporter.notice);
  await redis.check();
  const queue = new Queue<JobData>(target.name, {
    connection: redis.client(),
  });
  const events = new QueueEvents(target.name, { connection: redis.client() });
  queue.on("error", () => {});
  events.on("error", () => {});
  const byJob = new Map<string, BatchTask>();
  const remaining = new Set<string>();
  let wake = () => {};
  let fatal: Error | null = null;
  try {
    await events.waitUntilReady();
    const pending = pendingTasks(
      options.tasks,
      results.finished,
      options.retryFailed,
    );
    // Jobs of tasks with a recorded result are done with (a result recorded
    // just before a crash, or one about to run again): remove them.
    await Promise.all(
      options.tasks.filter((t) => results.finished.has(t.id)).map((t) =>
        queue.remove(jobIdFor(options.batch, t.id)).catch(() => 0)
      ),
    );
    const jobFor = (task: BatchTask) => {
      const jobId = jobIdFor(options.batch, task.id);
      return {
        name: "task",
        data: {
          batch: options.batch,
          task,
          config: options.config,
          limits: options.limits,
        },
        opts: {
          jobId,
          attempts: options.attempts ?? 3,
          backoff: { type: "exponential", delay: 2000 },
          removeOnComplete: false,
          removeOnFail: false,
        },
      };
    };
    const jobs = pending.map((task) => {
      const job = jobFor(task);
      byJob.set(job.opts.jobId, task);
      remaining.add(job.opts.jobId);
      return job;
    });
    reporter.start({
      total: options.tasks.length,
      pending: pending.length,
      concurrency: 0,
    });
    // Jobs already on the queue (a restarted submitter) are left as they are.
    await queue.addBulk(jobs);

    // A job that is not collected yet but gone from Redis was lost (a Redis
    // restarted without its data, flushed, or evicting): queue it again.
    const requeueing = new Set<string>();
    const requeueLost = async (jobId: string, task: BatchTask) => {
      if (!remaining.has(jobId) || requeueing.has(jobId)) return;
      requeueing.add(jobId);
      try {
        const job = jobFor(task);
        await queue.add(job.name, job.data, job.opts);
        reporter.notice(
          `The job of task ${task.id} was missing from the queue (Redis restarted without its data, or was flushed); queued it again`,
        );
      } finally {
        requeueing.delete(jobId);
      }
    };
    const collect = async (jobId: string) => {
      const task = byJob.get(jobId);
      if (!task || !remaining.has(jobId)) return;
      const job = await Job.fromId<JobData>(queue, jobId);
      if (!job) return requeueLost(jobId, task);
      const state = await job.getState();
      let result: TaskResult;
      if (state === "completed") {
        result = readResult(job.data?.result, task.id) ??
          blankResult(task.id, {
            cause: "worker",
            message: "the worker's result was malformed",
          });
      } else if (state === "failed") {
        result = blankResult(task.id, {
          cause: "worker",
          message: `no worker could run it (${job.attemptsMade} attempts): ${
            job.failedReason ?? "unknown error"
          }`,
        });
      } else return;
      if (!remaining.delete(jobId)) return; // collected meanwhile
      try {
        results.append(result);
      } catch (error) {
        // Not recorded: the job stays on the queue for the next run, and
        // this one stops (nothing more should be collected unrecorded).
        remaining.add(jobId);
        fatal ??= error as Error;
        wake();
        return;
      }
      reporter.taskFinished(result);
      await job.remove().catch(() => {});
      wake();
    };
    const check = (jobId: string) =>
      collect(jobId).catch((error) =>
        reporter.notice(`Cannot read job ${jobId}: ${(error as Error).message}`)
      );
    events.on("active", ({ jobId }) => {
      const task = byJob.get(jobId);
      if (task && remaining.has(jobId)) reporter.taskStarted(task.id);
    });
    events.on("completed", ({ jobId }) => void check(jobId));
    events.on("failed", ({ jobId }) => void check(jobId));
    const sweep = async () => {
      const ids = [...remaining];
      for (let i = 0; i < ids.length; i += 50) {
        await Promise.all(ids.slice(i, i + 50).map(check));
      }
    };
    await sweep(); // what finished while no submitter was watching
    while (remaining.size > 0 && !signal?.aborted && !fatal) {
      const timedOut = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => done(true), options.sweepMs ?? 5000);
        const onAbort = () => done(false);
        signal?.addEventListener("abort", onAbort, { once: true });
        function done(byTimer: boolean) {
          clearTimeout(timer);
          signal?.removeEventListener("abort", onAbort);
          wake = () => {};
          resolve(byTimer);
        }
        wake = () => done(false);
      });
      // Events deliver results as they come; the sweep catches any missed
      // while the connection was down.
      if (timedOut) await sweep();
    }
  } finally {
    await events.close().catch(() => {});
    await queue.close().catch(() => {});
    await redis.close();
  }
  if (fatal) throw fatal;
  const summary = summarize(options.tasks, results.finished);
  const interrupted = remaining.size > 0;
  const wallMs = performance.now() - started;
  reporter.finished(summary, wallMs, interrupted);
  return { summary, interrupted, wallMs };
}
