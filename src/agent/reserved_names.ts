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

/** Globals of a Web Worker that the agent's own realm lacks. */
const WORKER_GLOBALS = [
  "postMessage",
  "onmessage",
  "onmessageerror",
  "importScripts",
];

/**
 * Why `name` cannot be a tool, or `null` when it can: it is one of
 * {@linkcode REPL_NAMES}, one of `extra` (such as a signature's input
 * names), or a global of the JavaScript realm the cells run in (`console`,
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
