/**
 * Parameter lists of REPL functions, read from the call forms the model is
 * shown (`read_file(path, offset?, limit?)`), so Python cells can pass
 * arguments by keyword (`read_file("a.ts", limit=20)`).
 *
 * @module
 */

/**
 * The parameters of a call form: `name` (required), `name?` (optional) or
 * `...name` (the rest); `null` when the form has no readable list.
 *
 * @example
 * ```ts
 * import { paramsOf } from "./signatures.ts";
 * console.log(paramsOf("read_file(path, offset?, limit?)")); // ["path", "offset?", "limit?"]
 * console.log(paramsOf("shout(...args)")); // ["...args"]
 * console.log(paramsOf("odd")); // null
 * ```
 */
export function paramsOf(signature: string): string[] | null {
  const match = /^[^(]*\(([^()]*)\)\s*$/.exec(signature.trim());
  if (!match) return null;
  const list = match[1].trim();
  if (list === "") return [];
  const params: string[] = [];
  for (const raw of list.split(",")) {
    const part = raw.trim().replace(/\s*[:=].*$/, "");
    const form = /^(\.\.\.)?([A-Za-z_$][\w$]*)(\?)?$/.exec(part);
    if (!form) return null;
    params.push(`${form[1] ?? ""}${form[2]}${form[3] ?? ""}`);
  }
  return params;
}

/**
 * Parameter lists by function name, for the functions whose call form is
 * readable.
 *
 * @example
 * ```ts
 * import { paramsByName } from "./signatures.ts";
 * console.log(paramsByName({ llm_query: "llm_query(prompt)" })); // { llm_query: ["prompt"] }
 * ```
 */
export function paramsByName(
  signatures: Record<string, string>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, signature] of Object.entries(signatures)) {
    const params = paramsOf(signature);
    if (params) out[name] = params;
  }
  return out;
}
