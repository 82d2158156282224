/**
 * The workspace folder of an agent.
 *
 * @module
 */

/**
 * The real path of the workspace folder (symlinks resolved), as every
 * path check compares against it.
 *
 * @throws {Error} `The workspace folder x does not exist`.
 * @example
 * ```ts
 * import { realWorkspace } from "./workspace.ts";
 * console.log(realWorkspace(".") === Deno.realPathSync(".")); // true
 * ```
 */
export function realWorkspace(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    throw new Error(`The workspace folder ${path} does not exist`);
  }
}
