/**
 * Fuzzy matching for completions: the query's characters must appear in
 * order (case-insensitive); matches that are consecutive, start a path
 * segment or a word, or fall in the file name score higher, and shorter
 * candidates win ties.
 *
 * @module
 */

const SEPARATORS = new Set(["/", "_", "-", ".", " "]);

/**
 * The score of `candidate` for `query`, or `null` when it does not match.
 * Higher is better; an empty query matches everything with score 0.
 *
 * @example
 * ```ts
 * import { fuzzyScore } from "./fuzzy.ts";
 * console.log(fuzzyScore("lned", "src/ui/line_editor.ts") !== null); // true
 * console.log(fuzzyScore("xyz", "src/main.ts")); // null
 * ```
 */
export function fuzzyScore(query: string, candidate: string): number | null {
  if (query === "") return 0;
  const q = query.toLowerCase();
  const c = candidate.toLowerCase();
  const nameStart = candidate.lastIndexOf("/") + 1;
  let score = 0;
  let from = 0;
  let previous = -2;
  for (const char of q) {
    const at = c.indexOf(char, from);
    if (at < 0) return null;
    let points = 1;
    if (at === previous + 1) points += 5;
    if (at === 0 || SEPARATORS.has(c[at - 1])) points += 4;
    if (at >= nameStart) points += 2;
    score += points;
    previous = at;
    from = at + 1;
  }
  // An exact substring of the file name is the best kind of match.
  if (c.slice(nameStart).includes(q)) score += 10;
  return score - candidate.length / 100;
}

/**
 * The best `limit` candidates for `query`, best first.
 *
 * @example
 * ```ts
 * import { fuzzyFilter } from "./fuzzy.ts";
 * console.log(fuzzyFilter("main", ["src/cli/main.ts", "README.md", "main.ts"], 5));
 * // ["main.ts", "src/cli/main.ts"]
 * ```
 */
export function fuzzyFilter(
  query: string,
  candidates: readonly string[],
  limit: number,
): string[] {
  const scored: [number, string][] = [];
  for (const candidate of candidates) {
    const score = fuzzyScore(query, candidate);
    if (score !== null) scored.push([score, candidate]);
  }
  scored.sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, limit).map(([, candidate]) => candidate);
}
