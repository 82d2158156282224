/**
 * How a batch shows its progress: a live bar on a terminal (done, running,
 * failed, tokens, cost, ETA) with one line per finished task, or one JSON
 * event per finished task for programs, then the summary.
 *
 * @module
 */

import type { UsageTotals } from "../rlm/events.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Style } from "../ui/style.ts";
import type { Output } from "../ui/terminal.ts";
import {
  type BatchSummary,
  formatDuration,
  formatTokens,
  summaryTable,
} from "./summary.ts";
import type { ThrottleChange } from "./throttle.ts";
import type { TaskResult } from "./types.ts";

/** Receives what happens in a batch. */
export interface BatchReporter {
  /** The batch starts: `pending` of `total` tasks still to run. */
  start(info: { total: number; pending: number; concurrency: number }): void;
  /** A task started (or was picked up by a worker). */
  taskStarted(id: string): void;
  /** A running task's usage so far. */
  taskUsage(id: string, usage: UsageTotals): void;
  /** A task ended with a result (already in the results file). */
  taskFinished(result: TaskResult): void;
  /** A task goes back in line (rate limited); it will run again. */
  taskRequeued(id: string, reason: string): void;
  /** The throttle changed the number of tasks at once. */
  throttled(change: ThrottleChange): void;
  /** A one-line notice (connection trouble, skipped tasks). */
  notice(text: string): void;
  /** The batch ended (or was interrupted). */
  finished(summary: BatchSummary, wallMs: number, interrupted: boolean): void;
}

/** Counts shared by the reporters. */
class Tally {
  total = 0;
  pending = 0;
  finished = 0;
  failed = 0;
  tokens = 0;
  cost: number | null = null;
  running = new Map<string, UsageTotals | null>();
  started = performance.now();

  add(result: TaskResult): void {
    this.running.delete(result.id);
    this.finished++;
    if (result.status !== "done") this.failed++;
    this.tokens += (result.usage?.promptTokens ?? 0) +
      (result.usage?.completionTokens ?? 0);
    if (typeof result.cost === "number") {
      this.cost = (this.cost ?? 0) + result.cost;
    }
  }

  /** Tokens and cost including what running tasks used so far. */
  live(): { tokens: number; cost: number | null } {
    let tokens = this.tokens;
    let cost = this.cost;
    for (const usage of this.running.values()) {
      if (!usage) continue;
      tokens += usage.promptTokens + usage.completionTokens;
      if (usage.cost !== undefined) cost = (cost ?? 0) + usage.cost;
    }
    return { tokens, cost };
  }

  etaMs(): number | null {
    if (this.finished === 0) return null;
    const perTask = (performance.now() - this.started) / this.finished;
    return perTask * Math.max(0, this.pending - this.finished);
  }
}

/**
 * One JSON line per finished task (`{"type":"task",...}`, without the
 * answer and diff, which are in the results file), then
 * `{"type":"summary",...}`. With `starts`, also `{"type":"task_start","id"}`
 * when a task starts (what a worker prints).
 *
 * @example
 * ```ts ignore
 * const reporter = jsonReporter(stdoutOutput());
 * ```
 */
export function jsonReporter(
  out: Output,
  options: { starts?: boolean } = {},
): BatchReporter {
  const tally = new Tally();
  const line = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
  return {
    start(info) {
      tally.total = info.total;
      tally.pending = info.pending;
    },
    taskStarted(id) {
      tally.running.set(id, null);
      if (options.starts) line({ type: "task_start", id });
    },
    taskUsage: (id, usage) => void tally.running.set(id, usage),
    taskFinished(result) {
      tally.add(result);
      const { answer: _a, diff: _d, ...rest } = result;
      line({
        type: "task",
        ...rest,
        finished: tally.finished,
        pending: tally.pending,
        running: tally.running.size,
      });
    },
    taskRequeued: () => {},
    throttled: () => {},
    notice: () => {},
    finished(summary, wallMs, interrupted) {
      line({
        type: "summary",
        ...summary,
        wall_ms: Math.round(wallMs),
        interrupted,
      });
    },
  };
}

const BAR = 20;

/**
 * A live progress bar on a terminal, redrawn in place, with a line per
 * finished task above it. Task ids and messages are shown inert
 * (terminal escapes in a tasks file cannot reach the terminal).
 *
 * @example
 * ```ts ignore
 * const reporter = terminalReporter(stderrOutput(), style);
 * ```
 */
