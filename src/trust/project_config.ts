/**
 * Finding a project's config files: `.nanocode/config.json` in each folder
 * from the repository root down to the current folder, root first (a
 * deeper file wins). A file whose real path leaves its `.nanocode` folder
 * (a symlink to elsewhere), or that is not a regular file, is skipped.
 *
 * @module
 */

import { repositoryRoot } from "../agent/project_instructions.ts";
import { readJson } from "../config/load.ts";
import { projectConfigPath } from "../config/paths.ts";
import { isWithin } from "../policy/classify.ts";
import { dirname, join } from "../util/path.ts";

/** A project config file that was read. */
export interface ProjectConfigFile {
  /** The folder holding `.nanocode/` (the folder that is trusted or not). */
  folder: string;
  /** The file's path. */
  path: string;
  /** Its JSON object. */
  values: Record<string, unknown>;
}

/** A file that exists but was not read, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

const MAX_BYTES = 1024 * 1024;

/**
 * The folders from the repository root above `cwd` down to `cwd`.
 *
 * @example
 * ```ts ignore
 * console.log(await folderChain("/repo/a/b")); // ["/repo", "/repo/a", "/repo/a/b"]
 * ```
 */
export async function folderChain(cwd: string): Promise<string[]> {
  const root = await repositoryRoot(cwd);
  const chain: string[] = [];
  for (let dir = cwd;; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === root || dirname(dir) === dir) break;
  }
  return chain;
}

/**
 * Reads the project config files that apply in `cwd`. `exclude` names
 * files that are not project files (the user's own config).
 *
 * @throws {ConfigError} for a file that cannot be read or is not a JSON object.
 * @example
 * ```ts ignore
 * const { files, skipped } = await findProjectConfigs(Deno.cwd(), []);
 * ```
 */
export async function findProjectConfigs(
  cwd: string,
  exclude: string[] = [],
): Promise<{ files: ProjectConfigFile[]; skipped: SkippedFile[] }> {
  return await findInChain(
    cwd,
    (folder) => [projectConfigPath(folder), join(folder, ".nanocode")],
    exclude,
  );
}

/**
 * Reads the `.mcp.json` files (Claude Code's project MCP servers) from the
 * repository root down to `cwd`; only their `mcpServers` is kept.
 *
 * @throws {ConfigError} for a file that cannot be read or is not a JSON object.
 * @example
 * ```ts ignore
 * const { files } = await findMcpFiles(Deno.cwd());
 * ```
 */
export async function findMcpFiles(
  cwd: string,
): Promise<{ files: ProjectConfigFile[]; skipped: SkippedFile[] }> {
  const found = await findInChain(
    cwd,
    (folder) => [join(folder, ".mcp.json"), folder],
    [],
  );
  return {
    files: found.files.map((file) => ({
      ...file,
      values: { mcpServers: file.values.mcpServers ?? {} },
    })),
    skipped: found.skipped,
  };
}

async function findInChain(
  cwd: string,
  where: (folder: string) => [path: string, own: string],
  exclude: string[],
): Promise<{ files: ProjectConfigFile[]; skipped: SkippedFile[] }> {
  const files: ProjectConfigFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const folder of await folderChain(cwd)) {
    const [path, ownDir] = where(folder);
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(path);
    } catch {
      continue;
    }
    if (exclude.includes(path)) continue;
    let real: string;
    let own: string;
    try {
      [real, own] = await Promise.all([
        Deno.realPath(path),
        Deno.realPath(ownDir),
      ]);
      info = await Deno.stat(real);
    } catch {
      skipped.push({ path, reason: "it is a broken symlink" });
      continue;
    }
    if (!isWithin(real, own)) {
      skipped.push({ path, reason: `it leads outside its folder, to ${real}` });
      continue;
    }
    if (!info.isFile) {
      skipped.push({ path, reason: "it is not a regular file" });
      continue;
    }
    if (info.size > MAX_BYTES) {
      skipped.push({ path, reason: "it is larger than 1 MiB" });
      continue;
    }
    files.push({ folder, path, values: (await readJson(path, true))! });
  }
  return { files, skipped };
}
