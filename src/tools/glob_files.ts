/**
 * `glob_files(pattern, path?)`: files matching a glob, newest first.
 *
 * @module
 */

import { z } from "zod";
import { defineTool } from "./define.ts";
import { displayPath } from "./display_path.ts";
import { chooseSearchBackend } from "./search/choose_backend.ts";
import { globInclude, resolveSearchRoot } from "./search/search_root.ts";
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

const STAT_BATCH = 256;

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
  schema: z.object({ pattern: z.string(), path: z.string().optional() }),
  async run({ pattern, path }, context) {
    const root = await resolveSearchRoot(path, context);
    const include = globInclude(pattern, root, context.workspace);
    const backend = chooseSearchBackend(context);
    const files = (await backend.listFiles(root.path, context.signal)).filter(
      include,
    );
    const entries = await withMtimes(files, context.workspace);
    if (entries.length === 0) return "no files found";
    entries.sort((a, b) =>
      b.mtime - a.mtime || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
    );
    const lines = entries.slice(0, MAX_GLOB_FILES).map((e) => e.path);
    const more = entries.length - lines.length;
    if (more > 0) {
      lines.push(
        `... (${more} more files not shown, ${entries.length} in all; narrow the pattern or path)`,
      );
    }
    return lines.join("\n");
  },
});

async function withMtimes(
  files: string[],
  workspace: string,
): Promise<{ path: string; mtime: number }[]> {
  const out: { path: string; mtime: number }[] = [];
  for (let i = 0; i < files.length; i += STAT_BATCH) {
    const batch = await Promise.all(
      files.slice(i, i + STAT_BATCH).map(async (file) => {
        try {
          const info = await Deno.stat(file);
          return {
            path: displayPath(file, workspace),
            mtime: info.mtime?.getTime() ?? 0,
          };
        } catch {
          return null;
        }
      }),
    );
    for (const entry of batch) if (entry) out.push(entry);
  }
  return out;
}
