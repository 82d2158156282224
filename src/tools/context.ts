/**
 * The default {@linkcode ToolContext}: paths resolve against the workspace,
 * commands get the process environment, search uses `rg` when installed.
 *
 * @module
 */

import { delimiter, isAbsolute, join, resolve } from "node:path";
import type { Access, ToolContext } from "./types.ts";

/**
 * Options for {@linkcode createToolContext}.
 *
 * @example
 * ```ts
 * const options: ToolContextOptions = { workspace: ".", rgPath: null };
 * ```
 */
export interface ToolContextOptions {
  /** Workspace folder; made absolute and real (symlinks resolved). */
  workspace: string;
  /** Interrupts running commands; default: never aborted. */
  signal?: AbortSignal;
  /** Environment for `run_bash`; default: this process's environment. */
  env?: Record<string, string>;
  /** Path of `rg`, `null` for the built-in search; default {@linkcode findRipgrep}. */
  rgPath?: string | null;
  /** Receives command output as it arrives. */
  onOutput?: (text: string) => void;
}

/**
 * Builds the default context. `resolvePath` makes relative paths absolute
 * against the workspace (and, for writes, follows a final symlink to the
 * file it names); it applies no confinement (the agent's safety layer does).
 *
 * @example
 * ```ts
 * const context = createToolContext({ workspace: "." });
 * await context.resolvePath("src/a.ts", "read"); // "<workspace>/src/a.ts"
 * ```
 */
export function createToolContext(options: ToolContextOptions): ToolContext {
  const workspace = Deno.realPathSync(resolve(options.workspace));
  return {
    workspace,
    signal: options.signal ?? new AbortController().signal,
    env: options.env ?? Deno.env.toObject(),
    rgPath: options.rgPath === undefined ? findRipgrep() : options.rgPath,
    onOutput: options.onOutput,
    async resolvePath(path: string, access: Access): Promise<string> {
      const absolute = resolve(workspace, path);
      if (access === "write") {
        // Writing a symlink writes its target (atomic writes never follow links).
        try {
          if ((await Deno.lstat(absolute)).isSymlink) {
            return await Deno.realPath(absolute);
          }
        } catch {
          // missing (a new file) or a dangling link: write the path itself
        }
      }
      return absolute;
    },
  };
}

/**
 * Looks for `rg` on `PATH`; returns its absolute path, or `null`.
 *
 * @example
 * ```ts
 * const rg = findRipgrep(); // "/usr/bin/rg" or null
 * ```
 */
export function findRipgrep(pathEnv?: string): string | null {
  return findExecutable("rg", pathEnv);
}

/**
 * Looks for an executable file called `name` in the folders of `pathEnv`
 * (default: this process's `PATH`); returns its absolute path, or `null`.
 *
 * @example
 * ```ts
 * findExecutable("bash"); // "/usr/bin/bash"
 * ```
 */
export function findExecutable(
  name: string,
  pathEnv: string | undefined = Deno.env.get("PATH"),
): string | null {
  for (const dir of (pathEnv ?? "").split(delimiter)) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) {
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return null;
}
