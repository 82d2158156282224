/**
 * What goes through the job queue, and how to reach it. A job holds the
 * task line, the batch's non-secret settings and its budgets — never an
 * API key, an `api_base` or anything from the submitter's environment:
 * each worker uses its own. Everything read back from the queue is checked
 * again, as input from elsewhere.
 *
 * @module
 */

import { z } from "zod";
import type { Config } from "../config/fields.ts";
import { copyName } from "./copy.ts";
import { isGitUrl, parseTask } from "./task_file.ts";
import { parseTaskConfig } from "./task_config.ts";
import type { BatchTask, TaskLimits, TaskResult } from "./types.ts";

/** Thrown when the queue cannot be used; the message is for the user. */
export class QueueError extends Error {
  override name = "QueueError";
}

/** How to reach a queue. */
export interface QueueTarget {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** The BullMQ queue name (default `nanocode`). */
  name: string;
}

/** The data of one job. */
export interface JobData {
  /** The batch the job belongs to (its submitter collects it). */
  batch: string;
  /** The task line (`repo` absolute or a URL). */
  task: BatchTask;
  /** Config fields the submitter set with flags (no `api_base`, no `permission_mode`). */
  config: Partial<Config>;
  /** Wall-clock and cost budgets. */
  limits: TaskLimits;
  /** How often the job went back in line after rate limits. */
  requeued?: number;
  /**
   * The task's result, put here by the worker that ran it. (The job's
   * return value holds only its id and status: BullMQ copies return values
   * into its event stream, which outlives the job.)
   */
  result?: unknown;
}

/**
 * Checks a queue URL and returns it with the host shown in messages (the
 * password left out).
 *
 * @throws {QueueError} for a URL that is not `redis://` or `rediss://`.
 * @example
 * ```ts
 * import { parseQueueUrl } from "./queue_jobs.ts";
 * console.log(parseQueueUrl("redis://:pw@10.0.0.5:6379/2").where); // "10.0.0.5:6379"
 * ```
 */
export function parseQueueUrl(url: string): { url: string; where: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new QueueError(
      `--queue needs a Redis URL like redis://HOST:6379, not ${
        JSON.stringify(url)
      }`,
    );
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") {
    throw new QueueError(
      `--queue needs a redis:// or rediss:// URL, not ${parsed.protocol}//...`,
    );
  }
  return { url, where: `${parsed.hostname}:${parsed.port || "6379"}` };
}

/**
 * The job id of a task in a batch: stable, so a submitter that restarts
 * finds its jobs again, and free of `:` (which BullMQ refuses).
 *
 * @example
 * ```ts
 * import { jobIdFor } from "./queue_jobs.ts";
 * console.log(jobIdFor("b1", "t1").startsWith("b1.t1-")); // true
 * ```
 */
export function jobIdFor(batch: string, taskId: string): string {
  return `${batch}.${copyName(taskId)}`;
}

/** Config fields a job may carry from the submitter. */
const CARRIED: (keyof Config)[] = [
  "lm",
  "sub_lm",
  "max_iters",
  "max_tokens",
  "max_output_chars",
  "cell_timeout",
];

/**
 * The config fields the submitter's job carries: those it set with flags,
 * among the model and budget fields. `api_base` and `permission_mode`
 * never travel: where keys go and what tasks may do are each worker's
 * choice.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { carriedConfig } from "./queue_jobs.ts";
 * const config = { ...DEFAULT_CONFIG, max_iters: 9 };
 * console.log(carriedConfig(config, { max_iters: "flag", api_base: "flag" })); // { max_iters: 9 }
 * ```
 */
export function carriedConfig(
  config: Config,
  sources: Partial<Record<keyof Config, string>>,
): Partial<Config> {
  const out: Record<string, unknown> = {};
  for (const key of CARRIED) {
    if (sources[key] === "flag") out[key] = config[key];
  }
  return out as Partial<Config>;
}

const limitsSchema = z.object({
  timeoutMs: z.number().int().min(1000).max(7 * 24 * 3600 * 1000),
  maxCost: z.number().positive().nullable(),
});

const jobSchema = z.object({
  batch: z.string().min(1).max(200),
  task: z.unknown(),
  config: z.unknown(),
  limits: limitsSchema,
  requeued: z.number().int().min(0).optional(),
});

/**
 * Reads a job's data back from the queue, checking every part of it.
 *
 * @throws {TypeError} saying what is wrong.
 * @example
 * ```ts ignore
 * const data = readJobData(job.data);
 * ```
 */
export function readJobData(raw: unknown): JobData {
  const parsed = jobSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TypeError(`malformed job: ${parsed.error.issues[0]?.message}`);
  }
  const rawTask = parsed.data.task as { repo?: unknown } | null;
  const repo = rawTask?.repo;
  if (typeof repo === "string" && !isGitUrl(repo) && !repo.startsWith("/")) {
    throw new TypeError(`job's repo ${repo} is not an absolute path or a URL`);
  }
  const config = parseTaskConfig(parsed.data.config ?? {});
  for (const key of Object.keys(config)) {
    if (!CARRIED.includes(key as keyof Config)) {
      throw new TypeError(`job config may not set ${key}`);
    }
  }
  return {
    batch: parsed.data.batch,
    task: parseTask(parsed.data.task, "/"),
    config,
    limits: parsed.data.limits,
    requeued: parsed.data.requeued,
  };
}

const count = z.number().int().min(0);

const resultSchema = z.object({
  id: z.string(),
  status: z.enum(["done", "failed", "timeout"]),
  answer: z.string().nullable(),
  verify_exit: z.number().int().nullable(),
  diff: z.string(),
  usage: z.object({
    promptTokens: count,
    completionTokens: count,
    cachedTokens: count,
    lmCalls: count,
    subLmCalls: count,
    cost: z.number().min(0).optional(),
  }),
  cost: z.number().min(0).nullable(),
  duration_ms: z.number().min(0),
  steps: count,
  session: z.string().nullable(),
  error: z.object({
    cause: z.enum([
      "config",
      "copy",
      "setup",
      "agent",
      "budget",
      "rate_limit",
      "timeout",
      "worker",
    ]),
    message: z.string(),
  }).nullable(),
});

/**
 * Checks a result read back from the queue (a worker's, or anyone's who
 * can write to Redis) for the task it belongs to: every field of a result
 * line with its type, nothing else. `null` when it is not one.
 *
 * @example
 * ```ts
 * import { readResult } from "./queue_jobs.ts";
 * console.log(readResult({ id: "t1", status: "done", usage: "lots" }, "t1")); // null
 * ```
 */
export function readResult(raw: unknown, taskId: string): TaskResult | null {
  const parsed = resultSchema.safeParse(raw);
  if (!parsed.success || parsed.data.id !== taskId) return null;
  return parsed.data;
}
