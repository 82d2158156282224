/**
 * The prompt line of a function a library user adds without a doc string:
 * its call form read from the function's own source text, and a
 * description made from its name.
 *
 * @module
 */

/**
 * The parameter list of a JavaScript function as its source text declares
 * it, one entry per parameter: a parameter with a default gets a `?`, a
 * rest parameter keeps its `...`, and a destructured one its pattern.
 * Returns `null` when the source cannot be read (a bound or native
 * function).
 *
 * @example
 * ```ts
 * import { functionParams } from "./function_doc.ts";
 * console.log(functionParams((path: string, limit = 10) => [path, limit])); // ["path", "limit?"]
 * ```
 */
export function functionParams(
  fn: (...args: never[]) => unknown,
): string[] | null {
  const source = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) return null;
  const list = paramSource(source);
  if (list === null) return null;
  return splitTopLevel(list).map(describeParam).filter((p) => p !== "");
}

/**
 * The call form and description of a function added without a doc:
 * `count_lines(path)` and `count lines (added with setTool)`.
 *
 * @example
 * ```ts
 * import { derivedDoc } from "./function_doc.ts";
 * console.log(derivedDoc("countLines", (path: string) => path.length));
 * // { signature: "countLines(path)", description: "count lines (a function added with setTool)" }
 * ```
 */
export function derivedDoc(
  name: string,
  fn: (...args: never[]) => unknown,
): { signature: string; description: string } {
  const params = functionParams(fn);
  const signature = `${name}(${params ? params.join(", ") : "...args"})`;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_$]+/g, " ")
    .trim()
    .toLowerCase();
  return {
    signature,
    description: `${words || name} (a function added with setTool)`,
  };
}

/** The text between the parentheses of the parameter list, or the bare arrow parameter. */
function paramSource(source: string): string | null {
  const text = stripComments(source).trim();
  // `x => ...` or `async x => ...`
  const bare = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(text);
  if (bare) return bare[1];
  const open = text.indexOf("(");
  if (open === -1) return null;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") {
      i = skipString(text, i);
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
    } else if (c === ")" || c === "]" || c === "}") {
      depth--;
      if (depth === 0) return text.slice(open + 1, i);
    }
  }
  return null;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
}

function skipString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

/** Indexes of the characters of `text` outside brackets, braces and strings. */
function* topLevel(text: string): Generator<number> {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === "`") i = skipString(text, i);
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (depth === 0) yield i;
  }
}

/** Splits at commas that are not inside brackets, braces or strings. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const i of topLevel(list)) {
    if (list[i] !== ",") continue;
    parts.push(list.slice(start, i));
    start = i + 1;
  }
  parts.push(list.slice(start));
  return parts.map((p) => p.trim());
}

function describeParam(param: string): string {
  if (param === "") return "";
  const head = beforeDefault(param);
  const hasDefault = head.length < param.length;
  const name = head.trim().replace(/\s+/g, " ");
  return hasDefault ? `${name}?` : name;
}

/** The part of a parameter before its top-level `=` default. */
function beforeDefault(param: string): string {
  for (const i of topLevel(param)) {
    if (param[i] === "=" && param[i + 1] !== ">") return param.slice(0, i);
  }
  return param;
}
