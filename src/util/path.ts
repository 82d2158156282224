/**
 * The few path operations start-up code needs, without `node:path`: loading
 * Node compatibility costs ~7 ms, which the interactive prompt should not
 * wait for (the tools, loaded later, use `node:path`). POSIX paths.
 *
 * @module
 */

function normalize(path: string): string {
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length && parts[parts.length - 1] !== "..") parts.pop();
      else if (!absolute) parts.push("..");
    } else parts.push(part);
  }
  const joined = parts.join("/");
  return absolute ? `/${joined}` : joined || ".";
}

/**
 * Joins path segments and normalises the result.
 *
 * @example
 * ```ts
 * import { join } from "./path.ts";
 * console.log(join("/a/b", "../c", "d.txt")); // "/a/c/d.txt"
 * ```
 */
export function join(...parts: string[]): string {
  return normalize(parts.filter((p) => p !== "").join("/"));
}

/**
 * The folder part of a path.
 *
 * @example
 * ```ts
 * import { dirname } from "./path.ts";
 * console.log(dirname("/a/b/c.txt")); // "/a/b"
 * ```
 */
export function dirname(path: string): string {
  const clean = normalize(path);
  const at = clean.lastIndexOf("/");
  if (at === -1) return ".";
  return at === 0 ? "/" : clean.slice(0, at);
}

/**
 * The path from folder `from` to `to` (both absolute).
 *
 * @example
 * ```ts
 * import { relative } from "./path.ts";
 * console.log(relative("/a/b/c", "/a/d.txt")); // "../../d.txt"
 * ```
 */
export function relative(from: string, to: string): string {
  const a = normalize(from).split("/").filter(Boolean);
  const b = normalize(to).split("/").filter(Boolean);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) {
    common++;
  }
  return [...Array(a.length - common).fill(".."), ...b.slice(common)].join("/");
}
