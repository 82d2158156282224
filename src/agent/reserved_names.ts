/**
 * Names a tool cannot take: the REPL's own functions and variables, and the
 * globals every cell relies on.
 *
 * @module
 */

/**
 * The names the REPL itself defines for every cell: `SUBMIT`, `print`, the
 * sub-model calls, the coding agent's variables `task` and `history`, and
 * the cell rewriter's helpers.
 *
 * @example
 * ```ts
 * import { REPL_NAMES } from "./reserved_names.ts";
 * console.log(REPL_NAMES.includes("SUBMIT")); // true
 * ```
 */
export const REPL_NAMES: readonly string[] = Object.freeze([
  "SUBMIT",
  "print",
  "llm_query",
  "llm_query_batched",
  "task",
  "history",
  "__nc",
  "__nc_e",
]);

/**
 * JavaScript's reserved words (strict mode and modules included): a tool
 * by one of these names could not be called from a cell.
 */
const RESERVED_WORDS = new Set(
  ("await break case catch class const continue debugger default delete do " +
    "else enum export extends false finally for function if implements " +
    "import in instanceof interface let new null package private protected " +
    "public return static super switch this throw true try typeof var void " +
    "while with yield").split(" "),
);

/** Globals of a Web Worker that the agent's own realm lacks. */
const WORKER_GLOBALS = [
  "postMessage",
  "onmessage",
  "onmessageerror",
  "importScripts",
];

/**
 * Why `name` cannot be a tool, or `null` when it can: it is a JavaScript
 * reserved word (`if`, `class`, ...), one of {@linkcode REPL_NAMES}, one
 * of `extra` (such as a signature's input names), or a global of the JavaScript realm the cells run in (`console`,
 * `JSON`, `Deno`, `fetch`, `globalThis`, ...), which a tool would shadow.
 *
 * @example
 * ```ts
 * import { reservedReason } from "./reserved_names.ts";
 * console.log(reservedReason("JSON")); // "it is a global of the REPL (JSON)"
 * console.log(reservedReason("count_lines")); // null
 * ```
 */
export function reservedReason(
  name: string,
  extra: readonly string[] = [],
): string | null {
  if (RESERVED_WORDS.has(name)) {
    return "it is a JavaScript reserved word, which a cell cannot call";
  }
  if (REPL_NAMES.includes(name) || extra.includes(name)) {
    return `the REPL defines it (${
      [...new Set([...REPL_NAMES.slice(0, 6), ...extra])].join(", ")
    } are reserved)`;
  }
  if (name in globalThis || WORKER_GLOBALS.includes(name)) {
    return `it is a global of the REPL (${name})`;
  }
  return null;
}
