/**
 * `@path` mentions in a task: the files and folders that exist in the
 * workspace are listed in a note for the model, so it knows to read them.
 *
 * @module
 */

import { plural } from "../ui/plural.ts";
import { join } from "../util/path.ts";

/**
 * The note naming the mentioned files that exist, or `undefined`.
 *
 * @example
 * ```ts ignore
 * const note = await mentionNote("look at @src/main.ts", Deno.cwd());
 * // "The user mentioned these paths (read them with read_file): src/main.ts (120 lines)"
 * ```
 */
export async function mentionNote(
  task: string,
  workspace: string,
): Promise<string | undefined> {
  const paths = new Set<string>();
  for (const match of task.matchAll(/(?:^|\s)@([^\s@]+)/g)) {
    paths.add(match[1].replace(/[),.;:!?]+$/, ""));
  }
  const found: string[] = [];
  for (const path of paths) {
    if (path.startsWith("/") || path.split("/").includes("..")) continue;
    try {
      const info = await Deno.stat(join(workspace, path));
      if (info.isDirectory) found.push(`${path} (folder)`);
      else if (info.isFile) {
        const text = info.size <= 4 << 20
          ? await Deno.readTextFile(join(workspace, path))
          : null;
        const lines = text === null ? plural(info.size, "byte") : plural(
          text.split("\n").length - (text.endsWith("\n") ? 1 : 0),
          "line",
        );
        found.push(`${path} (${lines})`);
      }
    } catch {
      // not a path: an @handle, an email address
    }
  }
  if (found.length === 0) return undefined;
  return `The user mentioned these paths in the task (use read_file / glob_files on them): ${
    found.join(", ")
  }`;
}
