/**
 * Running git for a batch: no hooks, no prompts, no signing, a fixed
 * identity, and one clear error when it fails.
 *
 * @module
 */

/** Thrown when a git command fails; the message is git's own last words. */
export class GitError extends Error {
  override name = "GitError";
}

/** Settings every batch git command runs with, whatever the user's config says. */
const SETTINGS = [
  "core.hooksPath=/dev/null",
  "commit.gpgsign=false",
  "tag.gpgsign=false",
  "user.name=nanocode batch",
  "user.email=batch@nanocode.invalid",
  "init.defaultBranch=main",
  "advice.detachedHead=false",
  "core.autocrlf=false",
  "diff.noprefix=false",
  "gc.auto=0",
  // No fsmonitor daemon per copy (nor a command a repository's config names).
  "core.fsmonitor=false",
].flatMap((setting) => ["-c", setting]);

/**
 * Variables that point git at another repository than the folder it runs
 * in; removed from the environment of the batch's git and of `setup` and
 * `verify`.
 */
export const REPO_VARIABLES: readonly string[] = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ALTERNATE_OBJECT_DIRECTORIES",
  "GIT_COMMON_DIR",
  "GIT_NAMESPACE",
  "GIT_PREFIX",
];

function gitEnv(): Record<string, string> {
  let env: Record<string, string> = {};
  try {
    env = Deno.env.toObject();
  } catch {
    // no --allow-env: git runs with an empty environment
  }
  // Which repository to work on is always given on the command line (a
  // batch started from a git hook inherits GIT_DIR and friends).
  for (const name of REPO_VARIABLES) delete env[name];
  // Never wait for a password: a batch has nobody to type it.
  return { ...env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "/bin/false" };
}

/**
 * Runs `git args...` in `cwd` and returns its stdout.
 *
 * @throws {GitError} with git's stderr when it exits non-zero.
 * @example
 * ```ts ignore
 * const head = (await git(["rev-parse", "HEAD"], "/repo")).trim();
 * ```
 */
export async function git(
  args: string[],
  cwd: string,
  signal?: AbortSignal,
): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("git", {
      args: [...SETTINGS, ...args],
      cwd,
      env: gitEnv(),
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal,
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new GitError("git is not installed (batch copies need it)");
    }
    throw error;
  }
  if (!out.success) {
    const stderr = new TextDecoder().decode(out.stderr).trim();
    const last = stderr.split("\n").filter(Boolean).slice(-2).join("; ");
    throw new GitError(
      `git ${args[0]} failed${last ? `: ${last}` : ` (exit ${out.code})`}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}
