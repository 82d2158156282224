/**
 * Just enough shell syntax for the policy: splitting a command line into
 * simple commands, spotting constructs that rules cannot judge, and
 * finding the paths it mentions.
 *
 * @module
 */

/** A command line split into simple commands. */
export interface SplitCommand {
  /**
   * The simple commands, trimmed, unquoted whitespace collapsed to one
   * space. Commands nested in `$(...)`, backticks, `(...)` and process
   * substitutions follow the top-level ones.
   */
  segments: string[];
  /** The line has constructs a prefix rule cannot judge. */
  complex: boolean;
  /** The first such construct, e.g. `redirection`. */
  reason?: string;
}

/** Words that open or continue shell control structures. */
const KEYWORDS = new Set([
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "for",
  "while",
  "until",
  "do",
  "done",
  "case",
  "esac",
  "select",
  "function",
  "coproc",
]);

/** Redirection operators, longest first. */
const REDIRECT_OPS = [
  "<<<",
  "<<-",
  "&>>",
  "<<",
  "<>",
  "<&",
  ">>",
  ">&",
  ">|",
  "&>",
  "<",
  ">",
];

interface Scan {
  segments: string[];
  end: number;
}

/** Deepest nesting of `$(...)`, backticks and subshells read. */
const MAX_NESTING = 64;

class Scanner {
  reason: string | undefined;
  nested: string[] = [];
  depth = 0;

  constructor(readonly text: string) {}

  mark(reason: string): void {
    this.reason ??= reason;
  }

  /** Scans from `start` until `stop` (or the end), splitting simple commands. */
  scan(start: number, stop: ")" | "`" | null): Scan {
    const s = this.text;
    const segments: string[] = [];
    let current = "";
    // Whether `current` is empty or ends in a space (kept as a flag:
    // asking the growing string each time made long lines quadratic).
    let spaced = true;
    const append = (text: string) => {
      if (text === "") return;
      current += text;
      spaced = text.endsWith(" ");
    };
    const flush = () => {
      const segment = current.trim();
      current = "";
      spaced = true;
      if (!segment) return;
      const space = segment.indexOf(" ");
      const first = space === -1 ? segment : segment.slice(0, space);
      if (KEYWORDS.has(first)) this.mark("control structure");
      segments.push(segment);
    };
    const atWordStart = () => spaced;
    const wordEndsAt = (j: number) => j >= s.length || /[\s;&|]/.test(s[j]);
    let i = start;
    while (i < s.length) {
      const c = s[i];
      const next = s[i + 1];
      if (stop !== null && c === stop) {
        flush();
        return { segments, end: i + 1 };
      }
      if (c === "\\") {
        if (next === "\n") i += 2;
        else {
          append(s.slice(i, i + 2));
          i += 2;
        }
      } else if (c === "'") {
        const close = s.indexOf("'", i + 1);
        if (close === -1) {
          this.mark("unbalanced quote");
          append(s.slice(i));
          i = s.length;
        } else {
          append(s.slice(i, close + 1));
          i = close + 1;
        }
      } else if (c === '"') {
        const end = this.double(i + 1);
        append(s.slice(i, end));
        i = end;
      } else if (c === "`") {
        this.mark("command substitution");
        i = this.nest(i, i + 1, "`", append);
      } else if (c === "$" && next === "(") {
        this.mark("command substitution");
        i = this.nest(i, i + 2, ")", append);
      } else if ((c === "<" || c === ">") && next === "(") {
        this.mark("process substitution");
        i = this.nest(i, i + 2, ")", append);
      } else if (c === "(") {
        this.mark("subshell");
        i = this.nest(i, i + 1, ")", append);
      } else if (c === ")") {
        this.mark("subshell");
        append(c);
        i++;
      } else if (c === "<" || c === ">" || (c === "&" && next === ">")) {
        const op = REDIRECT_OPS.find((op) => s.startsWith(op, i))!;
        this.mark(
          op.startsWith("<<") && op !== "<<<" ? "heredoc" : "redirection",
        );
        append(op);
        i += op.length;
      } else if (c === "&" || c === "|") {
        flush();
        i += next === "&" || next === "|" ? 2 : 1;
      } else if (c === ";" || c === "\n") {
        flush();
        i++;
      } else if (/\s/.test(c)) {
        if (!atWordStart()) append(" ");
        i++;
      } else {
        if ((c === "{" || c === "}") && atWordStart() && wordEndsAt(i + 1)) {
          this.mark("command grouping");
        }
        append(c);
        i++;
      }
    }
    if (stop !== null) {
      this.mark(
        stop === "`" ? "unbalanced backquote" : "unbalanced parenthesis",
      );
    }
    flush();
    return { segments, end: i };
  }

  /** Scans a nested command list; returns where the outer scan resumes. */
  nest(
    from: number,
    start: number,
    stop: ")" | "`",
    append: (text: string) => void,
  ): number {
    if (++this.depth > MAX_NESTING) {
      throw new RangeError(
        `it nests substitutions or subshells more than ${MAX_NESTING} deep`,
      );
    }
    const inner = this.scan(start, stop);
    this.depth--;
    for (const segment of inner.segments) this.nested.push(segment);
    append(this.text.slice(from, inner.end));
    return inner.end;
  }

