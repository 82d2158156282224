/**
 * Real paths for folders that may not exist yet.
 *
 * @module
 */

import { join, relative, resolve } from "node:path";

/**
 * `path` with symlinks resolved in its deepest existing ancestor.
 *
 * @example
 * ```ts ignore
 * realish("/tmp/not/yet/there"); // "/private/tmp/not/yet/there" on macOS
 * ```
 */
export function realish(path: string): string {
  let rest = "";
  let current = path;
  while (true) {
    try {
      return join(Deno.realPathSync(current), rest);
    } catch {
      const parent = resolve(current, "..");
      if (parent === current) return path;
      rest = join(relative(parent, current), rest);
      current = parent;
    }
  }
}
