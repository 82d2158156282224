/**
 * Isolated copies: each task works in its own git clone at `ref` (of a
 * repository's top folder, a bare repository or a git URL), or a copy of a
 * plain folder, or an empty folder, made fresh under the work
 * folder. Clones, not worktrees: a worktree writes into the source
 * repository's `.git` and shares its config and hooks, a clone leaves the
 * source untouched, and its `origin` is removed so nothing is pushed back.
 *
 * The diff is taken through a git folder of the batch's own, made beside
 * the copy before anything of the task runs: whatever `setup`, `verify` or
 * the agent write into the copy's `.git` (a `core.fsmonitor` command, a
 * clean filter) is never run by the batch's own git.
 *
 * @module
 */

import { join } from "../util/path.ts";
import { git, GitError } from "./git.ts";
import { isGitUrl } from "./task_file.ts";
import type { BatchTask } from "./types.ts";

/** A task's copy and the commit its diff is taken against. */
export interface TaskCopy {
  /** The copy's folder. */
  dir: string;
  /** The starting commit (`ref` resolved). */
  base: string;
  /** The batch's own git folder for the copy (see {@linkcode baseGitDir}). */
  gitDir: string;
}

/**
 * Where the batch keeps its own git folder for the copy in `dir`: beside
 * it, a bare clone of the copy as it was made, with the copy's index.
 *
 * @example
 * ```ts
 * import { baseGitDir } from "./copy.ts";
 * console.log(baseGitDir("/work/t1-0a1b2c3d")); // "/work/t1-0a1b2c3d.base.git"
 * ```
 */
export function baseGitDir(dir: string): string {
  return `${dir}.base.git`;
}

/** Makes the batch's own git folder for a fresh copy (nothing of the task has run yet). */
async function makeBaseGitDir(
  dir: string,
  parent: string,
  signal?: AbortSignal,
): Promise<string> {
  const gitDir = baseGitDir(dir);
  await Deno.remove(gitDir, { recursive: true }).catch(() => {});
  await git(["clone", "--quiet", "--bare", "--", dir, gitDir], parent, signal);
  // The copy's index holds the files' stat data: only changed files are read again.
  await Deno.copyFile(join(dir, ".git", "index"), join(gitDir, "index"))
    .catch(() => {});
  return gitDir;
}

/** Diffs over this size are left out of the result (the copy is kept instead). */
export const MAX_DIFF_BYTES = 8 * 1024 * 1024;

/**
 * A folder name for a task id: its safe characters and a short hash, so
 * ids that differ only in unsafe characters do not collide.
 *
 * @example
 * ```ts
 * import { copyName } from "./copy.ts";
 * console.log(copyName("../../etc")); // "______etc-" followed by 8 hex digits
 * ```
 */
export function copyName(id: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(id)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  const safe = id.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 60);
  return `${safe}-${hash.toString(16).padStart(8, "0")}`;
}

/** Bare mirrors of git URLs, fetched once per batch and cloned locally per task. */
export class RepoCache {
  #dir: string;
  #mirrors = new Map<string, Promise<string>>();

