/**
 * Project settings a command created: a `.nanocode` folder (or a symlink
 * or file of that name) or an `.mcp.json` that was not there before the
 * command ran. A later session would read its config or start its
 * servers, and writing one asks the user in every mode, so one that a
 * command made without asking is removed and the model is told how to ask.
 *
 * @module
 */

import { isWithin } from "../policy/classify.ts";

/**
 * Removes every path in `after` that is not in `before` (what the command
 * created), and returns a line for the model naming them, or `undefined`
 * when there were none. Paths are shown relative to the first root that
 * holds them.
 *
 * @example
 * ```ts ignore
 * const note = removePlanted(new Set(["/w/.nanocode"]), ["/w/.nanocode", "/w/sub/.nanocode"], ["/w"]);
 * // "[sandbox: the command created project settings nanocode reads (sub/.nanocode); they were removed. ...]"
 * ```
 */
export function removePlanted(
  before: ReadonlySet<string>,
  after: readonly string[],
  roots: readonly string[],
): string | undefined {
  const planted = after.filter((path) => !before.has(path));
  if (planted.length === 0) return undefined;
  const removed: string[] = [];
  const kept: string[] = [];
  for (const path of planted) {
    try {
      // A symlink goes, not what it points at.
      Deno.removeSync(path, { recursive: !Deno.lstatSync(path).isSymlink });
      removed.push(shown(path, roots));
    } catch {
      kept.push(shown(path, roots));
    }
  }
  const parts: string[] = [];
  if (removed.length > 0) {
    parts.push(
      `the command created project settings nanocode reads (${
        removed.join(", ")
      }); they were removed`,
    );
  }
  if (kept.length > 0) {
    parts.push(
      `the command created project settings nanocode reads that could not be removed (${
        kept.join(", ")
      }); a later session may read them`,
    );
  }
  return `[sandbox: ${
    parts.join("; ")
  }. A project's nanocode config or .mcp.json is written with write_file or edit_file, which ask the user first.]`;
}

function shown(path: string, roots: readonly string[]): string {
  const root = roots.find((r) => isWithin(path, r) && path !== r);
  return root ? path.slice(root === "/" ? 1 : root.length + 1) : path;
}
