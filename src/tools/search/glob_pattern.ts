/**
 * Globs in the gitignore dialect that ripgrep uses, plus `{a,b}`: the filter
 * `glob_files` and `grep_files` apply. Matching never backtracks (see
 * `glob_matcher.ts`), so no glob can wedge the agent.
 *
 * @module
 */

import { compileGlob, type GlobMatcher } from "./glob_matcher.ts";
export { compileGlob, type GlobMatcher };
export { globToRegExpSource } from "./glob_tokens.ts";

/**
 * Builds the filter `glob_files` and `grep_files` apply. A pattern without
 * `/` matches the file name at any depth (`*.ts`); a pattern with `/` is
 * anchored at the search folder (`src/**\/*.ts`) and, for convenience, also
 * tried against the workspace-relative path. A trailing `/` means every file
 * below that folder; a leading `!` inverts the filter.
 *
 * @example
 * ```ts
 * const f = createGlobFilter("*.ts");
 * f("src/a.ts", "src/a.ts"); // true
 * ```
 */
export function createGlobFilter(
  pattern: string,
): (rootRelative: string, workspaceRelative: string) => boolean {
  let glob = pattern;
  const negate = glob.startsWith("!");
  if (negate) glob = glob.slice(1);
  while (glob.startsWith("./")) glob = glob.slice(2);
  if (glob.endsWith("/")) glob += "**";
  const anchored = glob.includes("/");
  if (glob.startsWith("/")) glob = glob.slice(1);
  const matcher = compileGlob(glob);
  return (rootRelative, workspaceRelative) => {
    const matched = anchored
      ? matcher.test(rootRelative) || matcher.test(workspaceRelative)
      : matcher.test(rootRelative.slice(rootRelative.lastIndexOf("/") + 1));
    return matched !== negate;
  };
}
