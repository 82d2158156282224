/**
 * Turns errors the sandbox raises into what the model should do: Deno's
 * advice to run again with `--allow-read` becomes "use read_file", a
 * missing `require` becomes "the functions are already in scope", Python
 * that failed to parse becomes "the REPL runs JavaScript".
 *
 * @module
 */

import type { CellError } from "../sandbox/types.ts";
import { JAVASCRIPT, type ReplLanguage } from "./repl_language.ts";

const CAPABILITY: { re: RegExp; hint: string }[] = [
  {
    re: /Requires read access/,
    hint:
      "the REPL cannot read files itself: use read_file(path) to read, glob_files(pattern) to list and grep_files(pattern) to search",
  },
  {
    re: /Requires write access/,
    hint:
      "the REPL cannot write files itself: use write_file(path, content) or edit_file(path, old, new)",
  },
  {
    re: /Requires net access/,
    hint:
      'the REPL has no network access: use run_bash("curl ...") to fetch a URL',
  },
  {
    re: /Requires (?:run|sys) access|Failed to spawn/,
    hint: 'the REPL cannot start processes: use run_bash("...") for commands',
  },
  {
    re: /Requires env access/,
    hint:
      'the REPL has no environment variables: use run_bash("echo $NAME") to read one',
  },
  {
    re: /Requires ffi access|Requires import access/,
    hint:
      "the REPL cannot load native or remote code: use the functions in scope, or run_bash",
  },
];

/**
 * The error as the model should see it: with a hint saying which function
 * to use instead, when the error is about the sandbox's missing
 * capabilities or the wrong language.
 *
 * @example
 * ```ts
 * import { explainCellError } from "./error_hints.ts";
 * explainCellError({ name: "NotCapable", message: 'Requires read access to "a.ts", run again with the --allow-read flag' }, "await Deno.readTextFile('a.ts')").message;
 * // 'Requires read access to "a.ts": the REPL cannot read files itself: use read_file(path) to read, ...'
 * ```
 */
export function explainCellError(
  error: CellError,
  code: string,
  language: ReplLanguage = JAVASCRIPT,
): CellError {
  const own = language.explain?.(error);
  if (own) return own;
  const message = error.message.replace(
    /, run again with the --allow-\w+ flag/,
    "",
  );
  for (const { re, hint } of CAPABILITY) {
    if (re.test(error.message)) {
      return { ...error, message: `${message}: ${hint}` };
    }
  }
  if (/\brequire is not defined\b/.test(error.message)) {
    return {
      ...error,
      message:
        `${message}: there are no Node modules to require here; the REPL functions (read_file, write_file, run_bash, ...) are already in scope`,
    };
  }
  if (error.name === "SyntaxError") {
    const hint = language.wrongLanguage(code);
    if (hint) return { ...error, message: `${message}: ${hint}` };
  }
  return error;
}
