/**
 * Globs in the gitignore dialect that ripgrep uses, plus `{a,b}`.
 *
 * @module
 */

/**
 * Translates a glob into a regular expression source without anchors:
 * `*` and `?` never match `/`, `**` as a whole path segment matches any
 * number of folders, `[a-z]`/`[!a-z]` are classes, `{a,b}` alternatives,
 * and `\` escapes the next character. Malformed brackets and braces are
 * taken literally.
 *
 * @example
 * ```ts
 * new RegExp(`^${globToRegExpSource("src/**\/*.ts")}$`).test("src/a/b.ts"); // true
 * ```
 */
export function globToRegExpSource(glob: string): string {
  let out = "";
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\") {
      out += i + 1 < glob.length ? escapeRegExp(glob[++i]) : "\\\\";
    } else if (c === "*") {
      let j = i;
      while (glob[j] === "*") j++;
      const segmentStart = i === 0 || glob[i - 1] === "/";
      const segmentEnd = j === glob.length || glob[j] === "/";
      if (j - i >= 2 && segmentStart && segmentEnd) {
        if (j === glob.length) {
          out += ".*";
        } else {
          out += "(?:.*/)?";
          j++;
        }
      } else {
        out += "[^/]*";
      }
      i = j - 1;
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      const end = classEnd(glob, i);
      if (end === -1) {
        out += "\\[";
      } else {
        out += translateClass(glob.slice(i + 1, end));
        i = end;
      }
    } else if (c === "{" && closingBrace(glob, i) !== -1) {
      out += "(?:";
      depth++;
    } else if (c === "}" && depth > 0) {
      out += ")";
      depth--;
    } else if (c === "," && depth > 0) {
      out += "|";
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

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
  const regex = new RegExp(`^${globToRegExpSource(glob)}$`);
  return (rootRelative, workspaceRelative) => {
    const matched = anchored
      ? regex.test(rootRelative) || regex.test(workspaceRelative)
      : regex.test(rootRelative.slice(rootRelative.lastIndexOf("/") + 1));
    return matched !== negate;
  };
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === "!" || glob[i] === "^") i++;
  if (glob[i] === "]") i++;
  for (; i < glob.length; i++) {
    if (glob[i] === "\\") i++;
    else if (glob[i] === "]") return i;
  }
  return -1;
}

function translateClass(body: string): string {
  let i = 0;
  let out = "[";
  if (body[0] === "!" || body[0] === "^") {
    out += "^/";
    i = 1;
  }
  const first = i;
  for (; i < body.length; i++) {
    const c = body[i];
    if (c === "\\" && i + 1 < body.length) {
      const next = body[++i];
      out += /[a-zA-Z0-9]/.test(next) ? next : `\\${next}`;
    } else if (c === "-" && i > first && i < body.length - 1) {
      out += "-";
    } else {
      out += /[\\\]\[^-]/.test(c) ? `\\${c}` : c;
    }
  }
  return `${out}]`;
}

function closingBrace(glob: string, start: number): number {
  let depth = 0;
  for (let i = start; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\") i++;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}
