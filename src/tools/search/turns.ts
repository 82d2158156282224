/**
 * Long synchronous work in the agent process (matching thousands of paths
 * against a repository's ignore rules) gives the event loop a turn every
 * few milliseconds, so signals (Ctrl-C), timers and other I/O are heard.
 *
 * @module
 */

/**
 * Milliseconds of work before the event loop gets a turn.
 *
 * @example
 * ```ts
 * import { nextTurn, TURN_MS } from "./turns.ts";
 * let turn = performance.now();
 * for (let i = 0; i < 1e6; i++) {
 *   if (performance.now() - turn > TURN_MS) {
 *     await nextTurn();
 *     turn = performance.now();
 *   }
 * }
 * ```
 */
export const TURN_MS = 20;

/**
 * Gives the event loop a turn (timers, signals, other I/O).
 *
 * @example
 * ```ts
 * import { nextTurn } from "./turns.ts";
 * await nextTurn();
 * ```
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
