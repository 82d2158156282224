/**
 * Ignore rules the way ripgrep applies them with `--no-require-git`:
 * `.gitignore`, `.ignore`, `.rgignore` in every folder and its ancestors,
 * and `.git/info/exclude` of the enclosing repository.
 *
 * @module
 */

import { compileGlob, type GlobMatcher } from "./glob_pattern.ts";

/**
 * One line of an ignore file.
 *
 * @example
 * ```ts
 * const [rule] = parseIgnoreFile("build/");
 * rule.dirOnly; // true
 * ```
 */
export interface IgnoreRule {
  /** Tested against the path relative to the ignore file's folder. */
  matcher: GlobMatcher;
  /** `!pattern`: re-includes what an earlier line excluded. */
  negate: boolean;
  /** `pattern/`: applies to folders only. */
  dirOnly: boolean;
}

/**
 * Outcome of matching: excluded, explicitly included, or no rule applies.
 *
 * @example
 * ```ts
 * const match: IgnoreMatch = matchRules(parseIgnoreFile("*.log"), "a.log", false); // "ignore"
 * ```
 */
export type IgnoreMatch = "ignore" | "whitelist" | null;

/**
 * The ignore rules found in one folder.
 *
 * @example
 * ```ts
 * const rules: FolderRules = await loadFolderRules("/ws");
 * rules.hasGit; // true in a repository root
 * ```
 */
export interface FolderRules {
  /** Absolute folder path. */
  dir: string;
  /** `.rgignore` (highest precedence). */
  custom: IgnoreRule[];
  /** `.ignore`. */
  dot: IgnoreRule[];
  /** `.gitignore`. */
  git: IgnoreRule[];
  /** `.git/info/exclude` when this folder holds `.git`. */
  exclude: IgnoreRule[];
  /** The folder holds `.git`: git rules of folders above it do not apply. */
  hasGit: boolean;
}

/**
 * Parses an ignore file in gitignore syntax: `#` comments, `!` negation,
 * trailing `/` for folders, a `/` at the start or middle anchors the pattern
 * to the file's folder, otherwise it matches at any depth.
 *
 * @example
 * ```ts
 * const rules = parseIgnoreFile("node_modules/\n*.log\n!keep.log\n");
 * matchRules(rules, "a/x.log", false); // "ignore"
 * matchRules(rules, "keep.log", false); // "whitelist"
 * ```
 */
export function parseIgnoreFile(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const rule = parseIgnoreLine(raw);
    if (rule) rules.push(rule);
  }
  return rules;
}

/**
 * One line of an ignore file as a rule; `null` for blanks, comments and
 * invalid patterns.
 *
 * @example
 * ```ts
 * console.log(parseIgnoreLine("!keep.log")?.negate); // true
 * ```
 */
export function parseIgnoreLine(raw: string): IgnoreRule | null {
  let line = trimTrailingBlanks(raw);
  if (line === "" || line.startsWith("#")) return null;
  const negate = line.startsWith("!");
  if (negate) line = line.slice(1);
  let anchored = false;
  if (line.startsWith("/")) {
    anchored = true;
    line = line.slice(1);
  }
  let dirOnly = false;
  if (line.endsWith("/")) {
    dirOnly = true;
    line = line.slice(0, -1);
  }
  if (line === "") return null;
  if (!anchored && !line.includes("/") && !line.startsWith("**/")) {
    line = `**/${line}`;
  }
  if (line.endsWith("/**")) line += "/*";
  try {
    return { matcher: compileGlob(line), negate, dirOnly };
  } catch {
    // an invalid pattern is skipped, as git and ripgrep do
    return null;
  }
}

/**
 * Drops trailing spaces and tabs, keeping one that a backslash escapes
 * (in one pass: a regular expression for it was quadratic in the run).
 */
function trimTrailingBlanks(line: string): string {
  let end = line.length;
  while (end > 0 && (line[end - 1] === " " || line[end - 1] === "\t")) end--;
  if (end < line.length && end > 0 && line[end - 1] === "\\") end++;
  return line.slice(0, end);
}

/**
 * The last rule matching `relative` (a `/`-separated path) decides.
 *
 * @example
 * ```ts
 * matchRules(parseIgnoreFile("build/"), "build", true); // "ignore"
 * matchRules(parseIgnoreFile("build/"), "build", false); // null
 * ```
 */
