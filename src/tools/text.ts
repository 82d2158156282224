/**
 * Small text helpers shared by the tools.
 *
 * @module
 */

/**
 * Counts lines the way the tools report them: every `\n` ends a line, and
 * text after the last `\n` is one more line.
 *
 * @example
 * ```ts
 * countLines("a\nb"); // 2
 * countLines("a\nb\n"); // 2
 * countLines(""); // 0
 * ```
 */
export function countLines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) {
    count++;
  }
  return text.length > 0 && !text.endsWith("\n") ? count + 1 : count;
}

/**
 * `n` followed by the word, plural unless `n` is 1: `plural(2, "line")` is
 * `2 lines`.
 *
 * @example
 * ```ts
 * plural(1, "byte"); // "1 byte"
 * ```
 */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
