/**
 * Picks the search back end for a tool call.
 *
 * @module
 */

import type { ToolContext } from "../types.ts";
import type { SearchBackend } from "./backend.ts";
import { builtinSearch } from "./builtin.ts";
import { ripgrepSearch } from "./ripgrep.ts";

/**
 * Ripgrep when `context.rgPath` is set, the built-in search otherwise.
 *
 * @example
 * ```ts
 * const backend = chooseSearchBackend(context);
 * const files = await backend.listFiles(context.workspace);
 * ```
 */
export function chooseSearchBackend(
  context: Pick<ToolContext, "rgPath">,
): SearchBackend {
  return context.rgPath ? ripgrepSearch(context.rgPath) : builtinSearch;
}
