/**
 * Project instructions: `AGENTS.md` (or `CLAUDE.md` where a folder has no
 * AGENTS.md) in each folder from the repository root down to the current
 * folder, root first, each checked by the path policy first; and the
 * user's own `AGENTS.md` in nanocode's config folder, which applies to
 * every project.
 *
 * @module
 */

import { isWithin, secretReason } from "../policy/classify.ts";
import { dirname, join, relative } from "../util/path.ts";
import { xdgDir } from "../config/paths.ts";

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

/** What instruction files are checked against. */
export interface InstructionsCheck {
  /** The user's home folder (for `~/.ssh` and other secret places). */
  home: string;
  /** nanocode's own config and data folders. */
  protectedDirs: string[];
}

/** An instructions file that was found but not used, and why. */
export interface SkippedInstructions {
  /** Path relative to the current folder. */
  path: string;
  /** Why it was skipped, e.g. `it leads outside the repository, to /etc/passwd`. */
  reason: string;
}

const MAX_BYTES = 256 * 1024;

/** Why the file at `path` must not be read as instructions, or `null`. */
async function refusal(
  path: string,
  root: string,
  check: InstructionsCheck,
): Promise<string | null> {
  let real: string;
  try {
    real = await Deno.realPath(path);
  } catch {
    return "it cannot be resolved (a broken or looping symlink)";
  }
  if (/^\/(proc|dev|sys)(\/|$)/.test(real)) {
    return `it leads to ${real}`;
  }
  if (!isWithin(real, root)) {
    return `it leads outside the repository, to ${real}`;
  }
  const secret = secretReason(real, check) ?? secretReason(path, check);
  if (secret !== undefined) return `it is a ${secret}`;
  const info = await Deno.stat(real).catch(() => null);
  if (!info?.isFile) return "it is not a regular file";
  if (info.size > MAX_BYTES) return "it is larger than 256 KiB";
  return null;
}

/**
 * Finds the project instructions for `cwd`, through the path policy: a file
 * whose real path leaves the repository, lies under `/proc`, `/dev` or
 * `/sys`, or is a secret or protected file, is skipped (and listed in
 * `skipped`), never read; in its folder, `CLAUDE.md` is then tried.
 *
 * @example
 * ```ts ignore
 * const { files, skipped } = await reviewProjectInstructions(Deno.cwd(), { home: "/home/me", protectedDirs: [] });
 * ```
 */
export async function reviewProjectInstructions(
  cwd: string,
  check: InstructionsCheck,
): Promise<{ files: InstructionsFile[]; skipped: SkippedInstructions[] }> {
  const root = await repositoryRoot(cwd);
  const realRoot = await Deno.realPath(root).catch(() => root);
  const chain: string[] = [];
  for (let dir = cwd;; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dir === root || dirname(dir) === dir) break;
  }
  const files: InstructionsFile[] = [];
  const skipped: SkippedInstructions[] = [];
  for (const dir of chain) {
    for (const name of ["AGENTS.md", "CLAUDE.md"]) {
      const path = join(dir, name);
      if (!await exists(path)) continue;
      const shown = relative(cwd, path) || name;
      const reason = await refusal(path, realRoot, check);
      if (reason !== null) {
        skipped.push({ path: shown, reason });
        continue;
      }
      const text = await Deno.readTextFile(path).catch(() => null);
      if (text === null) continue;
      files.push({ path: shown, text });
      break;
    }
  }
  return { files, skipped };
}

/**
 * Finds the project instructions for `cwd` (see
 * {@linkcode reviewProjectInstructions}; skipped files are left out).
 *
 * @example
 * ```ts ignore
 * for (const file of await findProjectInstructions(Deno.cwd())) console.log(file.path);
 * ```
 */
export async function findProjectInstructions(
  cwd: string,
  check: InstructionsCheck = { home: "/nonexistent", protectedDirs: [] },
): Promise<InstructionsFile[]> {
  return (await reviewProjectInstructions(cwd, check)).files;
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
  const base = xdgDir(env, "XDG_CONFIG_HOME") ||
    (home && join(home, ".config"));
  if (!base) return [];
  const path = join(base, "nanocode", "AGENTS.md");
  const info = await Deno.stat(path).catch(() => null);
  if (!info?.isFile || info.size > MAX_BYTES) return [];
  const text = await Deno.readTextFile(path).catch(() => null);
  if (text === null) return [];
  const shown = home && path.startsWith(`${home}/`)
    ? `~${path.slice(home.length)}`
    : path;
  return [{ path: shown, text }];
}
