/**
 * Counting words: "1 line", "2 lines".
 *
 * @module
 */

/**
 * `n` followed by `word`, with `plural` (default `word + "s"`) unless `n` is 1.
 *
 * @example
 * ```ts
 * import { plural } from "./plural.ts";
 * console.log(plural(1, "turn"), plural(3, "turn"), plural(2, "match", "matches"));
 * // "1 turn" "3 turns" "2 matches"
 * ```
 */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