export function terminalReporter(out: Output, style: Style): BatchReporter {
  const tally = new Tally();
  let limit = 0;
  let rateLimited = false;
  let max = 0;
  let drawn = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const clear = () => {
    if (drawn) out.write("\r\x1b[2K");
    drawn = false;
  };
  const draw = () => {
    const { tokens, cost } = tally.live();
    const part = tally.pending ? tally.finished / tally.pending : 1;
    const filled = Math.round(part * BAR);
    const eta = tally.etaMs();
    const text = `[${"#".repeat(filled)}${"-".repeat(BAR - filled)}] ${
      tally.finished - tally.failed
    }/${tally.pending} done · ${tally.failed} failed · ${tally.running.size} running · ${
      formatTokens(tokens)
    } tok${cost === null ? "" : ` · $${cost.toFixed(2)}`}${
      eta === null ? "" : ` · ETA ${formatDuration(eta)}`
    }${limit && limit < max ? ` · slowed to ${limit} at once` : ""}`;
    out.write(`\r\x1b[2K${text.slice(0, Math.max(20, out.columns() - 1))}`);
    drawn = true;
  };
  let ended = false;
  const say = (text: string) => {
    clear();
    out.write(`${text}\n`);
    if (!ended) draw();
  };
  return {
    start(info) {
      tally.total = info.total;
      tally.pending = info.pending;
      max = info.concurrency;
      if (info.total > info.pending) {
        say(style.dim(
          `⏺ ${
            info.total - info.pending
          } of ${info.total} tasks already have results; running the other ${info.pending}`,
        ));
      }
      timer = setInterval(draw, 1000);
      draw();
    },
    taskStarted(id) {
      tally.running.set(id, null);
      if (!ended) draw();
    },
    taskUsage(id, usage) {
      tally.running.set(id, usage);
    },
    taskFinished(result) {
      tally.add(result);
      const id = sanitize(result.id);
      const secs = formatDuration(result.duration_ms);
      if (result.status === "done") {
        const verify = result.verify_exit === null
          ? ""
          : result.verify_exit === 0
          ? ", verify passed"
          : style.yellow(`, verify exited ${result.verify_exit}`);
        say(`${style.green("✓")} ${id} done in ${secs}${verify}`);
      } else {
        const why = sanitize(result.error?.message ?? "").split("\n")[0]
          .slice(0, 160);
        say(
          `${style.red("✗")} ${id} ${result.status} (${
            result.error?.cause ?? "?"
          }) after ${secs}: ${why}`,
        );
      }
    },
    taskRequeued(id, reason) {
      tally.running.delete(id);
      say(style.yellow(`↻ ${sanitize(id)} goes back in line: ${reason}`));
    },
    throttled(change) {
      const same = change.limit === limit && rateLimited;
      limit = change.limit;
      rateLimited = change.reason === "rate limited";
      if (rateLimited && !same) {
        say(style.yellow(
          `⏸ rate limited by the provider: at most ${change.limit} at once, pausing ${
            formatDuration(change.pauseMs)
          }`,
        ));
      } else draw();
    },
    notice: (text) => say(style.dim(`⏺ ${sanitize(text)}`)),
    finished(summary, wallMs, interrupted) {
      ended = true;
      if (timer !== undefined) clearInterval(timer);
      clear();
      if (interrupted) {
        out.write(style.yellow(
          "Interrupted: finished tasks are kept in the results file; run the same command again to go on.\n",
        ));
      }
      out.write(`${summaryTable(summary, wallMs)}\n`);
    },
  };
}

/**
 * Passes everything to several reporters.
 *
 * @example
 * ```ts ignore
 * const reporter = allReporters([jsonReporter(stdout), terminalReporter(stderr, style)]);
 * ```
 */
export function allReporters(reporters: BatchReporter[]): BatchReporter {
  const each = <K extends keyof BatchReporter>(name: K) =>
    ((...args: unknown[]) => {
      for (const r of reporters) {
        (r[name] as (...a: unknown[]) => void)(...args);
      }
    }) as BatchReporter[K];
  return {
    start: each("start"),
    taskStarted: each("taskStarted"),
    taskUsage: each("taskUsage"),
    taskFinished: each("taskFinished"),
    taskRequeued: each("taskRequeued"),
    throttled: each("throttled"),
    notice: each("notice"),
    finished: each("finished"),
  };
}

/**
 * Notices and the summary as plain lines (stderr that is not a terminal,
 * next to JSON events on stdout).
 *
 * @example
 * ```ts ignore
 * const reporter = plainReporter(stderrOutput());
 * ```
 */
export function plainReporter(out: Output): BatchReporter {
  // The limit last said, so a burst of 429s is one line per slow-down.
  let said: number | null = null;
  return {
    start: () => {},
    taskStarted: () => {},
    taskUsage: () => {},
    taskFinished: () => {},
    taskRequeued: (id, reason) =>
      out.write(`nanocode: ${sanitize(id)} goes back in line: ${reason}\n`),
    throttled(change) {
      if (change.reason !== "rate limited") {
        said = null;
        return;
      }
      if (change.limit === said) return;
      said = change.limit;
      out.write(
        `nanocode: rate limited by the provider: at most ${change.limit} at once\n`,
      );
    },
    notice: (text) => out.write(`nanocode: ${sanitize(text)}\n`),
    finished(summary, wallMs, interrupted) {
      if (interrupted) {
        out.write(
          "nanocode: interrupted: finished tasks are kept in the results file; run the same command again to go on\n",
        );
      }
      out.write(`${summaryTable(summary, wallMs)}\n`);
    },
  };
}
