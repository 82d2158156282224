/**
 * The coding tools with their implementations loaded on first use. The
 * specs (what the prompt needs) are available at once; zod, the search back
 * ends and the process helpers load when a tool first runs, or when
 * {@linkcode preloadTools} is called (after the first model request is on
 * its way).
 *
 * @module
 */

import { TOOL_SPECS } from "./specs.ts";
import type { Tool } from "./types.ts";

let loading: Promise<Map<string, Tool>> | undefined;

/**
 * Starts loading the tool implementations; resolves when they are ready.
 *
 * @example
 * ```ts
 * import { preloadTools } from "./lazy.ts";
 * await preloadTools();
 * ```
 */
export function preloadTools(): Promise<Map<string, Tool>> {
  return loading ??= import("./all.ts").then(({ codingTools }) =>
    new Map(codingTools().map((tool) => [tool.name, tool]))
  );
}

/**
 * The six coding tools, in prompt order, whose implementations load on
 * first use.
 *
 * @example
 * ```ts
 * import { lazyCodingTools } from "./lazy.ts";
 * console.log(lazyCodingTools().map((t) => t.name).join(" ")); // "read_file write_file edit_file glob_files grep_files run_bash"
 * ```
 */
export function lazyCodingTools(): Tool[] {
  return Object.values(TOOL_SPECS).map((spec) => ({
    name: spec.name,
    description: spec.description,
    params: spec.params,
    async run(args, context) {
      const tool = (await preloadTools()).get(spec.name)!;
      return await tool.run(args, context);
    },
  }));
}
