/**
 * Where `glob_files` and `grep_files` search, and how their glob applies.
 *
 * @module
 */

import { dirname, relative, sep } from "node:path";
import type { ToolContext } from "../types.ts";
import { displayPath } from "../display_path.ts";
import { createGlobFilter } from "./glob_pattern.ts";

/**
 * A resolved folder or file to search.
 *
 * @example
 * ```ts
 * const root: SearchRoot = await resolveSearchRoot("src/a.ts", context);
 * root.dir; // "<workspace>/src"
 * ```
 */
export interface SearchRoot {
  /** Absolute path of the folder or file. */
  path: string;
  /** The folder globs are relative to: `path`, or the folder of a file. */
  dir: string;
}

/**
 * Resolves the `path` argument (default: the workspace) for reading; throws
 * `Error('Cannot search "x": no such file or folder')` when it is missing.
 *
 * @example
 * ```ts
 * const root = await resolveSearchRoot("src", context);
 * ```
 */
export async function resolveSearchRoot(
  path: string | undefined,
  context: ToolContext,
): Promise<SearchRoot> {
  const given = path ?? ".";
  const target = await context.resolvePath(given, "read");
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(target);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file or folder"
      : (error as Error).message;
    throw new Error(`Cannot search ${JSON.stringify(given)}: ${reason}`);
  }
  return { path: target, dir: info.isDirectory ? target : dirname(target) };
}

/**
 * A test for absolute file paths: does the glob (see `createGlobFilter`)
 * match the path relative to the search folder or to the workspace?
 *
 * @example
 * ```ts
 * const include = globInclude("*.ts", root, context.workspace);
 * include(`${context.workspace}/src/a.ts`); // true
 * ```
 */
export function globInclude(
  pattern: string,
  root: SearchRoot,
  workspace: string,
): (path: string) => boolean {
  const filter = createGlobFilter(pattern);
  // Only a pattern with a "/" looks at the workspace-relative path.
  const anchored = pattern.replace(/^!/, "").includes("/");
  const prefix = root.dir.endsWith("/") ? root.dir : `${root.dir}/`;
  return (path) => {
    let rootRelative: string;
    if (sep === "/" && path.startsWith(prefix)) {
      rootRelative = path.slice(prefix.length);
    } else {
      const rel = relative(root.dir, path);
      rootRelative = sep === "/" ? rel : rel.split(sep).join("/");
    }
    return filter(rootRelative, anchored ? displayPath(path, workspace) : "");
  };
}
