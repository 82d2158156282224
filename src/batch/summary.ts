/**
 * The end-of-batch summary: pass rate by `verify`, cost, tokens, time and
 * failures by cause, over the tasks of the tasks file (results of earlier
 * runs included).
 *
 * @module
 */

import { sanitize } from "../ui/sanitize.ts";
import type { BatchTask, TaskResult } from "./types.ts";

/** The numbers of a batch. */
export interface BatchSummary {
  /** Tasks in the tasks file. */
  total: number;
  /** Tasks by status; `unfinished` have no result yet. */
  done: number;
  failed: number;
  timeout: number;
  unfinished: number;
  /** Tasks with a `verify` command: passed (exit 0), failed (other exit), and not run. */
  verify: { tasks: number; passed: number; failed: number; notRun: number };
  /** Total cost in USD of the tasks that reported one; `null` when none did. */
  cost: number | null;
  /** Tokens of all finished tasks. */
  tokens: { prompt: number; completion: number; cached: number };
  /** Median and longest task time, in ms. */
  taskMs: { median: number; max: number; slowest: string | null };
  /** Ids of tasks that did not pass, by cause (`verify failed` for a non-zero verify). */
  causes: Record<string, string[]>;
  /** Rate limits seen in this run, and the fewest tasks at once they led to. */
  throttle?: { rateLimits: number; lowest: number; max: number };
}

/**
 * Summarises the results of `tasks` (missing results count as unfinished).
 *
 * @example
 * ```ts ignore
 * const summary = summarize(tasks, results.finished);
 * console.log(summary.verify.passed, "of", summary.verify.tasks);
 * ```
 */
export function summarize(
  tasks: BatchTask[],
  results: Map<string, TaskResult>,
): BatchSummary {
  const summary: BatchSummary = {
    total: tasks.length,
    done: 0,
    failed: 0,
    timeout: 0,
    unfinished: 0,
    verify: { tasks: 0, passed: 0, failed: 0, notRun: 0 },
    cost: null,
    tokens: { prompt: 0, completion: 0, cached: 0 },
    taskMs: { median: 0, max: 0, slowest: null },
    causes: {},
  };
  const durations: number[] = [];
  const because = (cause: string, id: string) =>
    (summary.causes[cause] ??= []).push(id);
  for (const task of tasks) {
    const result = results.get(task.id);
    if (task.verify) summary.verify.tasks++;
    if (!result) {
      summary.unfinished++;
      if (task.verify) summary.verify.notRun++;
      continue;
    }
    summary[result.status]++;
    if (result.error) because(result.error.cause, task.id);
    if (task.verify) {
      if (result.verify_exit === null) summary.verify.notRun++;
      else if (result.verify_exit === 0) summary.verify.passed++;
      else {
        summary.verify.failed++;
        if (!result.error) because("verify failed", task.id);
      }
    }
    if (typeof result.cost === "number") {
      summary.cost = (summary.cost ?? 0) + result.cost;
    }
    summary.tokens.prompt += result.usage?.promptTokens ?? 0;
    summary.tokens.completion += result.usage?.completionTokens ?? 0;
    summary.tokens.cached += result.usage?.cachedTokens ?? 0;
    durations.push(result.duration_ms);
    if (result.duration_ms >= summary.taskMs.max) {
      summary.taskMs.max = result.duration_ms;
      summary.taskMs.slowest = task.id;
    }
  }
  durations.sort((a, b) => a - b);
  if (durations.length) {
    const mid = Math.floor(durations.length / 2);
    summary.taskMs.median = durations.length % 2
      ? durations[mid]
      : Math.round((durations[mid - 1] + durations[mid]) / 2);
  }
  return summary;
}

/**
 * A duration for people: `850 ms`, `12.3 s`, `4m05s`, `1h02m`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./summary.ts";
 * console.log(formatDuration(245_000)); // "4m05s"
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) {
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  }
  return `${Math.floor(s / 3600)}h${
    String(Math.floor((s % 3600) / 60)).padStart(2, "0")
  }m`;
}

/**
 * A token count for people: `950`, `12.4k`, `3.1M`.
 *
 * @example
 * ```ts
 * import { formatTokens } from "./summary.ts";
 * console.log(formatTokens(12_400)); // "12.4k"
 * ```
 */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

function percent(part: number, whole: number): string {
  return whole ? `${Math.round((100 * part) / whole)}%` : "-";
}

function idList(ids: string[]): string {
  const shown = ids.slice(0, 6).map(sanitize).join(", ");
  return ids.length > 6 ? `${shown}, ... (${ids.length - 6} more)` : shown;
}

/**
 * The summary as a plain-text table (task ids shown inert).
 *
 * @example
 * ```ts ignore
 * console.log(summaryTable(summarize(tasks, results.finished), wallMs));
 * ```
 */
export function summaryTable(summary: BatchSummary, wallMs: number): string {
  const rows: [string, string][] = [];
  const { verify } = summary;
  rows.push([
    "tasks",
    `${summary.total}: ${summary.done} done, ${summary.failed} failed, ${summary.timeout} timed out` +
    (summary.unfinished ? `, ${summary.unfinished} not finished` : ""),
  ]);
  rows.push([
    "verify",
    verify.tasks
      ? `${verify.passed}/${verify.tasks} passed (${
        percent(verify.passed, verify.tasks)
      }), ${verify.failed} failed, ${verify.notRun} not run`
      : "no task has a verify command",
  ]);
  const finished = summary.total - summary.unfinished;
  rows.push([
    "cost",
    summary.cost === null
      ? "not reported by the provider"
      : `$${summary.cost.toFixed(4)} total, $${
        (summary.cost / Math.max(1, finished)).toFixed(4)
      } per task`,
  ]);
  rows.push([
    "tokens",
    `${formatTokens(summary.tokens.prompt)} in (${
      formatTokens(summary.tokens.cached)
    } cached), ${formatTokens(summary.tokens.completion)} out`,
  ]);
  rows.push([
    "time",
    `${formatDuration(wallMs)} this run; per task ${
      formatDuration(summary.taskMs.median)
    } median, ${formatDuration(summary.taskMs.max)} longest${
      summary.taskMs.slowest ? ` (${sanitize(summary.taskMs.slowest)})` : ""
    }`,
  ]);
  const throttle = summary.throttle;
  if (throttle && throttle.rateLimits) {
    rows.push([
      "rate limits",
      `${throttle.rateLimits} (HTTP 429); slowed from ${throttle.max} to ${throttle.lowest} at once at the lowest`,
    ]);
  }
  const causes = Object.entries(summary.causes).sort((a, b) =>
    b[1].length - a[1].length
  );
  const width = Math.max(8, ...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  if (causes.length) {
    lines.push("not passed, by cause:");
    const causeWidth = Math.max(...causes.map(([c]) => c.length));
    for (const [cause, ids] of causes) {
      lines.push(
        `  ${cause.padEnd(causeWidth)}  ${String(ids.length).padStart(3)}  ${
          idList(ids)
        }`,
      );
    }
  }
  return lines.join("\n");
}