  /** Scans a double-quoted string from after its `"`; returns its end. */
  double(start: number): number {
    const s = this.text;
    let i = start;
    while (i < s.length) {
      const c = s[i];
      if (c === '"') return i + 1;
      if (c === "\\") i += 2;
      else if (c === "`") {
        this.mark("command substitution");
        i = this.nest(i, i + 1, "`", () => {});
      } else if (c === "$" && s[i + 1] === "(") {
        this.mark("command substitution");
        i = this.nest(i, i + 2, ")", () => {});
      } else i++;
    }
    this.mark("unbalanced quote");
    return s.length;
  }
}

/**
 * Splits a command line into simple commands on `;`, `&&`, `||`, `|`,
 * `|&`, `&` and newlines outside quotes, honouring backslash escapes. The
 * line is `complex` when it has command or process substitution,
 * redirections or heredocs, subshells, `{ }` grouping, control structures
 * (`if`, `for`, ...) or an unbalanced quote. Throws a `RangeError` for
 * substitutions or subshells nested more than 64 deep.
 *
 * @example
 * ```ts
 * import { splitCommand } from "./shell.ts";
 * console.log(splitCommand("git status && git diff | head"));
 * // { segments: ["git status", "git diff", "head"], complex: false }
 * console.log(splitCommand("git status > out").reason); // "redirection"
 * ```
 */
export function splitCommand(command: string): SplitCommand {
  const scanner = new Scanner(command);
  const top = scanner.scan(0, null);
  const segments = [...top.segments, ...scanner.nested];
  return scanner.reason === undefined
    ? { segments, complex: false }
    : { segments, complex: true, reason: scanner.reason };
}

/**
 * Splits a command line into words, quotes removed, operators dropped.
 *
 * @example
 * ```ts
 * import { shellWords } from "./shell.ts";
 * console.log(shellWords("\\rm -f 'a b'")); // ["rm", "-f", "a b"]
 * ```
 */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  const end = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === "\\") {
      if (command[i + 1] !== "\n" && i + 1 < command.length) {
        word += command[i + 1];
        inWord = true;
      }
      i++;
    } else if (c === "'") {
      const close = command.indexOf("'", i + 1);
      const stop = close === -1 ? command.length : close;
      word += command.slice(i + 1, stop);
      inWord = true;
      i = stop;
    } else if (c === '"') {
      inWord = true;
      for (i++; i < command.length && command[i] !== '"'; i++) {
        if (command[i] === "\\" && /["\\$`]/.test(command[i + 1] ?? "")) i++;
        word += command[i] ?? "";
      }
    } else if (/[\s;&|<>()`]/.test(c)) {
      end();
    } else {
      word += c;
      inWord = true;
    }
  }
  end();
  return words;
}

/**
 * The words of a command line that look like paths (contain `/` or `.`,
 * start with `~` or `id_`), unquoted, including redirection targets,
 * values of `--opt=value` and `NAME=value`, and words inside command
 * substitutions. Options (`-x`) are left out. For secret and deny checks.
 *
 * @example
 * ```ts
 * import { commandMentions } from "./shell.ts";
 * console.log(commandMentions("cat < ~/.ssh/id_rsa")); // ["~/.ssh/id_rsa"]
 * console.log(commandMentions("grep -r 'x' .env.local")); // [".env.local"]
 * ```
 */
export function commandMentions(command: string): string[] {
  const found = new Set<string>();
  for (const word of shellWords(command)) {
    const fragments = word.split(/[\s$()`<>|;&'"=:,{}]+/);
    for (const candidate of [word, ...fragments]) {
      if (
        candidate !== "" && !candidate.startsWith("-") &&
        (/[/.]/.test(candidate) || /^(~|id_)/.test(candidate))
      ) {
        found.add(candidate);
      }
    }
  }
  return [...found];
}

/**
 * The files a command line redirects output to (`> f`, `>> f`, `&> f`,
 * `2> f`, `>| f`) and the files it hands to `tee`, unquoted. For judging
 * writes into protected places; `/dev/null` and fd duplications (`2>&1`)
 * are left out.
 *
 * @example
 * ```ts
 * import { redirectTargets } from "./shell.ts";
 * console.log(redirectTargets("echo x > .git/HEAD 2>&1 | tee -a log.txt")); // [".git/HEAD", "log.txt"]
 * ```
 */
export function redirectTargets(command: string): string[] {
  const found: string[] = [];
  const unquote = (word: string) => shellWords(word)[0] ?? "";
  // (What comes before the ">" (a descriptor, "&") changes no target; a
  // "\d*" there made a line of digits quadratic.)
  const redirect = />>?\|?\s*(&?)("[^"]*"|'[^']*'|[^\s;&|<>()]+)/g;
  for (const match of command.matchAll(redirect)) {
    if (match[1] === "&") continue;
    const target = unquote(match[2]);
    if (target && target !== "/dev/null") found.push(target);
  }
  for (const segment of splitCommand(command).segments) {
    const words = shellWords(segment);
    if (words[0] !== "tee") continue;
    found.push(...words.slice(1).filter((w) => !w.startsWith("-")));
  }
  return found;
}
