/**
 * Where `nanocode mcp add|remove` keep servers: the user's config file
 * (`--scope user`, the default) or the project's `.mcp.json`
 * (`--scope project`, shared with Claude Code). Other keys of the file are
 * kept; the file is replaced atomically.
 *
 * @module
 */

import { readJson } from "../config/load.ts";
import { type EnvReader, userConfigPath } from "../config/paths.ts";
import { dirname, join } from "../util/path.ts";

/** Where a server entry lives. */
export type McpScope = "user" | "project";

/**
 * The file of a scope.
 *
 * @example
 * ```ts
 * import { scopeFile } from "./cli_files.ts";
 * console.log(scopeFile("project", "/repo", () => undefined)); // "/repo/.mcp.json"
 * ```
 */
export function scopeFile(
  scope: McpScope,
  cwd: string,
  env: EnvReader,
): string {
  return scope === "user" ? userConfigPath(env) : join(cwd, ".mcp.json");
}

/**
 * The `mcpServers` object of a file (empty when the file or key is missing).
 *
 * @throws {ConfigError} for a file that is not a JSON object.
 * @example
 * ```ts ignore
 * const servers = await readServers("/repo/.mcp.json");
 * ```
 */
export async function readServers(
  path: string,
): Promise<Record<string, unknown>> {
  const values = await readJson(path, false) ?? {};
  const servers = values.mcpServers;
  return typeof servers === "object" && servers !== null
    ? { ...servers as Record<string, unknown> }
    : {};
}

/**
 * Replaces the `mcpServers` object of a file, keeping its other keys.
 *
 * @example
 * ```ts ignore
 * await writeServers("/repo/.mcp.json", { fs: { command: "mcp-fs" } });
 * ```
 */
export async function writeServers(
  path: string,
  servers: Record<string, unknown>,
): Promise<void> {
  const values = await readJson(path, false) ?? {};
  values.mcpServers = servers;
  await Deno.mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeTextFile(
      temporary,
      `${JSON.stringify(values, null, 2)}\n`,
    );
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
