/**
 * Adapts coding tools and user-supplied functions to REPL functions.
 *
 * @module
 */

import type { CallContext, ReplFunction } from "../rlm/functions.ts";
import { lazyCodingTools } from "../tools/lazy.ts";
import type { Tool, ToolContext } from "../tools/types.ts";
import { derivedDoc } from "./function_doc.ts";
import { withToolDocs } from "./tool_docs.ts";

/**
 * The call form of a tool, e.g. `read_file(path, offset?, limit?)`.
 *
 * @example
 * ```ts
 * import { callForm } from "./tool_functions.ts";
 * console.log(callForm({ name: "f", description: "", params: [{ name: "a", type: "string", description: "" }], run: () => Promise.resolve("") }));
 * ```
 */
export function callForm(tool: Tool): string {
  const params = tool.params.map((p) => `${p.name}${p.optional ? "?" : ""}`);
  return `${tool.name}(${params.join(", ")})`;
}

/**
 * Wraps a tool as a REPL function that runs with a fresh tool context per
 * call (so each call sees the turn's abort signal).
 *
 * @example
 * ```ts ignore
 * const fn = toolFunction(readFileTool, (signal) => createToolContext({ workspace: ".", signal }));
 * ```
 */
export function toolFunction(
  tool: Tool,
  context: (
    signal: AbortSignal,
    call?: CallContext,
  ) => ToolContext | Promise<ToolContext>,
): ReplFunction {
  return {
    name: tool.name,
    signature: callForm(tool),
    description: tool.description,
    run: async (args, call) => tool.run(args, await context(call.signal, call)),
  };
}

/**
 * The coding tools as REPL functions, by name; `context` builds the tool
 * context of each call.
 *
 * @example
 * ```ts ignore
 * const functions = codingToolFunctions((signal) => createToolContext({ workspace: ".", signal }));
 * console.log([...functions.keys()]);
 * ```
 */
export function codingToolFunctions(
  context: (
    signal: AbortSignal,
    tool: string,
    call?: CallContext,
  ) => ToolContext | Promise<ToolContext>,
): Map<string, ReplFunction> {
  const functions = new Map<string, ReplFunction>();
  for (const tool of lazyCodingTools()) {
    functions.set(
      tool.name,
      withToolDocs(
        toolFunction(tool, (signal, call) => context(signal, tool.name, call)),
      ),
    );
  }
  return functions;
}

/** A function a library user adds with `setTool`. */
export type UserFunction = (...args: never[]) => unknown;

/**
 * Wraps a plain JavaScript function as a REPL function. `doc` is either
 * `name(params): description` or just the description; without it (or
 * with only a description), the call form comes from the function's
 * parameters, and a missing description from its name.
 *
 * @example
 * ```ts
 * import { userFunction } from "./tool_functions.ts";
 * const fn = userFunction("shout", (s: string) => s.toUpperCase(), "shout(text): the text in capitals");
 * console.log(fn.signature); // "shout(text)"
 * ```
 */
export function userFunction(
  name: string,
  fn: UserFunction,
  doc?: string,
): ReplFunction {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new TypeError(`Tool name "${name}" is not a JavaScript identifier`);
  }
  if (typeof fn !== "function") {
    throw new TypeError(`Tool "${name}" must be a function`);
  }
  const derived = derivedDoc(name, fn);
  const text = doc ?? "";
  const match = new RegExp(
    `^\\s*(${name.replace(/\$/g, "\\$")}\\([^)]*\\))\\s*(?::|-+|—)?\\s*`,
  ).exec(text);
  const signature = match ? match[1] : derived.signature;
  const description = (match ? text.slice(match[0].length) : text).trim() ||
    derived.description;
  return {
    name,
    signature,
    description,
    run: (args) => (fn as (...a: unknown[]) => unknown)(...args),
  };
}
