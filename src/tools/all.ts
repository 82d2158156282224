/**
 * The coding tools, in the order the prompt lists them.
 *
 * @module
 */

import { editFileTool } from "./edit_file.ts";
import { globFilesTool } from "./glob_files.ts";
import { grepFilesTool } from "./grep_files.ts";
import { readFileTool } from "./read_file.ts";
import { runBashTool } from "./run_bash.ts";
import type { Tool } from "./types.ts";
import { writeFileTool } from "./write_file.ts";

/**
 * The six file and shell tools: `read_file`, `write_file`, `edit_file`,
 * `glob_files`, `grep_files`, `run_bash`.
 *
 * @example
 * ```ts
 * const names = codingTools().map((t) => t.name);
 * // ["read_file", "write_file", "edit_file", "glob_files", "grep_files", "run_bash"]
 * ```
 */
export function codingTools(): Tool[] {
  return [
    readFileTool,
    writeFileTool,
    editFileTool,
    globFilesTool,
    grepFilesTool,
    runBashTool,
  ];
}
