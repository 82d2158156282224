/**
 * What each coding tool returns and what its failures look like, for the
 * prompt, and the list shape of `glob_files` and `grep_files` results.
 *
 * @module
 */

import type { ReplFunction } from "../rlm/functions.ts";
import { linesOf, listResult } from "../rlm/list_result.ts";

/** Return type and failure look of each coding tool, by name. */
export const TOOL_DOCS: Readonly<
  Record<string, { returns: string; fails: string }>
> = Object.freeze({
  read_file: {
    returns:
      'string of numbered lines ("   1| first line"): all of the file, or the offset/limit part',
    fails:
      'throws Error("Cannot read \\"x\\": no such file"), or for over 8 MB without a limit; the numbers are not part of the file.',
  },
  write_file: {
    returns: 'string "ok: wrote N lines (...) to path"',
    fails: "throws Error naming the path and the reason.",
  },
  edit_file: {
    returns: 'string "ok: replaced N occurrence(s) in path"',
    fails:
      'throws Error("Cannot edit file \\"x\\": the text to replace was not found; ...") or "text appears N times"; the file is unchanged.',
  },
  glob_files: {
    returns:
      'string[] of paths, newest first; printing it shows one per line ("no files found" when empty)',
    fails: "throws Error for a folder outside the workspace.",
  },
  grep_files: {
    returns:
      'string[] of "file:line:text" lines; printing it shows one per line ("no matches found" when empty)',
    fails: "throws Error for an invalid regular expression.",
  },
  run_bash: {
    returns: 'string: all of stdout and stderr, then "[exit code N]"',
    fails:
      "a failing command is not an exception: read the exit code; a timeout kills the command and says so; a command the sandbox blocked ends with a [sandbox: ...] line; over 8 MB of output throws.",
  },
});

const LISTS: Readonly<Record<string, string>> = Object.freeze({
  glob_files: "paths",
  grep_files: '"file:line:text" lines',
});

/**
 * Adds the return and failure docs to a tool's REPL function, and for
 * `glob_files` and `grep_files` turns the text result into a list result
 * (an array in the cell whose `toString()` is the text).
 *
 * @example
 * ```ts
 * import { withToolDocs } from "./tool_docs.ts";
 * const fn = withToolDocs({ name: "glob_files", signature: "glob_files(pattern)", description: "", run: () => "a.ts\nb.ts" });
 * console.log(fn.returns?.startsWith("string[]")); // true
 * ```
 */
export function withToolDocs(fn: ReplFunction): ReplFunction {
  const docs = TOOL_DOCS[fn.name];
  const what = LISTS[fn.name];
  return {
    ...fn,
    ...(docs ?? {}),
    run: what === undefined ? fn.run : async (args, context) => {
      const value = await fn.run(args, context);
      return typeof value === "string"
        ? listResult(linesOf(value), value, fn.name, what)
        : value;
    },
  };
}