  /** Mirrors live in `dir`. */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The local mirror of `url`, cloned or brought up to date on first use. */
  mirror(url: string): Promise<string> {
    let mirror = this.#mirrors.get(url);
    if (!mirror) {
      mirror = this.#fetch(url);
      this.#mirrors.set(url, mirror);
      mirror.catch(() => this.#mirrors.delete(url));
    }
    return mirror;
  }

  async #fetch(url: string): Promise<string> {
    await Deno.mkdir(this.#dir, { recursive: true });
    const path = join(this.#dir, `${copyName(url)}.git`);
    let exists = false;
    try {
      exists = (await Deno.stat(path)).isDirectory;
    } catch {
      exists = false;
    }
    if (exists) await git(["remote", "update", "--prune"], path);
    else {await git(
        ["clone", "--quiet", "--mirror", "--", url, path],
        this.#dir,
      );}
    return path;
  }
}

/** Whether `path` is a repository of its own: a work tree's top, or a bare repository. */
async function isRepoRoot(path: string): Promise<boolean> {
  try {
    const real = await Deno.realPath(path);
    const [bare, gitDir] = (await git(
      ["rev-parse", "--is-bare-repository", "--absolute-git-dir"],
      path,
    )).trim().split("\n");
    if (bare === "true") return gitDir === real;
    const top = (await git(["rev-parse", "--show-toplevel"], path)).trim();
    return top === real;
  } catch {
    return false;
  }
}

async function resolveRef(dir: string, ref: string): Promise<string> {
  for (const candidate of [ref, `origin/${ref}`]) {
    try {
      return (await git(
        ["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`],
        dir,
      )).trim();
    } catch {
      // try the next form
    }
  }
  throw new GitError(`ref "${ref}" is not a commit, branch or tag of the repo`);
}

/**
 * Makes a task's copy in `dir` (removing whatever an earlier, interrupted
 * run left there) and returns it with its starting commit.
 *
 * @throws {GitError} or {Deno.errors.NotFound} when the repo or ref cannot
 *   be used; the signal's reason when `signal` aborts a git command.
 * @example
 * ```ts ignore
 * const copy = await makeCopy({ id: "t1", task: "...", repo: "/src/app", ref: "v1.2" }, "/work/t1", cache);
 * ```
 */
export async function makeCopy(
  task: BatchTask,
  dir: string,
  cache: RepoCache,
  signal?: AbortSignal,
): Promise<TaskCopy> {
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.remove(baseGitDir(dir), { recursive: true }).catch(() => {});
  const parent = join(dir, "..");
  await Deno.mkdir(parent, { recursive: true });
  const repo = task.repo;
  let source: string | null = null;
  if (repo !== undefined && isGitUrl(repo)) source = await cache.mirror(repo);
  else if (repo !== undefined) {
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(repo);
    } catch {
      throw new Deno.errors.NotFound(`repo ${repo} does not exist here`);
    }
    if (!info.isDirectory) {
      throw new Deno.errors.NotFound(`repo ${repo} is not a folder`);
    }
    if (await isRepoRoot(repo)) source = repo;
  }
  if (source !== null) {
    await git(
      ["clone", "--quiet", "--no-checkout", "--", source, dir],
      parent,
      signal,
    );
    const base = await resolveRef(dir, task.ref ?? "HEAD");
    await git(["checkout", "--quiet", "--detach", base], dir, signal);
    await git(["remote", "remove", "origin"], dir, signal);
    return { dir, base, gitDir: await makeBaseGitDir(dir, parent, signal) };
  }
  if (task.ref !== undefined) {
    throw new GitError(
      `"ref" needs a git repository, and ${repo} is a plain folder`,
    );
  }
  await Deno.mkdir(dir, { recursive: true });
  if (repo !== undefined) await copyFolder(repo, dir);
  await git(["init", "--quiet"], dir);
  await git(["add", "-A"], dir);
  await git([
    "commit",
    "--quiet",
    "--allow-empty",
    "--no-verify",
    "-m",
    "nanocode batch: starting point",
  ], dir);
  const base = (await git(["rev-parse", "HEAD"], dir)).trim();
  return { dir, base, gitDir: await makeBaseGitDir(dir, parent, signal) };
}

async function copyFolder(from: string, to: string): Promise<void> {
  const out = await new Deno.Command("cp", {
    args: ["-a", "--", `${from}/.`, `${to}/`],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `Cannot copy ${from}: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
}

/**
 * The copy's changes against its starting commit as a git patch (binary
 * files included, ignored files left out); `""` when nothing changed.
 * A patch over {@linkcode MAX_DIFF_BYTES} is replaced by its `--stat`
 * summary and `truncated` is set.
 *
 * @example
 * ```ts ignore
 * const { diff } = await copyDiff(copy);
 * ```
 */
export async function copyDiff(
  copy: TaskCopy,
): Promise<{ diff: string; truncated: boolean }> {
  const own = [`--git-dir=${copy.gitDir}`, `--work-tree=${copy.dir}`];
  await git([...own, "add", "-A"], copy.dir);
  const args = [
    ...own,
    "diff",
    "--cached",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--src-prefix=a/",
    "--dst-prefix=b/",
  ];
  const diff = await git([...args, "--binary", copy.base], copy.dir);
  if (new TextEncoder().encode(diff).length <= MAX_DIFF_BYTES) {
    return { diff, truncated: false };
  }
  const stat = await git([...args, "--stat", copy.base], copy.dir);
  return {
    diff:
      `${stat}[the patch is over ${MAX_DIFF_BYTES} bytes and was left out; the copy is kept at ${copy.dir}]\n`,
    truncated: true,
  };
}
