/**
 * How many sub-model prompts are in flight at once: starts at the
 * configured concurrency, halves when the server answers 429 (and holds
 * new requests back for its `Retry-After`), and grows back by one after a
 * run of successes.
 *
 * @module
 */

import { sleep } from "../lm/retry.ts";

/**
 * An adaptive concurrency limit (additive increase, multiplicative
 * decrease).
 *
 * @example
 * ```ts
 * import { AdaptiveLimiter } from "./limiter.ts";
 * const limiter = new AdaptiveLimiter(8);
 * const release = await limiter.acquire();
 * limiter.backoff(0); // true: the limit is now 4
 * release();
 * console.log(limiter.limit); // 4
 * ```
 */
export class AdaptiveLimiter {
  /** Most requests in flight now. */
  limit: number;
  readonly #max: number;
  #inFlight = 0;
  #successes = 0;
  #pausedUntil = 0;
  /** Until then, further 429s belong to the same burst and do not cut again. */
  #holdUntil = 0;
  #waiting: (() => void)[] = [];

  /** `max` is the starting (and highest) limit. */
  constructor(max: number) {
    this.#max = Math.max(1, Math.floor(max));
    this.limit = this.#max;
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Waits for a free place (and for any backoff pause to end); resolves
   * with the function that gives the place back.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      const pause = this.#pausedUntil - Date.now();
      if (pause > 0) {
        await sleep(pause, signal);
        continue;
      }
      if (this.#inFlight < this.limit) break;
      const { promise, resolve } = Promise.withResolvers<void>();
      this.#waiting.push(resolve);
      signal?.addEventListener("abort", () => resolve(), { once: true });
      await promise;
    }
    this.#inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight--;
      this.#waiting.shift()?.();
    };
  }

  /**
   * The server asked to slow down: halves the limit (not below 1) and holds
   * new requests back for `retryAfterMs`. The 429s of the same burst (until
   * that wait, or 100 ms, has passed) cut only once. Returns whether the
   * limit fell.
   */
  backoff(retryAfterMs = 0): boolean {
    this.#successes = 0;
    const now = Date.now();
    this.#pausedUntil = Math.max(this.#pausedUntil, now + retryAfterMs);
    if (now < this.#holdUntil) return false;
    this.#holdUntil = now + Math.max(retryAfterMs, 100);
    const before = this.limit;
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    return this.limit < before;
  }

  /** A request succeeded: after `limit` successes in a row the limit grows by one. */
  success(): void {
    if (this.limit >= this.#max) return;
    if (++this.#successes >= this.limit) {
      this.#successes = 0;
      this.limit++;
      this.#waiting.shift()?.();
    }
  }
}
