/**
 * The tools of a coding agent: what the REPL gets (functions with their
 * prompt docs) and what a library user gets back from `getTools()` (plain
 * callables, by name, as the Python original's `get_tools()`).
 *
 * @module
 */

import type { ReplFunction } from "../rlm/functions.ts";
import { replHelpers } from "../sandbox/worker_helpers.ts";
import { reservedReason } from "./reserved_names.ts";
import { type UserFunction, userFunction } from "./tool_functions.ts";

/** Turns a tagged list result into the array a cell gets. */
const { listFrom } = replHelpers(Deno);

/** A tool as `getTools()` gives it: call it with the tool's arguments. */
export type ToolCallable = (...args: never[]) => unknown;

/**
 * The tools by name, in the order they were added. A built-in tool's
 * callable runs it through the same policy and approvals as a call from a
 * cell and returns a promise of what a cell gets: text, or for
 * `glob_files` and `grep_files` an array whose `toString()` is the
 * original's text. A tool added with `set` is given back as the very
 * function that was added.
 *
 * @example
 * ```ts
 * import { ToolRegistry } from "./tool_registry.ts";
 * const tools = new ToolRegistry(new Map(), ["task", "history"]);
 * tools.set("shout", (text: string) => text.toUpperCase());
 * console.log(tools.callables().shout("hi")); // "HI"
 * ```
 */
export class ToolRegistry {
  #functions = new Map<string, ReplFunction>();
  #callables = new Map<string, ToolCallable>();
  #reserved: readonly string[];

  /**
   * Starts with `builtins`; `reserved` adds names (the signature's inputs)
   * to the ones no tool may take.
   */
  constructor(
    builtins: Map<string, ReplFunction>,
    reserved: readonly string[] = [],
  ) {
    this.#reserved = reserved;
    for (const [name, fn] of builtins) {
      this.#functions.set(name, fn);
      this.#callables.set(
        name,
        async (...args: unknown[]) =>
          listFrom(
            await fn.run(args, {
              signal: new AbortController().signal,
              step: 0,
            }),
          ),
      );
    }
  }

  /**
   * Adds or replaces a tool. `doc` is `name(params): description` or just
   * a description; without it, the call form is read from the function's
   * parameters and the description made from its name.
   *
   * @throws {TypeError} when the name is not a JavaScript identifier, is
   *   reserved (`SUBMIT`, `print`, `llm_query`, `llm_query_batched`,
   *   `task`, `history`, a global of the REPL such as `console` or `JSON`),
   *   or `fn` is not a function.
   */
  set(name: string, fn: UserFunction, doc?: string): void {
    const reason = typeof name === "string"
      ? reservedReason(name, this.#reserved)
      : null;
    if (reason) {
      throw new TypeError(
        `Cannot add tool "${name}": the name is reserved, ${reason}; choose another name`,
      );
    }
    this.#functions.set(name, userFunction(name, fn, doc));
    this.#callables.set(name, fn);
  }

  /** Removes a tool; unknown names are ignored. */
  remove(name: string): void {
    this.#functions.delete(name);
    this.#callables.delete(name);
  }

  /** The REPL functions, in order. */
  functions(): ReplFunction[] {
    return [...this.#functions.values()];
  }

  /** The callables by name (a new object each call). */
  callables(): Record<string, ToolCallable> {
    return Object.fromEntries(this.#callables);
  }
}
