/**
 * How tools print paths: relative to the workspace with `/` separators.
 *
 * @module
 */

import { relative, sep } from "node:path";

/**
 * Returns `path` relative to `workspace` with `/` separators and no leading
 * `./`; a path outside the workspace stays absolute, the workspace itself is
 * `.`.
 *
 * @example
 * ```ts
 * displayPath("/ws/src/a.ts", "/ws"); // "src/a.ts"
 * displayPath("/etc/hosts", "/ws"); // "/etc/hosts"
 * ```
 */
export function displayPath(path: string, workspace: string): string {
  const rel = relative(workspace, path);
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(`..${sep}`) || /^[a-zA-Z]:/.test(rel)) {
    return sep === "/" ? path : path.split(sep).join("/");
  }
  return sep === "/" ? rel : rel.split(sep).join("/");
}
