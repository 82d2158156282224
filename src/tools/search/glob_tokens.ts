/**
 * Reads a glob (the gitignore dialect ripgrep uses, plus `{a,b}`) into
 * tokens, and writes tokens as a regular expression source.
 *
 * @module
 */

/**
 * One element of a glob:
 * - `char`: a literal UTF-16 code unit;
 * - `one`: `?`, any character but `/`;
 * - `class`: `[a-z]`/`[!a-z]`, with its regular expression source;
 * - `star`: `*`, any run of characters but `/`;
 * - `folders`: `**\/`, any number of whole folders (also none);
 * - `rest`: a final `**`, anything at all;
 * - `open`, `or`, `close`: a `{a,b}` group.
 *
 * @example
 * ```ts
 * const token: GlobToken = { kind: "char", code: 97 };
 * ```
 */
export type GlobToken =
  | { kind: "char"; code: number }
  | { kind: "one" | "star" | "folders" | "rest" | "open" | "or" | "close" }
  | { kind: "class"; source: string };

/**
 * Splits a glob into tokens: `*` and `?` never match `/`, `**` as a whole
 * path segment matches any number of folders, `[a-z]`/`[!a-z]` are classes,
 * `{a,b}` alternatives, and `\` escapes the next character. Malformed
 * brackets and braces are taken literally.
 *
 * @example
 * ```ts
 * globTokens("*.ts").map((t) => t.kind); // ["star", "char", "char", "char"]
 * ```
 */
export function globTokens(glob: string): GlobToken[] {
  const out: GlobToken[] = [];
  const char = (c: string) => out.push({ kind: "char", code: c.charCodeAt(0) });
  const { closesClass, closedBraces } = scanGlob(glob);
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\") {
      char(i + 1 < glob.length ? glob[++i] : "\\");
    } else if (c === "*") {
      let j = i;
      while (glob[j] === "*") j++;
      const segmentStart = i === 0 || glob[i - 1] === "/";
      const segmentEnd = j === glob.length || glob[j] === "/";
      if (j - i >= 2 && segmentStart && segmentEnd) {
        if (j === glob.length) {
          out.push({ kind: "rest" });
        } else {
          out.push({ kind: "folders" });
          j++;
        }
      } else {
        out.push({ kind: "star" });
      }
      i = j - 1;
    } else if (c === "?") {
      out.push({ kind: "one" });
    } else if (c === "[") {
      const end = classEnd(glob, i, closesClass);
      if (end === -1) {
        char("[");
      } else {
        out.push({
          kind: "class",
          source: translateClass(glob.slice(i + 1, end)),
        });
        i = end;
      }
    } else if (c === "{" && closedBraces.has(i)) {
      out.push({ kind: "open" });
      depth++;
    } else if (c === "}" && depth > 0) {
      out.push({ kind: "close" });
      depth--;
    } else if (c === ",") {
      if (depth > 0) out.push({ kind: "or" });
      else char(c);
    } else {
      char(c);
    }
  }
  return out;
}

/**
 * One pass over a glob (escapes honoured): for each position, the first
 * unescaped `]` at or after it, and the `{` that a later `}` closes. Each
 * `[` and `{` is then judged in constant time: scanning ahead from every
 * one of them made a glob of many `[` or `{` quadratic.
 */
function scanGlob(
  glob: string,
): { closesClass: Int32Array; closedBraces: Set<number> } {
  const n = glob.length;
  const escaped = new Uint8Array(n);
  const open: number[] = [];
  const closedBraces = new Set<number>();
  for (let i = 0; i < n; i++) {
    const c = glob[i];
    if (c === "\\") {
      if (i + 1 < n) escaped[i + 1] = 1;
      i++;
    } else if (c === "{") open.push(i);
    else if (c === "}" && open.length > 0) closedBraces.add(open.pop()!);
  }
  const closesClass = new Int32Array(n + 1).fill(-1);
  for (let i = n - 1; i >= 0; i--) {
    closesClass[i] = glob[i] === "]" && !escaped[i] ? i : closesClass[i + 1];
  }
  return { closesClass, closedBraces };
}

/**
 * Translates a glob into a regular expression source without anchors.
 * JavaScript's engine backtracks: a hostile glob can make it run for
 * hours, so never test one from a model, a repository or a command with
 * it; use `compileGlob` (non-backtracking) instead. This translation is
 * the reference `compileGlob` is tested against.
 *
 * @example
 * ```ts
 * new RegExp(`^${globToRegExpSource("src/**\/*.ts")}$`).test("src/a/b.ts"); // true
 * ```
 */
export function globToRegExpSource(glob: string): string {
  return globTokens(glob).map((token) => {
    switch (token.kind) {
      case "char":
        return escapeRegExp(String.fromCharCode(token.code));
      case "one":
        return "[^/]";
      case "class":
        return token.source;
      case "star":
        return "[^/]*";
      case "folders":
        return "(?:.*/)?";
      case "rest":
        return ".*";
      case "open":
        return "(?:";
      case "or":
        return "|";
      case "close":
        return ")";
    }
  }).join("");
}

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(c) ? `\\${c}` : c;
}

function classEnd(
  glob: string,
  start: number,
  closesClass: Int32Array,
): number {
  let i = start + 1;
  if (glob[i] === "!" || glob[i] === "^") i++;
  if (glob[i] === "]") i++;
  return i < glob.length ? closesClass[i] : -1;
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
