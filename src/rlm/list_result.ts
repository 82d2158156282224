/**
 * List results: what `glob_files` and `grep_files` return in a cell. The
 * cell gets an array (paths; `file:line:text` lines) whose `toString()` is
 * the tool's text (lines joined by newlines, `no files found`, the "more
 * not shown" note), so `print()` shows what the Python original printed,
 * while `.length`, `for…of` and `.map` work on the items. `.split` on it
 * fails with a hint that it is an array already.
 *
 * The value crosses to the sandbox as a tagged object; the worker
 * (`src/sandbox/worker_main.ts`, which cannot import) builds the array.
 *
 * @module
 */

/** The key that tags a list result on its way to the sandbox. */
export const LIST_KEY = "__nanocode_list__";

/** A list result as it crosses to the sandbox. */
export interface ListResult {
  /** The items. */
  [LIST_KEY]: string[];
  /** The tool's text: what `toString()` returns. */
  text: string;
  /** The function that returned it, for the `.split` hint. */
  fn: string;
  /** What the items are, e.g. `paths`. */
  what: string;
}

/**
 * Tags items and their text as a list result.
 *
 * @example
 * ```ts
 * import { listResult } from "./list_result.ts";
 * listResult(["a.ts"], "a.ts", "glob_files", "paths").text; // "a.ts"
 * ```
 */
export function listResult(
  items: string[],
  text: string,
  fn: string,
  what: string,
): ListResult {
  return { [LIST_KEY]: items, text, fn, what };
}

/**
 * Whether a value is a list result.
 *
 * @example
 * ```ts
 * import { isListResult, listResult } from "./list_result.ts";
 * isListResult(listResult([], "no files found", "glob_files", "paths")); // true
 * ```
 */
export function isListResult(value: unknown): value is ListResult {
  return typeof value === "object" && value !== null &&
    Array.isArray((value as Record<string, unknown>)[LIST_KEY]) &&
    typeof (value as Record<string, unknown>).text === "string";
}

/**
 * The text a function's result reads as (for events and logs): a string as
 * it is, a list result's text, anything else as JSON.
 *
 * @example
 * ```ts
 * import { resultText } from "./list_result.ts";
 * resultText({ ok: 1 }); // '{"ok":1}'
 * ```
 */
export function resultText(value: unknown): string {
  if (typeof value === "string") return value;
  if (isListResult(value)) return value.text;
  return JSON.stringify(value) ?? "";
}

/**
 * Splits a search tool's text into its items: one per line, without the
 * empty-result message and the trailing "... (N more ... not shown" note.
 *
 * @example
 * ```ts
 * import { linesOf } from "./list_result.ts";
 * linesOf("b.ts\na.ts\n... (3 more files not shown, 5 in all; narrow the pattern or path)"); // ["b.ts", "a.ts"]
 * linesOf("no files found"); // []
 * ```
 */
export function linesOf(text: string): string[] {
  if (text === "no files found" || text === "no matches found" || text === "") {
    return [];
  }
  return text.split("\n").filter((line) =>
    !/^\.\.\. \(\d+ more (?:files|matches) not shown/.test(line)
  );
}