export function matchRules(
  rules: readonly IgnoreRule[],
  relative: string,
  isDir: boolean,
): IgnoreMatch {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule.dirOnly && !isDir) continue;
    if (rule.matcher.test(relative)) {
      return rule.negate ? "whitelist" : "ignore";
    }
  }
  return null;
}

/**
 * Decides whether `path` is ignored under the folders in `chain` (outermost
 * first, ending with the folder that holds `path`). For each kind of file
 * (`.rgignore`, `.ignore`, `.gitignore`, exclude, in that precedence) the
 * deepest folder with a matching rule decides; git rules stop at the first
 * folder holding `.git`.
 *
 * @example
 * ```ts
 * const chain = [await loadFolderRules("/ws")];
 * isIgnored(chain, "/ws/node_modules", true); // "ignore" if listed
 * ```
 */
export function isIgnored(
  chain: readonly FolderRules[],
  path: string,
  isDir: boolean,
): IgnoreMatch {
  return matchScope(chain.reduce(extendScope, EMPTY_SCOPE), path, isDir);
}

/**
 * The ignore rules in effect inside one folder, compiled from its chain of
 * {@linkcode FolderRules} so that each entry is checked only against the
 * folders that have rules. Build it with {@linkcode extendScope}, starting
 * from {@linkcode EMPTY_SCOPE}; test paths with {@linkcode matchScope}.
 *
 * @example
 * ```ts
 * const scope: IgnoreScope = extendScope(EMPTY_SCOPE, await loadFolderRules("/ws"));
 * ```
 */
export interface IgnoreScope {
  /**
   * Per kind of ignore file, in precedence order (`.rgignore`, `.ignore`,
   * `.gitignore`, exclude), the folders with rules of that kind that apply,
   * deepest first.
   */
  readonly kinds: readonly (readonly ScopedRules[])[];
  /** No rule applies at all. */
  readonly empty: boolean;
}

/**
 * The rules of one kind from one folder.
 *
 * @example
 * ```ts
 * const scoped: ScopedRules = { dir: "/ws", rules: parseIgnoreFile("*.log") };
 * ```
 */
export interface ScopedRules {
  /** Absolute folder path the rules are relative to. */
  dir: string;
  /** The rules, in file order. */
  rules: readonly IgnoreRule[];
}

const KINDS = ["custom", "dot", "git", "exclude"] as const;

/**
 * The scope outside every folder: nothing is ignored.
 *
 * @example
 * ```ts
 * matchScope(EMPTY_SCOPE, "/ws/a.log", false); // null
 * ```
 */
export const EMPTY_SCOPE: IgnoreScope = {
  kinds: KINDS.map(() => []),
  empty: true,
};

/**
 * The scope inside `folder`, a child of the folder `parent` describes:
 * `folder`'s rules take precedence, and a `.git` in `folder` hides the git
 * rules of the folders above it.
 *
 * @example
 * ```ts
 * const scope = (await loadAncestorRules("/ws")).reduce(extendScope, EMPTY_SCOPE);
 * ```
 */
export function extendScope(
  parent: IgnoreScope,
  folder: FolderRules,
): IgnoreScope {
  let empty = true;
  const kinds = KINDS.map((kind, i) => {
    const inherited = (kind === "git" || kind === "exclude") && folder.hasGit
      ? []
      : parent.kinds[i];
    const own = folder[kind];
    const list = own.length > 0
      ? [{ dir: folder.dir, rules: own }, ...inherited]
      : inherited;
    if (list.length > 0) empty = false;
    return list;
  });
  return { kinds, empty };
}

/**
 * Decides whether `path` (inside the scope's folder or below it) is
 * ignored: for each kind in precedence order, the deepest folder with a
 * matching rule decides. Same result as {@linkcode isIgnored} on the chain
 * the scope was built from.
 *
 * @example
 * ```ts
 * matchScope(scope, "/ws/build", true); // "ignore" if listed
 * ```
 */
export function matchScope(
  scope: IgnoreScope,
  path: string,
  isDir: boolean,
): IgnoreMatch {
  if (scope.empty) return null;
  for (const list of scope.kinds) {
    for (const { dir, rules } of list) {
      const match = matchRules(rules, relativeTo(dir, path), isDir);
      if (match !== null) return match;
    }
  }
  return null;
}

function relativeTo(dir: string, path: string): string {
  return dir.endsWith("/")
    ? path.slice(dir.length)
    : path.slice(dir.length + 1);
}
