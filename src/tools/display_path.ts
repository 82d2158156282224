/**
 * How tools print paths: relative to the workspace with `/` separators.
 *
 * @module
 */

import { relative, sep } from "node:path";

/** A `.` or `..` segment, an empty one, or a trailing slash. */
const UNCLEAN = /\/\.{1,2}(?:\/|$)|\/\/|\/$/;

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
  // Fast path for the common case (a clean path below the workspace), as
  // search tools print tens of thousands of them.
  if (
    sep === "/" && path.length > workspace.length + 1 &&
    path.charCodeAt(workspace.length) === 47 && path.startsWith(workspace) &&
    !UNCLEAN.test(path.slice(workspace.length))
  ) {
    return path.slice(workspace.length + 1);
  }
  const rel = relative(workspace, path);
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(`..${sep}`) || /^[a-zA-Z]:/.test(rel)) {
    return sep === "/" ? path : path.split(sep).join("/");
  }
  return sep === "/" ? rel : rel.split(sep).join("/");
}
