/**
 * The Python REPL as the reply parser, the observations and the system
 * prompt see it: ```python blocks (or a bare fence) run, a JavaScript block
 * is reported as the wrong language, the rules and function docs speak
 * Python (`read_file(path, offset=None, limit=None)`, `list[str]`,
 * `raises ToolError`), and errors from reaching files or processes get
 * the function to use instead.
 *
 * @module
 */

import type { CellError, ReplName } from "../sandbox/types.ts";
import type { FunctionDoc } from "./prompt.ts";
import {
  foreignBlocks,
  JAVASCRIPT,
  type ReplLanguage,
} from "./repl_language.ts";

const JAVASCRIPT_TAGS = new Set(
  [...JAVASCRIPT.tags].filter((tag) => tag !== "" && tag !== "repl"),
);

/** Lines only JavaScript writes (Python never parses them). */
const JAVASCRIPT_LINES = [
  /^\s*(?:const|let|var)\s+[\w$[{]/m,
  /^\s*(?:async\s+)?function\s*\*?\s*[\w$]*\s*\(/m,
  /\bconsole\.log\s*\(/,
  /=>\s*[{(\w]/,
  /[=!]==/,
  /^\s*\}\s*(?:else|catch|finally)\b/m,
  /;\s*$/m,
  /^\s*\/\/ /m,
];

/**
 * Whether `code` reads as JavaScript: it has a line only JavaScript
 * writes. Only asked about code that Python failed to parse.
 *
 * @example
 * ```ts
 * import { looksLikeJavaScript } from "./python_language.ts";
 * looksLikeJavaScript("const files = glob_files('*');"); // true
 * looksLikeJavaScript("files = glob_files('*')"); // false
 * ```
 */
export function looksLikeJavaScript(code: string): boolean {
  return JAVASCRIPT_LINES.some((re) => re.test(code));
}

const JAVASCRIPT_HINT =
  "the REPL runs Python, not JavaScript: rewrite this cell in Python (the same functions are here: read_file(path), glob_files(pattern), grep_files(pattern), run_bash(cmd), llm_query(prompt), print(...), SUBMIT(answer))";

const RULES =
  `You work by writing Python that runs in a persistent REPL (Python 3 with its standard library), one cell per reply.
- Each reply: a few lines of reasoning, then exactly one \`\`\`python code block. You then see what the cell printed, its last expression's value and any error (with the traceback through your cells' lines), and write the next cell.
- Variables, functions, classes and imports persist across cells and turns. Top-level await works. Only the standard library is there: packages cannot be installed.
- The REPL itself has no file, network or process access (open(), os and subprocess reach nothing real): use the functions below for anything outside it.
- Print only what you need to see; long output is cut in the middle.
- Finish by calling SUBMIT in a cell of its own, after you have seen the results you rely on. Code after SUBMIT does not run.`;

const TYPES: [RegExp, string][] = [
  [/\bstring\[\]/g, "list[str]"],
  [/\bstring\b/g, "str"],
  [/\bboolean\b/g, "bool"],
  [/\barray\b/g, "list"],
  [/\bobject\b/g, "dict"],
  [/\binteger\b/g, "int"],
];

function pythonTypes(text: string): string {
  return TYPES.reduce((out, [re, name]) => out.replace(re, name), text);
}

/**
 * A call form in Python's terms: `name?` becomes `name=None`, `...name`
 * becomes `*name`.
 *
 * @example
 * ```ts
 * import { pythonSignature } from "./python_language.ts";
 * pythonSignature("read_file(path, offset?, limit?)"); // "read_file(path, offset=None, limit=None)"
 * ```
 */
export function pythonSignature(signature: string): string {
  return signature
    .replace(/([\w$]+)\?(?=\s*[,)])/g, "$1=None")
    .replace(/\.\.\.([\w$]+)/g, "*$1");
}

function pythonDoc(fn: FunctionDoc): FunctionDoc {
  return {
    signature: pythonSignature(fn.signature),
    // Only the types in SUBMIT's "name (type)" notes, and options objects
    // (`{sandbox: false}` becomes `sandbox=False`), change in descriptions.
    description: fn.description.replace(
      /\((string|number|boolean|array|object|integer|any)\)/g,
      (_, type: string) => `(${pythonTypes(type)})`,
    ).replace(
      /\{\s*(\w+):\s*(true|false)\s*\}/g,
      (_, name: string, flag: string) =>
        `${name}=${flag === "true" ? "True" : "False"}`,
    ),
    returns: fn.returns && pythonTypes(fn.returns),
    fails: fn.fails && pythonTypes(
      fn.fails.replace(/\bthrows Error\b/g, "raises ToolError")
        .replace(/\bthrows\b/g, "raises")
        .replace(/\ban exception\b|\ban Error\b/g, "an exception"),
    ),
  };
}

const FILES_HINT =
  "the REPL cannot reach files itself: use read_file(path) to read, glob_files(pattern) to list, grep_files(pattern) to search, write_file(path, content) or edit_file(path, old, new) to change files";

function explain(error: CellError): CellError | undefined {
  const { name, message } = error;
  if (
    (name === "FileNotFoundError" || name === "PermissionError" ||
      name === "IsADirectoryError" || name === "NotADirectoryError") &&
    /^\[Errno \d+\]/.test(message)
  ) {
    return { ...error, message: `${message}: ${FILES_HINT}` };
  }
  if (/does not support processes/.test(message)) {
    return {
      ...error,
      message:
        `${message}: the REPL cannot start processes: use run_bash("...") for commands`,
    };
  }
  return undefined;
}

/**
 * The Python REPL: ```python, ```py, ```python3 (and a bare fence) run.
 *
 * @example
 * ```ts
 * import { PYTHON } from "./python_language.ts";
 * console.log(PYTHON.tags.has("py"), PYTHON.tags.has("js")); // true false
 * ```
 */
export const PYTHON: ReplLanguage = Object.freeze({
  name: "Python",
  fence: "python",
  tags: new Set(["", "python", "py", "python3", "py3", "ipython", "repl"]),
  foreign(langs: string[]): string {
    return foreignBlocks(
      "Python",
      "python",
      langs,
      JAVASCRIPT_TAGS,
      JAVASCRIPT_HINT,
    );
  },
  wrongLanguage(code: string): string | undefined {
    return looksLikeJavaScript(code) ? JAVASCRIPT_HINT : undefined;
  },
  submitExample: 'SUBMIT("""...your answer...""")',
  prompt: {
    rules: RULES,
    functionsHeading:
      "Functions in scope (synchronous; arguments by position or by name; a failure raises an exception you can catch, ToolError unless said otherwise):",
    printDoc: { signature: "print(*values)", description: "shows values." },
    doc: pythonDoc,
  },
  explain,
});

/**
 * The descriptor of a REPL by its setting's name.
 *
 * @example
 * ```ts
 * import { replLanguage } from "./python_language.ts";
 * console.log(replLanguage("python").name); // "Python"
 * ```
 */
export function replLanguage(name: ReplName): ReplLanguage {
  return name === "python" ? PYTHON : JAVASCRIPT;
}
