/**
 * The agent's side of the search child process (see `search_child_main.ts`):
 * starts it with read access only, sends it paths, receives each path's
 * hits in order, and kills it when the search is aborted or when it stops
 * making progress for longer than the deadline (a pattern that backtracks
 * catastrophically). A Web Worker would not do: in Deno a terminated worker
 * keeps running a busy regular expression.
 *
 * @module
 */

import { LINE_PREVIEW_BYTES, MATCH_BYTE_LIMIT } from "./backend.ts";
import type { FileHits } from "./backend.ts";
import type { SearchQuery } from "./search_child_main.ts";
import { SearchProcess, type SearchUser } from "./search_process.ts";
export {
  runSelfHostedSearchChild,
  SEARCH_CHILD_FLAG,
} from "./search_process.ts";

/**
 * Seconds a search may go without progress before it is stopped.
 *
 * @example
 * ```ts
 * import { SEARCH_DEADLINE_MS } from "./search_child.ts";
 * console.log(SEARCH_DEADLINE_MS); // 10000
 * ```
 */
export const SEARCH_DEADLINE_MS = 10_000;

/** Settings of {@linkcode SearchChild.start}. */
export interface SearchChildOptions {
  pattern: string;
  maxHits: number;
  /** Milliseconds without progress before the search fails (default 10 s). */
  deadlineMs?: number;
  /** Aborting kills the child. */
  signal: AbortSignal;
  /** Called whenever something arrives (a result, the end, a failure). */
  onChange(): void;
}

/** The warm process kept between searches. */
let idle: SearchProcess | undefined;

/** One search through a search child process. */
export class SearchChild implements SearchUser {
  /** Results received and not taken yet (null: the path had no hits). */
  #results: (FileHits | null)[] = [];
  #taken = 0;
  /** Paths sent so far. */
  sent = 0;
  /** Paths answered so far. */
  answered = 0;
  /** Whether every path sent before `end()` has been answered. */
  done = false;
  /** Why the search failed, once it did. */
  failure: Error | undefined;
  #proc: SearchProcess;
  #options: SearchChildOptions;
  #watchdog: ReturnType<typeof setInterval>;
  #closed = false;
  #pending: string[] = [];
  #flushing = false;

  private constructor(proc: SearchProcess, options: SearchChildOptions) {
    this.#proc = proc;
    this.#options = options;
    proc.user = this;
    proc.busy(true);
    proc.lastHeard = performance.now();
    const query: SearchQuery = {
      pattern: options.pattern,
      maxHits: options.maxHits,
      limits: {
        previewBytes: LINE_PREVIEW_BYTES,
        matchLimit: MATCH_BYTE_LIMIT,
      },
    };
    proc.send("Q", query);
    const deadline = options.deadlineMs ?? SEARCH_DEADLINE_MS;
    this.#watchdog = setInterval(() => {
      const waiting = this.sent > this.answered;
      if (waiting && performance.now() - proc.lastHeard > deadline) {
        this.#fail(
          new Error(
            `grep_files stopped: the pattern ${
              JSON.stringify(options.pattern)
            } made no progress for ${
              deadline / 1000
            } s, so it likely backtracks catastrophically; simplify it (ripgrep, when installed, has no such problem)`,
          ),
        );
      }
    }, Math.min(250, deadline / 4));
    options.signal.addEventListener(
      "abort",
      () => this.#fail(options.signal.reason),
      { once: true },
    );
    if (!proc.alive) this.ended(null);
  }

  /**
   * Starts a search for `options.pattern` (already checked with
   * `compileSearchRegex`), in the warm child process if there is one.
   *
   * @example
   * ```ts ignore
   * const child = SearchChild.start({ pattern, maxHits: 50, signal, onChange });
   * ```
   */
  static start(options: SearchChildOptions): SearchChild {
    const proc = idle?.alive ? idle : new SearchProcess();
    idle = undefined;
    return new SearchChild(proc, options);
  }

  /** Queues paths to search (sent in batches). */
  search(paths: string[]): void {
    this.sent += paths.length;
    for (const path of paths) this.#pending.push(path);
    if (this.#pending.length >= 512) this.#flush();
    else if (!this.#flushing) {
      this.#flushing = true;
      queueMicrotask(() => this.#flush());
    }
  }

  /** Says no more paths will come. */
  end(): void {
    this.#flush();
    this.#proc.send("E", undefined);
  }

  #flush(): void {
    this.#flushing = false;
    if (this.#pending.length === 0) return;
    this.#proc.send("F", this.#pending);
    this.#pending = [];
  }

  /** The next result in path order, or `undefined` if none has arrived. */
  take(): FileHits | null | undefined {
    if (this.#taken >= this.#results.length) return undefined;
    const result = this.#results[this.#taken];
    this.#results[this.#taken++] = null;
    if (this.#taken > 1024) {
      this.#results = this.#results.slice(this.#taken);
      this.#taken = 0;
    }
    return result;
  }

  /**
   * Ends the search: the process is kept warm for the next one if this one
   * finished cleanly, and killed otherwise (resolving once it is gone).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#watchdog);
    const proc = this.#proc;
    proc.user = null;
    if (this.done && !this.failure && proc.alive && !idle) {
      proc.busy(false);
      idle = proc;
      return;
    }
    proc.kill();
    await proc.gone();
  }

  /** Results from the process (internal). */
  received(batch: (FileHits | null)[]): void {
    this.answered += batch.length;
    for (const result of batch) this.#results.push(result);
  }

  /** The process answered every path before `end()` (internal). */
  finished(): void {
    this.done = true;
  }

  /** Something arrived (internal). */
  changed(): void {
    this.#options.onChange();
  }

  /** The process is gone (internal). */
  ended(status: Deno.CommandStatus | null): void {
    if (!this.done) {
      this.#fail(
        new Error(
          `The search process ended early (${
            status?.signal ?? `exit code ${status?.code}`
          })`,
        ),
      );
    }
  }

  #fail(error: Error): void {
    if (this.#closed) return;
    this.failure ??= error;
    this.#proc.kill();
    this.#options.onChange();
  }
}
