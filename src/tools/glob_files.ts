/**
 * `glob_files(pattern, path?)`: files matching a glob, newest first.
 *
 * @module
 */

import { z } from "zod";
import { defineTool } from "./define.ts";
import { TOOL_SPECS } from "./specs.ts";
import { displayPath } from "./display_path.ts";
import { chooseSearchBackend } from "./search/choose_backend.ts";
import { globInclude, resolveSearchRoot } from "./search/search_root.ts";
import { nameGlobOf } from "./search/name_glob.ts";
import type { Tool } from "./types.ts";

/**
 * Files listed before the rest are summarized in a note.
 *
 * @example
 * ```ts
 * const shown = Math.min(files.length, MAX_GLOB_FILES);
 * ```
 */
export const MAX_GLOB_FILES = 1000;

const STAT_BATCH = 2048;

/**
 * The `glob_files` tool. Lists the files under `path` (default: the
 * workspace) whose path matches `pattern` (a pattern without `/` matches the
 * file name at any depth), skipping what `.gitignore`/`.ignore` files
 * exclude and hidden entries, newest first (ties by path). Paths are
 * relative to the workspace. Gives `no files found` when nothing matches
 * and ends with `... (N more files not shown, T in all; narrow the pattern
 * or path)` past {@linkcode MAX_GLOB_FILES}.
 *
 * @example
 * ```ts
 * await globFilesTool.run(["*.ts", "src"], context); // "src/b.ts\nsrc/a.ts"
 * ```
 */
export const globFilesTool: Tool = defineTool({
  ...TOOL_SPECS.glob_files,
  schema: z.object({ pattern: z.string(), path: z.string().optional() }),
  async run({ pattern, path }, context) {
    const root = await resolveSearchRoot(path, context);
    const include = globInclude(pattern, root, context.workspace);
    const backend = chooseSearchBackend(context);
    const files = (await backend.listFiles(
      root.path,
      context.signal,
      nameGlobOf(pattern),
    )).filter(include);
    const entries = await withMtimes(files);
    if (entries.length === 0) return "no files found";
    // Absolute paths under one folder sort as their displayed forms do.
    entries.sort((a, b) =>
      b.mtime - a.mtime || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
    );
    const lines = entries.slice(0, MAX_GLOB_FILES).map((e) =>
      displayPath(e.path, context.workspace)
    );
    const more = entries.length - lines.length;
    if (more > 0) {
      lines.push(
        `... (${more} more files not shown, ${entries.length} in all; narrow the pattern or path)`,
      );
    }
    return lines.join("\n");
  },
});

/**
 * Stats the matches for their modification times. Synchronous on purpose:
 * an async stat costs more in scheduling than the stat itself (~2x slower
 * on 20,000 files); the event loop gets a turn between batches.
 */
async function withMtimes(
  files: string[],
): Promise<{ path: string; mtime: number }[]> {
  const out: { path: string; mtime: number }[] = [];
  for (let i = 0; i < files.length; i += STAT_BATCH) {
    for (const file of files.slice(i, i + STAT_BATCH)) {
      try {
        const info = Deno.statSync(file);
        out.push({ path: file, mtime: info.mtime?.getTime() ?? 0 });
      } catch {
        // vanished since it was listed
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return out;
}
