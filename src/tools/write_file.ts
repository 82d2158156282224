/**
 * `write_file(path, content)`: creates or replaces a file.
 *
 * @module
 */

import { z } from "zod";
import { atomicWrite } from "./atomic_write.ts";
import { defineTool } from "./define.ts";
import { TOOL_SPECS } from "./specs.ts";
import { countLines, plural } from "./text.ts";
import type { Tool } from "./types.ts";

/**
 * The `write_file` tool: writes `content` to `path` atomically, creating
 * parent folders, and returns `ok: wrote N lines (M bytes) to path`.
 *
 * @example
 * ```ts
 * await writeFileTool.run(["src/a.ts", "x\n"], context);
 * // "ok: wrote 1 line (2 bytes) to src/a.ts"
 * ```
 */
export const writeFileTool: Tool = defineTool({
  ...TOOL_SPECS.write_file,
  schema: z.object({ path: z.string(), content: z.string() }),
  async run({ path, content }, context) {
    const target = await context.resolvePath(path, "write");
    const bytes = new TextEncoder().encode(content);
    try {
      await atomicWrite(target, bytes);
    } catch (error) {
      if (error instanceof Deno.errors.IsADirectory) {
        throw new Error(`Cannot write "${path}": it is a directory`);
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Cannot write "${path}": ${reason}`);
    }
    return `ok: wrote ${plural(countLines(content), "line")} (${
      plural(bytes.length, "byte")
    }) to ${path}`;
  },
});
