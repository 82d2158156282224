/**
 * The six coding tools (`read_file`, `write_file`, `edit_file`,
 * `glob_files`, `grep_files`, `run_bash`) and the context they run in,
 * usable without the agent.
 *
 * @example
 * ```ts ignore
 * import { codingTools, createToolContext } from "@nanocode/nanocode/tools";
 *
 * const context = createToolContext({ workspace: Deno.cwd() });
 * const read = codingTools().find((t) => t.name === "read_file")!;
 * console.log(await read.run(["README.md", 0, 5], context));
 * ```
 *
 * @module
 */

export { codingTools } from "./all.ts";
export { createToolContext, type ToolContextOptions } from "./context.ts";
export { MAX_RESULT_BYTES } from "./specs.ts";
export type {
  Access,
  CommandRequest,
  CommandRun,
  FileStates,
  Tool,
  ToolContext,
  ToolParam,
  WriteChange,
} from "./types.ts";
