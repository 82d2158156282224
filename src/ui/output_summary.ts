/**
 * A short view of a command's output: its first and last lines, and the
 * lines in between that look like failures (errors, failed tests, panics,
 * tracebacks), with notes saying how much was left out.
 *
 * @module
 */

/** One line of a summary: output text, or a note of lines left out. */
export type SummaryLine =
  | { kind: "line"; text: string; failing: boolean }
  | { kind: "gap"; count: number };

const FAILING =
  /\b(error|errors|failed|failure|fail|panic(?:ked)?|exception|traceback|assertion|fatal|segmentation fault|undefined reference|cannot find|not found)\b|✗|✘|✖|ERR!|^\s*E\s{2,}|^FAIL\b/i;
const HARMLESS =
  /\b(0|no) (errors?|failures?|failed)\b|\berrors?: 0\b|\bfailed: 0\b/i;

/**
 * Whether an output line looks like it reports a failure.
 *
 * @example
 * ```ts
 * import { isFailingLine } from "./output_summary.ts";
 * console.log(isFailingLine("src/a.ts:3:7 - error TS2322: Type 'string'")); // true
 * console.log(isFailingLine("ok | 12 passed | 0 failed")); // false
 * ```
 */
export function isFailingLine(line: string): boolean {
  return FAILING.test(line) && !HARMLESS.test(line);
}

/** Options of {@linkcode summarizeOutput}. */
export interface SummaryOptions {
  /** Lines kept from the start (default 3). */
  head?: number;
  /** Lines kept from the end (default 5). */
  tail?: number;
  /** Failing lines kept from the middle (default 6). */
  failing?: number;
}

/**
 * Summarises output text. Short output comes back whole. Trailing empty
 * lines and the `[exit code 0]` line that `run_bash` adds are dropped; a
 * non-zero exit code line counts as failing.
 *
 * @example
 * ```ts
 * import { summarizeOutput } from "./output_summary.ts";
 * const text = ["start", ...Array.from({ length: 50 }, (_, i) => `test ${i} ok`), "test x FAILED", "done"].join("\n");
 * console.log(summarizeOutput(text, { head: 1, tail: 1 }).map((l) => l.kind === "gap" ? `… ${l.count}` : l.text));
 * // ["start", "… 50", "test x FAILED", "done"]
 * ```
 */
export function summarizeOutput(
  text: string,
  options: SummaryOptions = {},
): SummaryLine[] {
  const head = options.head ?? 3;
  const tail = options.tail ?? 5;
  const maxFailing = options.failing ?? 6;
  const lines = text.replace(/\n+$/, "").split("\n");
  if (lines.at(-1) === "[exit code 0]") lines.pop();
  while (lines.length && lines.at(-1) === "") lines.pop();
  const failing = (line: string) =>
    isFailingLine(line) || /^\[exit code [1-9]\d*\]$/.test(line) ||
    /^\[(timed out|interrupted)/.test(line);
  const line = (text: string): SummaryLine => ({
    kind: "line",
    text,
    failing: failing(text),
  });
  if (lines.length <= head + tail + 1) return lines.map(line);
  const out: SummaryLine[] = lines.slice(0, head).map(line);
  const middle = lines.slice(head, lines.length - tail);
  const picked = middle
    .map((text, index) => ({ text, index }))
    .filter(({ text }) => failing(text))
    .slice(0, maxFailing);
  let next = 0;
  for (const { text, index } of picked) {
    if (index > next) out.push({ kind: "gap", count: index - next });
    out.push(line(text));
    next = index + 1;
  }
  if (middle.length > next) {
    out.push({ kind: "gap", count: middle.length - next });
  }
  out.push(...lines.slice(lines.length - tail).map(line));
  return out;
}
