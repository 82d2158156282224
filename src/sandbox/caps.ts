/**
 * The agent's own limits on what comes out of the sandbox, whatever the
 * sandbox claims: per message (text fields cut with a note), per cell
 * (printed text beyond the cap is dropped and counted) and per second
 * (a flood of messages replaces the sandbox). The worker bootstrap keeps to
 * the same limits; these hold even if it did not.
 *
 * @module
 */

/**
 * Unsolicited messages (everything but host calls, which wait for their
 * reply one at a time) accepted from one sandbox process per second. The
 * worker batches printed text, so a real cell sends a few dozen.
 *
 * @example
 * ```ts
 * import { MAX_MESSAGES_PER_SECOND } from "./caps.ts";
 * console.log(MAX_MESSAGES_PER_SECOND); // 1000
 * ```
 */
export const MAX_MESSAGES_PER_SECOND = 1000;

/**
 * Characters kept of an error message from a cell.
 *
 * @example
 * ```ts
 * import { MAX_ERROR_CHARS } from "./caps.ts";
 * console.log(MAX_ERROR_CHARS); // 10000
 * ```
 */
export const MAX_ERROR_CHARS = 10_000;

/**
 * Cuts `text` to at most about `max` characters, keeping its head and tail
 * around a note saying how much was left out.
 *
 * @example
 * ```ts
 * import { clipText } from "./caps.ts";
 * console.log(clipText("abcdefghij", 4)); // "ab\n... [6 characters omitted] ...\nij"
 * ```
 */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n... [${
    text.length - 2 * half
  } characters omitted] ...\n${half ? text.slice(-half) : ""}`;
}

/**
 * Counts messages per one-second window.
 *
 * @example
 * ```ts
 * import { MessageRate } from "./caps.ts";
 * const rate = new MessageRate(2, () => 0);
 * console.log(rate.admit(), rate.admit(), rate.admit()); // true true false
 * ```
 */
export class MessageRate {
  #max: number;
  #now: () => number;
  #windowStart = -Infinity;
  #count = 0;

  /** Allows `max` messages per second of `now()` (milliseconds). */
  constructor(max: number, now: () => number = () => performance.now()) {
    this.#max = max;
    this.#now = now;
  }

  /** Counts one message; false once the current second's budget is spent. */
  admit(): boolean {
    const now = this.#now();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#count = 0;
    }
    return ++this.#count <= this.#max;
  }
}

/**
 * Printed text of one cell as the agent keeps it: at most `cap` characters
 * of head; the rest is counted as omitted.
 *
 * @example
 * ```ts
 * import { OutputCap } from "./caps.ts";
 * const out = new OutputCap(3);
 * console.log(out.take("hello"), out.dropped); // "hel" 2
 * ```
 */
export class OutputCap {
  #room: number;
  /** Characters received beyond the cap. */
  dropped = 0;

  /** Keeps up to `cap` characters in all. */
  constructor(cap: number) {
    this.#room = cap;
  }

  /** The part of `text` that fits (possibly empty). */
  take(text: string): string {
    if (text.length <= this.#room) {
      this.#room -= text.length;
      return text;
    }
    const kept = text.slice(0, this.#room);
    this.dropped += text.length - kept.length;
    this.#room = 0;
    return kept;
  }
}
