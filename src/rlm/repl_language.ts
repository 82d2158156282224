/**
 * The language the REPL runs, as the reply parser and the observations
 * see it: which code fences run, what the model is told when it writes a
 * block in another language, and how code in the wrong language is spotted
 * when it fails. JavaScript is the one built in; the Python REPL's
 * descriptor (`python_language.ts`) also says how the system prompt reads.
 *
 * @module
 */

import type { CellError } from "../sandbox/types.ts";
import type { FunctionDoc } from "./prompt.ts";

/** How the system prompt describes a REPL other than the JavaScript one. */
export interface ReplPrompt {
  /** The REPL rules (what `REPL_RULES` says for JavaScript). */
  readonly rules: string;
  /** The line above the function list. */
  readonly functionsHeading: string;
  /** The entry for `print`. */
  readonly printDoc: FunctionDoc;
  /** A function's entry in this language's terms. */
  doc(fn: FunctionDoc): FunctionDoc;
}

/** How replies are read for one REPL language. */
export interface ReplLanguage {
  /** Its name in messages, e.g. `JavaScript`. */
  readonly name: string;
  /** The fence tag the model is asked to use, e.g. `js`. */
  readonly fence: string;
  /** Fence tags (lower case) whose blocks run; `""` is a bare fence. */
  readonly tags: ReadonlySet<string>;
  /** What the model is told when its only blocks were in `langs`. */
  foreign(langs: string[]): string;
  /** A hint when failing `code` is written in another language, else `undefined`. */
  wrongLanguage(code: string): string | undefined;
  /** A cell that submits a text answer, for the hint after a prose reply. */
  readonly submitExample: string;
  /** The system prompt's wording; absent for JavaScript (the defaults). */
  readonly prompt?: ReplPrompt;
  /** The error with a language-specific hint, or `undefined` for the shared ones. */
  explain?(error: CellError): CellError | undefined;
}

const PYTHON_TAGS = new Set([
  "python",
  "py",
  "python3",
  "py3",
  "ipython",
  "pycon",
  "sage",
]);
const SHELL_TAGS = new Set([
  "bash",
  "sh",
  "shell",
  "zsh",
  "console",
  "terminal",
  "shellsession",
  "cmd",
  "powershell",
]);

/**
 * What the model is told when its reply's only blocks were in `langs`
 * (none runs in the `name` REPL, whose fence is `fence`): blocks in the
 * other REPL language (`other`) get `hint`; Gemini's ```tool_code blocks and
 * shell blocks get the function call to write instead.
 *
 * @example
 * ```ts
 * import { foreignBlocks } from "./repl_language.ts";
 * foreignBlocks("JavaScript", "js", ["bash"], new Set(["python"]), "");
 * // 'Only JavaScript runs here; your bash block did not run. For shell commands call run_bash("...") inside a ```js block.'
 * ```
 */
export function foreignBlocks(
  name: string,
  fence: string,
  langs: string[],
  other: ReadonlySet<string>,
  hint: string,
): string {
  const list = langs.join(", ");
  if (langs.some((l) => other.has(l))) {
    return `Your ${list} block did not run, so nothing ran: ${hint}.`;
  }
  if (langs.includes("tool_code")) {
    // Gemini's habit: ```tool_code with print(default_api.read_file(path="a.ts")).
    return `Only ${name} runs here; your tool_code block did not run. Call the functions directly in a \`\`\`${fence} block${
      fence === "js" ? " with positional arguments" : ""
    }, e.g. print(read_file("a.ts")) rather than default_api.read_file(path="a.ts").`;
  }
  if (langs.some((l) => SHELL_TAGS.has(l))) {
    return `Only ${name} runs here; your ${list} block did not run. ` +
      `For shell commands call run_bash("...") inside a \`\`\`${fence} block.`;
  }
  return `Only ${name} runs here; your reply had a ${list} block and nothing ran.`;
}

/** Lines only Python writes (JavaScript never parses them). */
const PYTHON_LINES = [
  /^\s*def \w+\s*\([^)]*\)\s*(?:->\s*[\w\[\], .]+)?:\s*$/m,
  /^\s*(?:import [\w.]+(?:\s+as \w+)?(?:\s*,\s*[\w.]+)*|from [\w.]+ import [\w*, ()]+)\s*$/m,
  /^\s*(?:elif .*|else|try|finally|except(?: [\w., ()]+)?(?: as \w+)?)\s*:\s*$/m,
  /^\s*(?:for \w+(?:\s*,\s*\w+)* in .+|while .+|if .+|with .+ as \w+|class \w+(?:\([\w., ]*\))?)\s*:\s*$/m,
  /\bprint\s+["'\w]/,
  /\bf"[^"\n]*\{[^}]+\}/,
  /^\s*(?:assert|raise|pass|lambda)\b/m,
];

/**
 * Whether `code` reads as Python: it has a line only Python writes. Only
 * asked about code that JavaScript failed to parse.
 *
 * @example
 * ```ts
 * import { looksLikePython } from "./repl_language.ts";
 * looksLikePython("import os\nprint(os.listdir('.'))"); // true
 * looksLikePython("const x = 1;"); // false
 * ```
 */
export function looksLikePython(code: string): boolean {
  return PYTHON_LINES.some((re) => re.test(code));
}

const PYTHON_HINT =
  "the REPL runs JavaScript, not Python: rewrite this cell in JavaScript (the same functions are here: read_file(path), glob_files(pattern), grep_files(pattern), run_bash(cmd), llm_query(prompt), print(...), SUBMIT(answer))";

/**
 * The JavaScript REPL: ```js, ```javascript, ```ts, ```typescript, ```node,
 * ```jsx, ```tsx, ```mjs and similar tags, or a bare fence, run.
 *
 * @example
 * ```ts
 * import { JAVASCRIPT } from "./repl_language.ts";
 * console.log(JAVASCRIPT.tags.has("node")); // true
 * ```
 */
export const JAVASCRIPT: ReplLanguage = Object.freeze({
  name: "JavaScript",
  fence: "js",
  tags: new Set([
    "",
    "js",
    "javascript",
    "ts",
    "typescript",
    "mjs",
    "cjs",
    "mts",
    "cts",
    "node",
    "nodejs",
    "deno",
    "jsx",
    "tsx",
    "es",
    "es6",
    "ecmascript",
    "javascriptreact",
    "typescriptreact",
    "repl",
  ]),
  foreign(langs: string[]): string {
    return foreignBlocks("JavaScript", "js", langs, PYTHON_TAGS, PYTHON_HINT);
  },
  wrongLanguage(code: string): string | undefined {
    return looksLikePython(code) ? PYTHON_HINT : undefined;
  },
  submitExample: "SUBMIT(`...your answer...`)",
});
