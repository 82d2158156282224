/**
 * What the model is told about each coding tool: name, one-line
 * description and parameters. Kept apart from the implementations (which
 * load zod and the search back ends) so the first prompt can be built, and
 * sent, before those load.
 *
 * @module
 */

import type { ToolParam } from "./types.ts";

/**
 * The most text one `read_file` or `run_bash` call returns: 8 MB. Tool
 * results are data the model's code works on, so they are never cut
 * silently: a file or an output past this size is an error saying how to
 * get it in parts (only what the model is *shown* of a cell is shortened,
 * to `max_output_chars`).
 *
 * @example
 * ```ts
 * // a 3 MB JSON file: read_file("data.json") returns all of it
 * // a 50 MB log: read_file("big.log") throws; read_file("big.log", 0, 1000) works
 * ```
 */
export const MAX_RESULT_BYTES = 8_000_000;

/**
 * Matching lines shown when `max_results` is not given.
 *
 * @example
 * ```ts
 * await grepFilesTool.run(["TODO"], context); // at most DEFAULT_MAX_RESULTS lines
 * ```
 */
export const DEFAULT_MAX_RESULTS = 50;

/**
 * Seconds a command may run when `timeout_s` is not given.
 *
 * @example
 * ```ts
 * await runBashTool.run(["make", DEFAULT_TIMEOUT_S * 2], context);
 * ```
 */
export const DEFAULT_TIMEOUT_S = 120;

/**
 * Largest `timeout_s` accepted.
 *
 * @example
 * ```ts
 * await runBashTool.run(["make test", MAX_TIMEOUT_S], context);
 * ```
 */
export const MAX_TIMEOUT_S = 600;

/** Name, description and parameters of a tool. */
export interface ToolSpecInfo {
  /** Function name in the REPL. */
  readonly name: string;
  /** One line for the prompt. */
  readonly description: string;
  /** Parameters in positional order. */
  readonly params: readonly ToolParam[];
}

/**
 * The six coding tools' specs, in the order the prompt lists them.
 *
 * @example
 * ```ts
 * import { TOOL_SPECS } from "./specs.ts";
 * console.log(TOOL_SPECS.read_file.params.map((p) => p.name)); // ["path", "offset", "limit"]
 * ```
 */
export const TOOL_SPECS = {
  read_file: {
    name: "read_file",
    description:
      "Read a text file (all of it, up to 8 MB) as numbered lines; offset (0-based line) and limit read a part.",
    params: [
      { name: "path", type: "string", description: "file to read" },
      {
        name: "offset",
        type: "number",
        optional: true,
        description: "0-based index of the first line to show (default 0)",
      },
      {
        name: "limit",
        type: "number",
        optional: true,
        description: "most lines to return (default: to the end of the file)",
      },
    ],
  },
  write_file: {
    name: "write_file",
    description:
      "Create or overwrite a file with the given content (parent folders are created).",
    params: [
      { name: "path", type: "string", description: "file to write" },
      {
        name: "content",
        type: "string",
        description: "the complete new content",
      },
    ],
  },
  edit_file: {
    name: "edit_file",
    description:
      "Replace exact text in a file; old must be unique unless replace_all is true.",
    params: [
      { name: "path", type: "string", description: "file to edit" },
      {
        name: "old",
        type: "string",
        description: "exact text to replace, whitespace included",
      },
      { name: "new", type: "string", description: "replacement text" },
      {
        name: "replace_all",
        type: "boolean",
        optional: true,
        description: "replace every occurrence (default false)",
      },
    ],
  },
  glob_files: {
    name: "glob_files",
    description:
      "List files matching a glob (e.g. **/*.ts), newest first, skipping .gitignore'd and hidden files.",
    params: [
      {
        name: "pattern",
        type: "string",
        description: "glob; without '/' it matches file names at any depth",
      },
      {
        name: "path",
        type: "string",
        optional: true,
        description: "folder to search (default: the workspace)",
      },
    ],
  },
  grep_files: {
    name: "grep_files",
    description:
      "Search file contents with a regular expression; prints file:line:text, at most max_results lines.",
    params: [
      { name: "pattern", type: "string", description: "regular expression" },
      {
        name: "path",
        type: "string",
        optional: true,
        description: "folder or file to search (default: the workspace)",
      },
      {
        name: "glob",
        type: "string",
        optional: true,
        description: "only files matching this glob, e.g. *.ts",
      },
      {
        name: "max_results",
        type: "number",
        optional: true,
        description:
          `most matching lines to show (default ${DEFAULT_MAX_RESULTS})`,
      },
    ],
  },
  run_bash: {
    name: "run_bash",
    description:
      "Run a bash command in the workspace; returns all of stdout+stderr (up to 8 MB) and the exit code. " +
      "Where there is a sandbox, commands see the workspace writable, .git, .nanocode and everything outside read-only, no network, secret files empty; " +
      "one that must leave it (network, writes outside the workspace or into .git: git commit, npm install) runs with run_bash(cmd, {sandbox: false}), after the user approves.",
    params: [
      { name: "cmd", type: "string", description: "bash command line" },
      {
        name: "timeout_s",
        type: "number",
        optional: true,
        description:
          `seconds before the command and its children are killed (default ${DEFAULT_TIMEOUT_S}, at most ${MAX_TIMEOUT_S})`,
      },
      {
        name: "sandbox",
        type: "boolean",
        optional: true,
        description:
          "false to run outside the sandbox (asks the user first); default true",
      },
    ],
  },
} as const satisfies Record<string, ToolSpecInfo>;
