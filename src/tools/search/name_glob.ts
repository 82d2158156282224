/**
 * The file-name part of a `glob_files` / `grep_files` glob, for a search
 * back end to skip other files early. ripgrep takes it as a file type
 * (`--type-add`), which, unlike `-g`, never overrides `.gitignore`.
 *
 * @module
 */

/** Characters a name glob may hold and mean the same in both dialects. */
const SIMPLE = /^[A-Za-z0-9_.*?{},@+ -]+$/;

/**
 * A glob on file names that every path the full glob matches also matches,
 * or `null` when there is none worth using (`*`, a negated glob, a folder
 * glob, or characters whose meaning could differ between ripgrep and the
 * built-in matcher). The full glob must still be applied.
 *
 * @example
 * ```ts
 * import { nameGlobOf } from "./name_glob.ts";
 * console.log(nameGlobOf("src/**\/*.test.ts")); // "*.test.ts"
 * console.log(nameGlobOf("*.{ts,tsx}")); // "*.{ts,tsx}"
 * console.log(nameGlobOf("!*.md")); // null
 * ```
 */
export function nameGlobOf(pattern: string): string | null {
  if (pattern.startsWith("!") || pattern.endsWith("/")) return null;
  const name = pattern.slice(pattern.lastIndexOf("/") + 1);
  if (name === "" || name.includes("**") || !SIMPLE.test(name)) return null;
  if (/^\*+$/.test(name)) return null;
  // A brace that spans a "/" was split above: its name part means nothing.
  if (braceSpansSlash(pattern)) return null;
  let depth = 0;
  for (const c of name) {
    if (c === "{") depth++;
    else if (c === "}" && --depth < 0) return null;
    else if (c === "," && depth === 0) return null;
  }
  return depth === 0 ? name : null;
}

function braceSpansSlash(pattern: string): boolean {
  let depth = 0;
  for (const c of pattern) {
    if (c === "{") depth++;
    else if (c === "}") depth = Math.max(0, depth - 1);
    else if (c === "/" && depth > 0) return true;
  }
  return false;
}

/**
 * ripgrep arguments that keep only files whose name matches `nameGlob`
 * without lifting any ignore rule: a file type made for it, and `!.*` so
 * hidden files the type would let through stay hidden.
 *
 * @example
 * ```ts
 * import { ripgrepNameArgs } from "./name_glob.ts";
 * console.log(ripgrepNameArgs("*.ts")); // ["--type-add", "ncname:*.ts", "--type", "ncname", "--glob", "!.*"]
 * ```
 */
export function ripgrepNameArgs(nameGlob: string | null | undefined): string[] {
  if (!nameGlob) return [];
  return [
    "--type-add",
    `ncname:${nameGlob}`,
    "--type",
    "ncname",
    "--glob",
    "!.*",
  ];
}
