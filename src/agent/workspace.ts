/**
 * The workspace folder an agent works in.
 *
 * @module
 */

/**
 * The real path of a workspace folder.
 *
 * @throws {Error} when the folder does not exist.
 * @example
 * ```ts
 * import { realWorkspace } from "./workspace.ts";
 * console.log(realWorkspace(".").startsWith("/")); // true
 * ```
 */
export function realWorkspace(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    throw new Error(`The workspace folder ${path} does not exist`);
  }
}
