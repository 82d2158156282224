/**
 * Shared pieces for the tool tests: temp workspaces and file trees.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { createToolContext, findRipgrep } from "../../src/tools/context.ts";
import type { ToolContext } from "../../src/tools/types.ts";

/** Path of `rg` on this machine, or null (rg tests are then ignored). */
export const RG_PATH: string | null = findRipgrep();

/**
 * Runs `fn` with a fresh temp folder as workspace and removes it after.
 *
 * @example
 * ```ts
 * await withWorkspace(async (ws, context) => {});
 * ```
 */
export async function withWorkspace(
  fn: (workspace: string, context: ToolContext) => Promise<void>,
  options: { rgPath?: string | null; env?: Record<string, string> } = {},
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nanocode_tools_" });
  try {
    const context = createToolContext({
      workspace: dir,
      rgPath: options.rgPath ?? null,
      env: options.env,
    });
    await fn(context.workspace, context);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Writes files (text or bytes) below `root`, creating folders.
 *
 * @example
 * ```ts
 * await writeTree(ws, { "src/a.ts": "x\n" });
 * ```
 */
export async function writeTree(
  root: string,
  files: Record<string, string | Uint8Array>,
): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    await Deno.mkdir(dirname(path), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
  }
}

/**
 * Sets a file's modification time to `seconds` after the epoch.
 *
 * @example
 * ```ts
 * await setMtime(`${ws}/a.ts`, 1_000_000);
 * ```
 */
export async function setMtime(path: string, seconds: number): Promise<void> {
  await Deno.utime(path, seconds, seconds);
}

/**
 * A context like `base` but with other settings.
 *
 * @example
 * ```ts
 * const rg = withContext(context, { rgPath: "/usr/bin/rg" });
 * ```
 */
export function withContext(
  base: ToolContext,
  changes: Partial<ToolContext>,
): ToolContext {
  return { ...base, ...changes, resolvePath: base.resolvePath };
}
