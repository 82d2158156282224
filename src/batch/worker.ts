/**
 * The queue worker: takes jobs from a BullMQ queue and runs each task with
 * this machine's settings and keys. BullMQ keeps a lock on every running
 * job; a worker that dies stops renewing it, and another worker takes the
 * job over once the lock has expired (stalled-job recovery). A rate limit
 * from the provider pauses the whole queue (every worker) for the wait the
 * provider asked for. Stopping a worker hands its running tasks back to
 * the queue.
 *
 * @module
 */

import {
  DelayedError,
  type Job,
  RateLimitError,
  UnrecoverableError,
  Worker,
} from "bullmq";
import type { BatchReporter } from "./progress.ts";
import { type JobData, type QueueTarget, readJobData } from "./queue_jobs.ts";
import { RedisClients } from "./redis.ts";
import { runTask, type TaskRunContext } from "./run_task.ts";
import type { TaskResult } from "./types.ts";

/** A job's return value: how its task ended (the result itself is in the job's data). */
type JobOutcome = Pick<TaskResult, "id" | "status">;

/** Options of {@linkcode runWorker}. */
export interface WorkerOptions {
  /** The queue. */
  target: QueueTarget;
  /** What tasks run with; `limits` come from each job. Its throttle's `max` is the worker's concurrency. */
  context: Omit<TaskRunContext, "limits">;
  /** Receives task starts and ends, rate limits and connection notices. */
  reporter: BatchReporter;
  /** Aborting stops the worker; running tasks go back to the queue. */
  signal?: AbortSignal;
  /** How long a dead worker's job waits before another takes it over (default 30 000 ms). */
  stalledAfterMs?: number;
  /** How often a rate-limited job goes back in line before it counts as failed (default 3). */
  rateLimitRetries?: number;
}

/** How a worker ended. */
export interface WorkerRun {
  /** Tasks it finished. */
  finished: number;
  /**
   * Why it stopped by itself: its model cannot be used here (a refused
   * key, an unreachable server); its tasks went back to the queue. `null`
   * when it was stopped.
   */
  modelUnusable: string | null;
}

/**
 * Runs a worker until `signal` aborts, or until its model turns out to be
 * unusable on this machine (then the task goes back to the queue for
 * another worker instead of being recorded as failed, and this worker
 * takes no more).
 *
 * @throws {QueueError} when Redis cannot be reached at start.
 * @example
 * ```ts ignore
 * const { finished } = await runWorker({ target, context, reporter, signal });
 * ```
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerRun> {
  const { context, reporter, target } = options;
  const redis = new RedisClients(target.url, reporter.notice);
  await redis.check();
  reporter.notice(
    `Worker ${Deno.hostname()}:${Deno.pid} takes tasks from queue "${target.name}" at ${redis.where} (${context.throttle.max} at once)`,
  );
  const controllers = new Set<AbortController>();
  const maxRequeues = options.rateLimitRetries ?? 3;
  let finished = 0;
  let modelUnusable: string | null = null;
  let stopNow = () => {};
  const stalledAfter = options.stalledAfterMs ?? 30_000;

  const processor = async (
    job: Job<JobData, JobOutcome>,
    token?: string,
  ): Promise<JobOutcome> => {
    let data: JobData;
    try {
      data = readJobData(job.data);
    } catch (error) {
      throw new UnrecoverableError((error as Error).message);
    }
    const controller = new AbortController();
    controllers.add(controller);
    reporter.taskStarted(data.task.id);
    try {
      const outcome = await runTask(data.task, {
        ...context,
        config: { ...context.config, ...data.config },
        limits: data.limits,
      }, { signal: controller.signal });
      if (outcome.kind === "model_unusable") {
        // Not the task's fault: another worker may run it.
        modelUnusable ??= outcome.message;
        stopNow();
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      if (outcome.kind === "interrupted") {
        // This worker is stopping: the job goes back for another one.
        await job.moveToDelayed(Date.now(), token);
        throw new DelayedError();
      }
      const requeued = data.requeued ?? 0;
      if (
        outcome.kind === "rate_limited" && !outcome.quota &&
        requeued < maxRequeues
      ) {
        await job.updateData({ ...job.data, requeued: requeued + 1 });
        reporter.taskRequeued(
          data.task.id,
          `rate limited (${requeued + 1} of ${maxRequeues})`,
        );
        await worker.rateLimit(Math.max(1000, stalledAfter / 10));
        throw new RateLimitError();
      }
      // The result goes in the job's data, which the submitter removes once
      // it has recorded it; the return value only says how it ended.
      await job.updateData({ ...job.data, result: outcome.result });
      finished++;
      reporter.taskFinished(outcome.result);
      return { id: outcome.result.id, status: outcome.result.status };
    } finally {
      controllers.delete(controller);
    }
  };

  const worker: Worker<JobData, JobOutcome> = new Worker(
    target.name,
    processor,
    {
      connection: redis.client(),
      concurrency: context.throttle.max,
      lockDuration: stalledAfter,
      stalledInterval: stalledAfter,
      maxStalledCount: 3,
      // Needed for worker.rateLimit() to hold the queue; this limit itself never binds.
      limiter: { max: 1_000_000, duration: 1000 },
      autorun: false,
    },
  );
  worker.on("error", (error) => redis.report(error));
  const stopListening = context.throttle.listen((change) => {
    reporter.throttled(change);
    if (change.reason === "rate limited" && change.pauseMs > 0) {
      worker.rateLimit(change.pauseMs).catch(() => {});
    }
  });
  const running = worker.run();
  await new Promise<void>((resolve) => {
    stopNow = resolve;
    if (!options.signal || options.signal.aborted) return resolve();
    options.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  for (const controller of controllers) controller.abort();
  try {
    await worker.close();
    await running;
  } finally {
    stopListening();
    await redis.close();
  }
  return { finished, modelUnusable };
}
