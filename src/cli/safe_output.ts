/**
 * Headless output that cannot drive a terminal: the text answer is shown
 * inert when stdout is one (as the interactive view does), and JSON never
 * carries a raw control, bidi or invisible character (they are written as
 * `\uXXXX` escapes, which parse to the same value).
 *
 * @module
 */

import { sanitize } from "../ui/sanitize.ts";

/**
 * `text` as it may be written to a stream: made inert by
 * {@linkcode sanitize} when the stream is a terminal, unchanged when it is
 * a pipe or a file (where the exact answer is wanted).
 *
 * @example
 * ```ts
 * import { forStream } from "./safe_output.ts";
 * console.log(forStream("\x1b[2Jhi", true)); // "␛[2Jhi"
 * console.log(forStream("\x1b[2Jhi", false) === "\x1b[2Jhi"); // true
 * ```
 */
export function forStream(text: string, isTerminal: boolean): string {
  return isTerminal ? sanitize(text) : text;
}

/** Characters `JSON.stringify` leaves raw that a terminal would act on or hide. */
const UNSAFE_IN_JSON =
  /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * `JSON.stringify(value, null, space)` with C1 controls, DEL, bidi
 * controls, line separators and zero-width characters written as `\uXXXX`
 * escapes (C0 controls and ESC are escaped by `JSON.stringify` already).
 * The result parses to the same value.
 *
 * @example
 * ```ts
 * import { inertJson } from "./safe_output.ts";
 * console.log(inertJson({ a: "\u202eexe" })); // {"a":"\u202eexe"} with the escape spelled out
 * ```
 */
export function inertJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
