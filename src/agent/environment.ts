/**
 * The environment line of the coding agent's prompt: where relative paths
 * resolve and what platform commands run on.
 *
 * @module
 */

/**
 * Describes the workspace and platform for the system prompt.
 *
 * @example
 * ```ts
 * import { environmentLine } from "./environment.ts";
 * console.log(environmentLine("/home/me/project"));
 * // working directory /home/me/project (relative paths resolve here; Deno.cwd() and process.cwd() return it); platform linux x86_64; run_bash runs bash
 * ```
 */
export function environmentLine(
  workspace: string,
  build: { os: string; arch: string } = Deno.build,
): string {
  const shell = build.os === "windows"
    ? "run_bash runs bash (Git Bash/WSL)"
    : "run_bash runs bash";
  return `working directory ${workspace} (relative paths resolve here; Deno.cwd() and process.cwd() return it); platform ${build.os} ${build.arch}; ${shell}`;
}
