/**
 * The batch's brake: how many tasks may run and how many model calls may
 * be in flight at once. A rate limit (HTTP 429) from the provider halves
 * that number and holds every new model call of the batch for the wait the
 * provider asked for; calls that go through raise it again, one step per
 * window of successful calls (additive increase, multiplicative decrease).
 *
 * @module
 */

/** What the throttle reports when its limit changes. */
export interface ThrottleChange {
  /** The new limit. */
  limit: number;
  /** Why: `rate limited` or `recovering`. */
  reason: "rate limited" | "recovering";
  /** How long new model calls are held, in ms (rate limits only). */
  pauseMs: number;
}

/** Options of {@linkcode Throttle}. */
export interface ThrottleOptions {
  /** The clock (default `Date.now`). */
  now?: () => number;
}

/**
 * Adaptive concurrency shared by every task of a batch (or of a worker).
 *
 * @example
 * ```ts
 * import { Throttle } from "./throttle.ts";
 * const throttle = new Throttle(4);
 * throttle.rateLimited(0);
 * console.log(throttle.limit); // 2
 * const release = await throttle.acquire();
 * release();
 * ```
 */
export class Throttle {
  /** The most tasks (and model calls) at once: the batch's `--concurrency`. */
  readonly max: number;
  /** The current limit, between 1 and `max`. */
  limit: number;
  /** The lowest limit reached. */
  lowest: number;
  /** Rate limits seen. */
  rateLimits = 0;
  #inFlight = 0;
  #pausedUntil = 0;
  #successes = 0;
  #waiters = new Set<() => void>();
  #watchers: (() => void)[] = [];
  #listeners = new Set<(change: ThrottleChange) => void>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #now: () => number;

  /** Starts at `max`. */
  constructor(max: number, options: ThrottleOptions = {}) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(
        `Concurrency must be a whole number >= 1, not ${max}`,
      );
    }
    this.max = max;
    this.limit = max;
    this.lowest = max;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Waits until a model call may start (not paused, fewer than `limit` in
   * flight) and returns the function that ends it.
   *
   * @throws the signal's reason when `signal` aborts while waiting.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    while (this.#pausedFor() > 0 || this.#inFlight >= this.limit) {
      signal?.throwIfAborted();
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          this.#waiters.delete(wake);
          signal?.removeEventListener("abort", onAbort);
          resolve();
        };
        const onAbort = () => {
          this.#waiters.delete(wake);
          reject(signal!.reason);
        };
        this.#waiters.add(wake);
        signal?.addEventListener("abort", onAbort, { once: true });
        this.#armTimer();
      });
    }
    this.#inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#wakeAll();
    };
  }

  /**
   * A model call was rate-limited and will be retried in `pauseMs`: hold
   * every new call that long and halve the limit (once per pause, so one
   * burst of 429s does not drive it to 1 at once).
   */
  rateLimited(pauseMs: number): void {
    this.rateLimits++;
    this.#successes = 0;
    const now = this.#now();
    const inPause = now < this.#pausedUntil;
    this.#pausedUntil = Math.max(this.#pausedUntil, now + Math.max(0, pauseMs));
    if (!inPause && this.limit > 1) {
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.lowest = Math.min(this.lowest, this.limit);
    }
    this.#report({
      limit: this.limit,
      reason: "rate limited",
      pauseMs: Math.max(0, pauseMs),
    });
    this.#armTimer();
  }

  /** A model call went through: after a window of `limit` of them, allow one more. */
  succeeded(): void {
    if (this.limit >= this.max) return;
    if (++this.#successes < this.limit) return;
    this.#successes = 0;
    this.limit++;
    this.#report({
      limit: this.limit,
      reason: "recovering",
      pauseMs: 0,
    });
    this.#wakeAll();
  }

  /** Calls `listener` at every change of the limit; returns the function that stops it. */
  listen(listener: (change: ThrottleChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves at the next change of the limit. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#watchers.push(resolve));
  }

  #report(change: ThrottleChange): void {
    for (const listener of this.#listeners) listener(change);
    for (const resolve of this.#watchers.splice(0)) resolve();
  }

  /** How long new calls are still held, in ms. */
  #pausedFor(): number {
    return Math.max(0, this.#pausedUntil - this.#now());
  }

  #armTimer(): void {
    const wait = this.#pausedFor();
    if (this.#timer !== undefined || wait <= 0 || this.#waiters.size === 0) {
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#wakeAll();
      this.#armTimer();
    }, wait);
  }

  #wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
