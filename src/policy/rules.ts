/**
 * Allow and deny rules from the config: `tool(pattern)`, e.g.
 * `run_bash(git status*)`, `edit_file(src/**)`, `read_file(.env)`.
 *
 * @module
 */

import { compileGlob, type GlobMatcher } from "../tools/search/glob_pattern.ts";

/** A parsed rule. */
export interface Rule {
  /** The rule as written (trimmed), for messages. */
  text: string;
  /** A tool name, or `*` for every tool. */
  tool: string;
  /** The argument pattern, or `null` for any argument (a bare tool name). */
  pattern: string | null;
}

/**
 * A rule as messages show it: quoted, and cut after 80 characters (a rule
 * from a repository may be a megabyte long).
 *
 * @example
 * ```ts
 * import { shownRule } from "./rules.ts";
 * console.log(shownRule("run_bash(ls)")); // "\"run_bash(ls)\""
 * ```
 */
export function shownRule(text: unknown): string {
  const value = String(text);
  return value.length > 80
    ? `${JSON.stringify(value.slice(0, 80))}...`
    : JSON.stringify(value);
}

/**
 * Parses `tool(pattern)` or a bare `tool` (any argument). `tool` is a tool
 * name (letters, digits, `_`) or `*`.
 *
 * @throws {TypeError} naming the rule and the expected form.
 * @example
 * ```ts
 * import { parseRule } from "./rules.ts";
 * console.log(parseRule("run_bash(git status*)"));
 * // { text: "run_bash(git status*)", tool: "run_bash", pattern: "git status*" }
 * console.log(parseRule("read_file").pattern); // null
 * ```
 */
export function parseRule(text: string): Rule {
  const trimmed = typeof text === "string" ? text.trim() : "";
  const match = /^([A-Za-z_][A-Za-z0-9_]*|\*)(?:\(([\s\S]*)\))?$/.exec(trimmed);
  if (!match) {
    throw new TypeError(
      `Invalid permission rule ${
        shownRule(text)
      }: expected tool(pattern) or a bare tool name, e.g. run_bash(git status*)`,
    );
  }
  const pattern = match[2] === undefined ? null : match[2].trim();
  if (pattern === "") {
    throw new TypeError(
      `Invalid permission rule ${
        shownRule(text)
      }: the pattern in parentheses is empty (write the bare tool name to match anything)`,
    );
  }
  if (pattern !== null && match[1] !== "run_bash") {
    // A file pattern must compile (and is compiled once, here).
    try {
      globMatcher(fileGlob(pattern));
    } catch (error) {
      throw new TypeError(
        `Invalid permission rule ${shownRule(text)}: ${
          (error as Error).message
        }`,
      );
    }
  }
  return { text: trimmed, tool: match[1], pattern };
}

/** Compiled file patterns by pattern, so a rule is compiled once, not per check. */
const compiled = new Map<string, GlobMatcher>();
const MAX_COMPILED = 256;

/**
 * A (non-backtracking) matcher of whole paths for a glob, with the dialect
 * the search tools use (`*` and `?` within a segment, `**` across segments,
 * classes and `{a,b}`); `a/**` also matches `a` itself. Compiled once per
 * pattern: a repository's rule may be a megabyte long, and a command may
 * name thousands of paths.
 */
function globMatcher(glob: string): GlobMatcher {
  const known = compiled.get(glob);
  if (known) return known;
  const whole = compileGlob(glob);
  let matcher = whole;
  if (glob.endsWith("/**")) {
    const folder = compileGlob(glob.slice(0, -3));
    matcher = { test: (path) => whole.test(path) || folder.test(path) };
  }
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(glob, matcher);
  return matcher;
}

