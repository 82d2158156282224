/**
 * Turns a cell's result into the text the model sees next.
 *
 * @module
 */

import type { CellResult } from "../sandbox/types.ts";

/**
 * Keeps the head and the tail of `text` within `maxChars`, with a marker
 * saying how much of the middle was left out.
 *
 * @example
 * ```ts
 * import { headTail } from "./observation.ts";
 * console.log(headTail("a".repeat(50), 20).includes("omitted")); // true
 * ```
 */
export function headTail(
  text: string,
  maxChars: number,
  where?: string,
): string {
  if (text.length <= maxChars) return text;
  const keep = Math.max(0, maxChars);
  const head = Math.ceil(keep / 2);
  const tail = keep - head;
  return cutBetween(text, head, text.length - tail, 0, where);
}

function omittedMarker(count: number, where?: string): string {
  return `\n... [${count} characters omitted${
    where ? `; all of it is in ${where}` : ""
  }] ...\n`;
}

/** `text` without `[from, to)`, and a marker counting it plus `earlier`. */
function cutBetween(
  text: string,
  from: number,
  to: number,
  earlier: number,
  where?: string,
): string {
  return text.slice(0, from) + omittedMarker(to - from + earlier, where) +
    text.slice(to);
}

/** The marker the sandbox puts where it dropped the middle of a cell's output. */
const SANDBOX_MARKER = /\n\.\.\. \[(\d+) characters omitted\] \.\.\.\n/;

/**
 * Like {@linkcode headTail}, for text that may hold the sandbox's marker:
 * the marker's length does not count against `maxChars`, and when the
 * middle must go too, one marker counts both what the sandbox dropped and
 * what is cut here (a marker in the head or tail that is kept keeps its own count).
 */
function shorten(text: string, maxChars: number, where?: string): string {
  const found = SANDBOX_MARKER.exec(text);
  if (!found) return headTail(text, maxChars, where);
  const earlier = Number(found[1]);
  const at = found.index;
  const rest = text.slice(0, at) + text.slice(at + found[0].length);
  if (rest.length <= maxChars) {
    return rest.slice(0, at) + omittedMarker(earlier, where) + rest.slice(at);
  }
  const keep = Math.max(0, maxChars);
  const from = Math.ceil(keep / 2);
  const to = rest.length - (keep - from);
  if (at >= from && at <= to) return cutBetween(rest, from, to, earlier, where);
  const kept = omittedMarker(earlier, where);
  return at < from
    ? rest.slice(0, at) + kept +
      cutBetween(rest.slice(at), from - at, to - at, 0, where)
    : cutBetween(rest.slice(0, at), from, to, 0, where) + kept + rest.slice(at);
}

/** Extra lines to add to an observation. */
export interface ObservationNotes {
  /** Said before the output (e.g. "only the first block ran"). */
  before?: string;
  /** Said after the output (e.g. a SUBMIT problem). */
  after?: string;
  /** What was restored after a restart (e.g. "task and history were set again"). */
  restored?: string;
  /** The cell's `_out` index, named when output is cut. */
  slot?: number;
}

/**
 * Formats a cell result: what it printed, then the final expression's
 * value, then the error with its line. Empty output says so. A lost REPL
 * state is said plainly so the model redefines what it needs.
 *
 * @example
 * ```ts
 * import { formatObservation } from "./observation.ts";
 * const text = formatObservation({ output: "hi\n", durationMs: 1 }, 1000);
 * console.log(text); // "hi"
 * ```
 */
export function formatObservation(
  result: CellResult,
  maxChars: number,
  notes: ObservationNotes = {},
): string {
  const parts: string[] = [];
  if (notes.before) parts.push(`[${notes.before}]`);
  const output = result.output.replace(/\n$/, "");
  const silent = !output && result.value === undefined && !result.error &&
    !result.lost;
  if (silent) parts.push("(no output)");
  if (output) parts.push(output);
  if (result.value !== undefined) parts.push(result.value);
  if (result.error) {
    const where = result.error.line ? ` (line ${result.error.line})` : "";
    parts.push(`${result.error.name}: ${result.error.message}${where}`);
  }
  if (result.lost) {
    parts.push(
      `[${result.detail ?? "The sandbox stopped."} The REPL was restarted: ` +
        `every variable and function from earlier cells is gone${
          notes.restored ? `; ${notes.restored}` : ""
        }.]`,
    );
  }
  if (notes.after) parts.push(`[${notes.after}]`);
  const where = notes.slot !== undefined ? `_out[${notes.slot}]` : undefined;
  return shorten(parts.join("\n"), maxChars, where);
}
