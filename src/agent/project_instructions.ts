/**
 * Project instructions: `AGENTS.md` (or `CLAUDE.md` where a folder has no
 * AGENTS.md) in each folder from the repository root down to the current
 * folder, root first; and the user's own `AGENTS.md` in nanocode's config
 * folder, which applies to every project.
 *
 * @module
 */

import { dirname, join, relative } from "../util/path.ts";

/** One instructions file. */
export interface InstructionsFile {
  /** Path relative to the current folder, e.g. `../AGENTS.md`. */
  path: string;
  /** The file's text. */
  text: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

async function readIfFile(path: string): Promise<string | null> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > 256 * 1024) return null;
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

/**
 * The repository root above `cwd` (the nearest folder holding `.git`), or
 * `cwd` itself outside a repository.
 *
 * @example
 * ```ts ignore
 * const root = await repositoryRoot(Deno.cwd());
 * ```
 */
export async function repositoryRoot(cwd: string): Promise<string> {
  for (let dir = cwd;; dir = dirname(dir)) {
    if (await exists(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

/**
 * Finds the project instructions for `cwd`.
 *
 * @example
 * ```ts ignore
 * for (const file of await findProjectInstructions(Deno.cwd())) console.log(file.path);
 * ```
 */
export async function findProjectInstructions(
  cwd: string,
): Promise<InstructionsFile[]> {
  const root = await repositoryRoot(cwd);
  const chain: string[] = [];
  for (let dir = cwd;; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === root || dirname(dir) === dir) break;
  }
  const files: InstructionsFile[] = [];
  for (const dir of chain) {
    for (const name of ["AGENTS.md", "CLAUDE.md"]) {
      const text = await readIfFile(join(dir, name));
      if (text !== null) {
        files.push({ path: relative(cwd, join(dir, name)) || name, text });
        break;
      }
    }
  }
  return files;
}

/**
 * The user's own instructions for every project:
 * `$XDG_CONFIG_HOME/nanocode/AGENTS.md` (default
 * `~/.config/nanocode/AGENTS.md`), shown with `~` for the home folder.
 * Empty when there is no such file (or no home folder).
 *
 * @example
 * ```ts ignore
 * const [user] = await findUserInstructions((name) => Deno.env.get(name));
 * console.log(user?.path); // "~/.config/nanocode/AGENTS.md"
 * ```
 */
export async function findUserInstructions(
  env: (name: string) => string | undefined,
): Promise<InstructionsFile[]> {
  const home = env("HOME") ?? env("USERPROFILE");
  const base = env("XDG_CONFIG_HOME") || (home && join(home, ".config"));
  if (!base) return [];
  const path = join(base, "nanocode", "AGENTS.md");
  const text = await readIfFile(path);
  if (text === null) return [];
  const shown = home && path.startsWith(`${home}/`)
    ? `~${path.slice(home.length)}`
    : path;
  return [{ path: shown, text }];
}
