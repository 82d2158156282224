/**
 * Command-line options of `nanocode batch` and `nanocode worker`.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import {
  configFlags,
  configFlagSpec,
  type OptionSpec,
  parseOptions,
  UsageError,
} from "../cli/args.ts";

/** What `nanocode batch ...` or `nanocode worker ...` asks for. */
export interface BatchCliOptions {
  /** Which command. */
  command: "batch" | "worker";
  /** The tasks file (`batch` only). */
  tasksFile?: string;
  /** The results file (default `results.jsonl`). */
  out: string;
  /** Tasks at once; `undefined` for the default. */
  concurrency?: number;
  /** Wall-clock budget of one task, seconds. */
  timeoutS: number;
  /** Cost budget of one task, USD; `null` for none. */
  maxCost: number | null;
  /** Where copies go; `undefined` for the default. */
  workDir?: string;
  /** Keep every task's copy (not only those of failed tasks). */
  keep: boolean;
  /** Run tasks whose result is `failed` or `timeout` again. */
  retryFailed: boolean;
  /** `redis://...`: run through the queue. */
  queue?: string;
  /** The queue's name. */
  queueName: string;
  /** Seconds before a dead worker's job is taken over. */
  stalledAfterS: number;
  /** `--yes`: allow what would ask. */
  yes: boolean;
  /** `--config FILE`. */
  configFile?: string;
  /** `--trust-project`: apply this folder's config in full for this run. */
  trustProject: boolean;
  /** `--add-dir DIR`. */
  addDirs: string[];
  /** Raw values of config flags, by field. */
  flags: Partial<Record<keyof Config, unknown>>;
  /** `--help`. */
  help: boolean;
}

/** Default wall-clock budget of a task: 30 minutes. */
export const DEFAULT_TIMEOUT_S = 1800;

function number(
  values: Record<string, unknown>,
  name: string,
  check: (n: number) => boolean,
  what: string,
): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (String(raw).trim() === "" || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(
      `--${name} must be ${what}, not ${JSON.stringify(raw)}`,
    );
  }
  return n;
}

/**
 * Parses the arguments after `batch` or `worker`.
 *
 * @throws {UsageError} naming the bad flag or value.
 * @example
 * ```ts
 * import { parseBatchCli } from "./cli_args.ts";
 * const options = parseBatchCli("batch", ["tasks.jsonl", "--concurrency", "2"]);
 * console.log(options.tasksFile, options.concurrency); // "tasks.jsonl" 2
 * ```
 */
export function parseBatchCli(
  command: "batch" | "worker",
  argv: string[],
): BatchCliOptions {
  const spec: Record<string, OptionSpec> = {
    ...configFlagSpec(),
    help: { type: "boolean", short: "h" },
    concurrency: { type: "string", short: "j" },
    queue: { type: "string" },
    "queue-name": { type: "string" },
    "work-dir": { type: "string" },
    keep: { type: "boolean" },
    yes: { type: "boolean", short: "y" },
    config: { type: "string" },
    "trust-project": { type: "boolean" },
    "add-dir": { type: "string", multiple: true },
  };
  if (command === "batch") {
    Object.assign(spec, {
      out: { type: "string", short: "o" },
      timeout: { type: "string" },
      "max-cost": { type: "string" },
      "retry-failed": { type: "boolean" },
    });
  } else spec["stalled-after"] = { type: "string" };
  const { values, positionals } = parseOptions(argv, spec);
  const help = Boolean(values.help);
  if (!help && command === "batch" && positionals.length !== 1) {
    throw new UsageError(
      "Usage: nanocode batch TASKS.jsonl [--out FILE] [--concurrency N] [--queue redis://HOST:6379]",
    );
  }
  if (!help && command === "worker" && (positionals.length || !values.queue)) {
    throw new UsageError(
      "Usage: nanocode worker --queue redis://HOST:6379 [--concurrency N]",
    );
  }
  const queueName = (values["queue-name"] as string | undefined) ?? "nanocode";
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(queueName)) {
    throw new UsageError(
      "--queue-name may use letters, digits, '_', '.' and '-' only",
    );
  }
  return {
    command,
    tasksFile: positionals[0],
    out: (values.out as string | undefined) ?? "results.jsonl",
    concurrency: number(
      values,
      "concurrency",
      (n) => Number.isInteger(n) && n >= 1 && n <= 256,
      "a whole number from 1 to 256",
    ),
    timeoutS:
      number(values, "timeout", (n) => n >= 1, "a number of seconds >= 1") ??
        DEFAULT_TIMEOUT_S,
    maxCost: number(values, "max-cost", (n) => n > 0, "an amount in USD > 0") ??
      null,
    workDir: values["work-dir"] as string | undefined,
    keep: Boolean(values.keep),
    retryFailed: Boolean(values["retry-failed"]),
    queue: values.queue as string | undefined,
    queueName,
    stalledAfterS: number(
      values,
      "stalled-after",
      (n) => n >= 1,
      "a number of seconds >= 1",
    ) ?? 30,
    yes: Boolean(values.yes),
    configFile: values.config as string | undefined,
    trustProject: Boolean(values["trust-project"]),
    addDirs: (values["add-dir"] as string[] | undefined) ?? [],
    flags: configFlags(values),
    help,
  };
}

/**
 * The default number of tasks at once: twice the cores (tasks mostly wait
 * for the model), between 2 and 8. A rate limit from the provider lowers
 * it while the batch runs.
 *
 * @example
 * ```ts
 * import { defaultConcurrency } from "./cli_args.ts";
 * console.log(defaultConcurrency(2)); // 4
 * ```
 */
export function defaultConcurrency(
  cores = navigator.hardwareConcurrency || 2,
): number {
  return Math.min(8, Math.max(2, cores * 2));
}
