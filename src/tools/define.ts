/**
 * The one place where tool arguments are checked and tool output is bounded.
 *
 * @module
 */

import type { z } from "zod";
import type { Tool, ToolContext, ToolParam } from "./types.ts";

/**
 * Characters a tool result may have before {@linkcode limitText} cuts it.
 *
 * @example
 * ```ts
 * limitText("x".repeat(200_000), DEFAULT_MAX_OUTPUT_CHARS).length; // about 100_000
 * ```
 */
export const DEFAULT_MAX_OUTPUT_CHARS = 100_000;

/**
 * What {@linkcode defineTool} needs to build a {@linkcode Tool}.
 *
 * @example
 * ```ts
 * const spec: ToolSpec<z.ZodObject<{ text: z.ZodString }>> = {
 *   name: "echo",
 *   description: "Returns its text.",
 *   params: [{ name: "text", type: "string", description: "what to echo" }],
 *   schema: z.object({ text: z.string() }),
 *   run: ({ text }) => Promise.resolve(text),
 * };
 * ```
 */
export interface ToolSpec<S extends z.ZodObject, R = string> {
  /** Function name in the REPL, e.g. `read_file`. */
  name: string;
  /** One line for the prompt. */
  description: string;
  /** Parameters in positional order; names must match the schema keys. */
  params: readonly ToolParam[];
  /**
   * Validates the arguments keyed by parameter name. Custom messages that
   * start with `must` (e.g. `must be 0 or more`) are shown after the name.
   */
  schema: S;
  /**
   * Does the work with validated arguments; returns the text for the cell
   * (or, for tools that return data, a JSON value).
   */
  run(args: z.output<S>, context: ToolContext): Promise<R>;
  /**
   * Bound applied to every result (default {@linkcode DEFAULT_MAX_OUTPUT_CHARS}):
   * text keeps its head and tail; a JSON value whose text is longer is refused.
   */
  maxOutputChars?: number;
  /**
   * Whether a keyed-object call may carry keys that are not parameters
   * (they reach the schema, which decides). Default false: they are refused.
   */
  openKeys?: boolean;
}

/**
 * Builds a {@linkcode Tool} that accepts positional arguments in parameter
 * order, or one plain object keyed by parameter names, validates them with
 * the zod schema and bounds the result with {@linkcode limitText}. `null`
 * for an optional parameter counts as omitted. Bad arguments throw a
 * `TypeError` such as `read_file(path, offset?, limit?): path must be a
 * string`.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * const echo = defineTool({
 *   name: "echo",
 *   description: "Returns its text.",
 *   params: [{ name: "text", type: "string", description: "what to echo" }],
 *   schema: z.object({ text: z.string() }),
 *   run: ({ text }) => Promise.resolve(text),
 * });
 * // await echo.run(["hi"], context) === "hi"
 * // await echo.run([{ text: "hi" }], context) === "hi"
 * ```
 */
export function defineTool<S extends z.ZodObject, R = string>(
  spec: ToolSpec<S, R>,
): Tool<R> {
  const signature = toolSignature(spec.name, spec.params);
  const maxChars = spec.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  return {
    name: spec.name,
    description: spec.description,
    params: spec.params,
    async run(args: unknown[], context: ToolContext): Promise<R> {
      const record = argumentRecord(
        args,
        spec.params,
        signature,
        spec.openKeys ?? false,
      );
      const parsed = spec.schema.safeParse(record);
      if (!parsed.success) {
        throw new TypeError(
          issueMessage(parsed.error.issues, record, spec.params, signature),
        );
      }
      return limitResult(await spec.run(parsed.data, context), maxChars);
    },
  };
}

/** Text keeps head and tail; a JSON value longer than the cap is refused. */
function limitResult<R>(value: R, maxChars: number): R {
  if (typeof value === "string") return limitText(value, maxChars) as R;
  const size = JSON.stringify(value)?.length ?? 0;
  if (size > maxChars) {
    throw new RangeError(
      `The result is ${size} characters of JSON, more than the ${maxChars} a tool may return; ask for less`,
    );
  }
  return value;
}

/**
 * The call signature shown in messages: `read_file(path, offset?, limit?)`.
 *
 * @example
 * ```ts
 * toolSignature("f", [{ name: "a", type: "string", description: "" }]); // "f(a)"
 * ```
 */
export function toolSignature(
  name: string,
  params: readonly ToolParam[],
): string {
  const list = params.map((p) => p.optional ? `${p.name}?` : p.name);
  return `${name}(${list.join(", ")})`;
}

/**
 * Keeps the first and last `maxChars / 2` characters of `text` with a line
 * `... [N chars omitted] ...` between them; shorter text is returned as is.
 * Never splits a surrogate pair.
 *
 * @example
 * ```ts
 * limitText("abcdefghij", 4); // "ab\n... [6 chars omitted] ...\nij"
 * ```
 */
export function limitText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let head = Math.ceil(maxChars / 2);
  let tail = text.length - Math.floor(maxChars / 2);
  if (isHighSurrogate(text.charCodeAt(head - 1))) head--;
  if (isLowSurrogate(text.charCodeAt(tail))) tail++;
  const omitted = tail - head;
  return `${text.slice(0, head)}\n... [${omitted} chars omitted] ...\n${
    text.slice(tail)
  }`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function argumentRecord(
  args: unknown[],
  params: readonly ToolParam[],
  signature: string,
  openKeys: boolean,
): Record<string, unknown> {
  const names = params.map((p) => p.name);
  let record: Record<string, unknown>;
  if (args.length === 1 && isPlainObject(args[0])) {
    const given = args[0];
    const unknown = Object.keys(given).filter((k) => !names.includes(k));
    if (unknown.length > 0 && !openKeys) {
      throw new TypeError(
        `${signature}: unknown argument ${
          JSON.stringify(unknown[0])
        }; expected ${names.join(", ")}`,
      );
    }
    record = { ...given };
  } else {
    if (args.length > params.length) {
      throw new TypeError(
        `${signature}: expected at most ${params.length} argument${
          params.length === 1 ? "" : "s"
        }, got ${args.length}`,
      );
    }
    record = {};
    args.forEach((value, i) => record[names[i]] = value);
  }
  for (const p of params) {
    if (p.optional && record[p.name] === null) record[p.name] = undefined;
  }
  return record;
}

function issueMessage(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  record: Record<string, unknown>,
  params: readonly ToolParam[],
  signature: string,
): string {
  const issue = issues[0];
  const name = String(issue?.path[0] ?? "");
  const param = params.find((p) => p.name === name);
  if (!issue || !param) {
    return `${signature}: ${issue?.message ?? "invalid arguments"}`;
  }
  if (issue.message.startsWith("must")) {
    return `${signature}: ${name} ${issue.message}`;
  }
  if (record[name] === undefined) return `${signature}: ${name} is required`;
  return `${signature}: ${name} must be ${typePhrase(param.type)}`;
}

function typePhrase(type: string): string {
  if (type.endsWith("[]")) return `an array of ${type.slice(0, -2)}s`;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
