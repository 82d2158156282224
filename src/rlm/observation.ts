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
  const omitted = text.length - head - tail;
  return `${text.slice(0, head)}\n... [${omitted} characters omitted${
    where ? `; all of it is in ${where}` : ""
  }] ...\n${tail ? text.slice(-tail) : ""}`;
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
  const at = parts.indexOf(output);
  if (where && at >= 0 && output.includes("characters omitted] ...")) {
    // The sandbox already cut the middle: point at the whole output.
    parts[at] = output.replace(
      /characters omitted\] \.\.\./,
      `characters omitted; all of it is in ${where}] ...`,
    );
  }
  return headTail(parts.join("\n"), maxChars, where);
}
