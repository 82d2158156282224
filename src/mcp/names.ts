/**
 * Server and tool names made into JavaScript identifiers for
 * `mcp.<server>.<tool>`.
 *
 * @module
 */

/**
 * `name` as an identifier: characters other than letters, digits, `_` and
 * `$` become `_`, and a leading digit gets a `_` before it.
 *
 * @example
 * ```ts
 * import { toIdentifier } from "./names.ts";
 * console.log(toIdentifier("get-sum")); // "get_sum"
 * console.log(toIdentifier("2fa.check")); // "_2fa_check"
 * ```
 */
export function toIdentifier(name: string): string {
  const plain = name.replace(/[^A-Za-z0-9_$]/g, "_") || "_";
  return /^[0-9]/.test(plain) ? `_${plain}` : plain;
}

/**
 * Identifiers for a list of names, in order, made unique by a `_2`, `_3`,
 * ... suffix when two names map to the same identifier.
 *
 * @example
 * ```ts
 * import { uniqueIdentifiers } from "./names.ts";
 * console.log(uniqueIdentifiers(["a-b", "a_b", "c"])); // ["a_b", "a_b_2", "c"]
 * ```
 */
export function uniqueIdentifiers(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const base = toIdentifier(name);
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
    taken.add(id);
    return id;
  });
}
