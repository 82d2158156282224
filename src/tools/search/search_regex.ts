/**
 * The regular expression dialect of the built-in search back end.
 *
 * `compileSearchRegex` is self-contained (no outer references) on purpose:
 * the search child process embeds its source text (see `search_child.ts`).
 *
 * @module
 */

/**
 * Compiles a search pattern for the built-in back end, or throws an
 * `Error` like `Invalid regex "a(": ...`.
 *
 * @example
 * ```ts
 * compileSearchRegex("(?i)todo").test("TODO"); // true
 * ```
 */
export function compileSearchRegex(pattern: string): RegExp {
  /** ASCII POSIX classes (`[[:alpha:]]`), which ripgrep supports and JavaScript does not. */
  const POSIX_CLASSES: Record<string, string> = {
    alnum: "0-9A-Za-z",
    alpha: "A-Za-z",
    ascii: "\\x00-\\x7F",
    blank: "\\t ",
    cntrl: "\\x00-\\x1F\\x7F",
    digit: "0-9",
    graph: "!-~",
    lower: "a-z",
    print: " -~",
    punct: "!-\\/:-@\\[-`{-~",
    space: "\\t\\n\\v\\f\\r ",
    upper: "A-Z",
    word: "0-9A-Za-z_",
    xdigit: "0-9A-Fa-f",
  };
  if (pattern.includes("\n")) {
    throw new Error(
      `Invalid regex ${
        JSON.stringify(pattern)
      }: a line break cannot match; grep_files searches one line at a time`,
    );
  }
  let source = pattern.replace(
    /\[:(\w+):\]/g,
    (whole, name: string, at: number, all: string) =>
      (all[at - 1] === "[" || all.slice(at - 2, at) === ":]") &&
        Object.hasOwn(POSIX_CLASSES, name)
        ? POSIX_CLASSES[name]
        : whole,
  );
  let flags = "";
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    flags = [...new Set(inline[1])].join("");
  }
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    try {
      return new RegExp(source, flags);
    } catch (error) {
      throw new Error(
        `Invalid regex ${JSON.stringify(pattern)}: ${(error as Error).message}`,
      );
    }
  }
}