/** The glob a file rule's pattern stands for. */
function fileGlob(pattern: string): string {
  const glob = pattern.replace(/^\.\//, "");
  return glob.endsWith("/") ? `${glob}**` : glob;
}

/**
 * Whether a file rule applies to `tool` touching `path` (workspace-relative,
 * or absolute outside the workspace). A pattern without `/` matches the
 * file name at any depth (`.env`, `*.pem`); one with `/` matches the whole
 * path (`src/**`, `/etc/*`); a trailing `/` means everything below.
 *
 * @example
 * ```ts
 * import { matchesFile, parseRule } from "./rules.ts";
 * const rule = parseRule("edit_file(src/**)");
 * console.log(matchesFile(rule, "edit_file", "src/a/b.ts")); // true
 * console.log(matchesFile(rule, "edit_file", "test/a.ts")); // false
 * console.log(matchesFile(parseRule("read_file(.env)"), "read_file", "sub/.env")); // true
 * ```
 */
export function matchesFile(rule: Rule, tool: string, path: string): boolean {
  if (rule.tool !== "*" && rule.tool !== tool) return false;
  if (rule.pattern === null) return true;
  const pattern = fileGlob(rule.pattern);
  const target = path.replace(/^\.\//, "").replace(/\/+$/, "") || ".";
  if (!pattern.includes("/")) {
    return globMatcher(pattern).test(
      target.slice(target.lastIndexOf("/") + 1),
    );
  }
  return globMatcher(pattern).test(target);
}

/**
 * Whether a `run_bash` rule (or a `*` rule) matches one simple command.
 * `*` matches any characters; a trailing `*` after a word means "that
 * command, alone or followed by whitespace and anything": `git status*`
 * matches `git status` and `git status --short` but not `git statusfoo`.
 * Whitespace runs compare as one space.
 *
 * @example
 * ```ts
 * import { matchesCommand, parseRule } from "./rules.ts";
 * const rule = parseRule("run_bash(git status*)");
 * console.log(matchesCommand(rule, "git status --short")); // true
 * console.log(matchesCommand(rule, "git statusfoo")); // false
 * ```
 */
export function matchesCommand(rule: Rule, segment: string): boolean {
  if (rule.tool !== "*" && rule.tool !== "run_bash") return false;
  if (rule.pattern === null) return true;
  const text = segment.trim().replace(/\s+/g, " ");
  let pattern = rule.pattern.replace(/\s+/g, " ");
  let tail = false;
  if (pattern.endsWith("*")) {
    const body = pattern.slice(0, pattern.endsWith(" *") ? -2 : -1);
    if (body !== "" && !/[\s*]/.test(body[body.length - 1])) {
      pattern = body;
      tail = true;
    }
  }
  return wildcardMatch(pattern.split("*"), text, tail);
}

/**
 * Whether `text` matches the literal `parts` joined by `*` wildcards (any
 * characters) — or, when `tail` is set, a prefix of `text` does and is
 * followed by a space. Linear in the text: the parts before the last are
 * placed as early as possible, which never loses a match, so nothing
 * backtracks whatever the rule and the command.
 */
function wildcardMatch(parts: string[], text: string, tail: boolean): boolean {
  const last = parts[parts.length - 1];
  if (parts.length === 1) {
    return text === last || (tail && text.startsWith(`${last} `));
  }
  if (!text.startsWith(parts[0])) return false;
  let pos = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const at = text.indexOf(parts[i], pos);
    if (at === -1) return false;
    pos = at + parts[i].length;
  }
  const endsAt = (end: number) =>
    end - last.length >= pos && text.startsWith(last, end - last.length);
  if (endsAt(text.length)) return true;
  if (!tail) return false;
  for (let end = text.indexOf(" ", pos); end !== -1;) {
    if (endsAt(end)) return true;
    end = text.indexOf(" ", end + 1);
  }
  return false;
}

/**
 * Whether an `mcp(...)` rule (or a `*` rule) matches a call of `tool` on
 * `server`. The pattern matches `server.tool` with `*` for any characters
 * (`github.*`, `*.search`); names may be written as configured
 * (`get-sum`) or as the REPL spells them (`get_sum`).
 *
 * @example
 * ```ts
 * import { matchesMcp, parseRule } from "./rules.ts";
 * console.log(matchesMcp(parseRule("mcp(github.*)"), "github", "create_issue")); // true
 * console.log(matchesMcp(parseRule("mcp(everything.get_sum)"), "everything", "get-sum")); // true
 * console.log(matchesMcp(parseRule("mcp(github.*)"), "gitlab", "create_issue")); // false
 * ```
 */
export function matchesMcp(rule: Rule, server: string, tool: string): boolean {
  if (rule.tool !== "*" && rule.tool !== "mcp") return false;
  if (rule.pattern === null) return true;
  const source = rule.pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  const pattern = new RegExp(`^${source}$`, "s");
  const id = (name: string) => name.replace(/[^A-Za-z0-9_$]/g, "_");
  return pattern.test(`${server}.${tool}`) ||
    pattern.test(`${id(server)}.${id(tool)}`);
}

const ACCESS_OF_TOOL: Record<string, "read" | "write"> = {
  read_file: "read",
  glob_files: "read",
  grep_files: "read",
  write_file: "write",
  edit_file: "write",
};

/**
 * Whether a deny rule covers a file tool: the same tool, `*`, or a tool of
 * the same kind (`read_file`, `glob_files`, `grep_files` read; `write_file`,
 * `edit_file` write), so one spelling cannot bypass another.
 *
 * @example
 * ```ts
 * import { denyCovers, parseRule } from "./rules.ts";
 * console.log(denyCovers(parseRule("edit_file(a.txt)"), "write_file", "write")); // true
 * console.log(denyCovers(parseRule("read_file(a.txt)"), "write_file", "write")); // false
 * ```
 */
export function denyCovers(
  rule: Rule,
  tool: string,
  access: "read" | "write",
): boolean {
  return rule.tool === "*" || rule.tool === tool ||
    ACCESS_OF_TOOL[rule.tool] === access;
}

/**
 * Whether an allow rule names files explicitly enough to open a
 * secret-looking one: it is for one tool and its last path segment has a
 * literal character (`.env.local`, `*.pem`), not just wildcards (`src/**`,
 * `*`), and it is not a folder (`config/`).
 *
 * @example
 * ```ts
 * import { isExplicitFileRule, parseRule } from "./rules.ts";
 * console.log(isExplicitFileRule(parseRule("read_file(.env)"))); // true
 * console.log(isExplicitFileRule(parseRule("read_file(src/**)"))); // false
 * ```
 */
export function isExplicitFileRule(rule: Rule): boolean {
  if (rule.tool === "*" || rule.pattern === null) return false;
  if (rule.pattern.endsWith("/")) return false;
  const last = rule.pattern.slice(rule.pattern.lastIndexOf("/") + 1);
  return /[^*?]/.test(last);
}
