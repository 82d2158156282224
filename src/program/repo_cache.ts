/**
 * Local clones of hub repositories: made with `init` and refreshed with a
 * `fetch` of every branch and tag, the credentials passed on each fetch's
 * command line and never stored in the clone's config.
 *
 * @module
 */

import { join } from "node:path";
import type { Git } from "./git.ts";

/**
 * Runs git on clones of hub repositories and turns its failures into one
 * sentence.
 *
 * @example
 * ```ts
 * import { Git } from "./git.ts";
 * import { RepoCache } from "./repo_cache.ts";
 * const git = new Git({ home: "/tmp/git-home", env: (n) => Deno.env.get(n) });
 * const cache = new RepoCache(git, "git.modaic.dev");
 * await cache.sync("/tmp/clone", "me/nanocode", "https://git.modaic.dev/me/nanocode.git");
 * console.log(await cache.has("/tmp/clone", "refs/remotes/origin/main"));
 * ```
 */
export class RepoCache {
  #git: Git;
  #host: string;

  /** Uses `git` to run commands; `host` names the hub in messages. */
  constructor(git: Git, host: string) {
    this.#git = git;
    this.#host = host;
  }

  /**
   * Makes `dir` a clone of `label` (its `origin` set to `publicUrl`) with
   * every branch fetched to `refs/remotes/origin/*` and every tag to
   * `refs/tags/*`, deleted ones pruned, moved ones forced. The fetch uses
   * `fetchUrl` (which may carry credentials; default `publicUrl`). A
   * broken clone is made again.
   */
  async sync(
    dir: string,
    label: string,
    publicUrl: string,
    fetchUrl = publicUrl,
  ): Promise<void> {
    const healthy =
      await Deno.stat(join(dir, ".git")).then(() => true, () => false) &&
      (await this.#git.run(["rev-parse", "--git-dir"], dir)).ok;
    if (!healthy) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
      await Deno.mkdir(dir, { recursive: true });
      await this.run(dir, label, ["init", "-q"]);
      await this.run(dir, label, ["remote", "add", "origin", publicUrl]);
    }
    const fetched = await this.#git.run([
      "fetch",
      "-q",
      "--prune",
      "--force",
      "--no-write-fetch-head",
      fetchUrl,
      "+refs/heads/*:refs/remotes/origin/*",
      "+refs/tags/*:refs/tags/*",
    ], dir);
    if (!fetched.ok) throw this.failure("fetch", label, fetched.stderr);
  }

  /** Whether `ref` (any revision expression) resolves in the clone `dir`. */
  async has(dir: string, ref: string): Promise<boolean> {
    const exists = await Deno.stat(join(dir, ".git")).then(
      () => true,
      () => false,
    );
    if (!exists) return false;
    return (await this.#git.run(["rev-parse", "-q", "--verify", ref], dir)).ok;
  }

  /** Runs git in `dir` and returns its output; a failure throws one sentence naming `label`. */
  async run(
    dir: string,
    label: string,
    args: string[],
    env?: Record<string, string>,
  ): Promise<string> {
    const result = await this.#git.run(args, dir, env);
    if (!result.ok) throw this.failure(args[0], label, result.stderr);
    return result.stdout;
  }

  /** One sentence for a failed git command (`what`: `fetch`, `push`, ...). */
  failure(what: string, label: string, output: string): Error {
    const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
    const line = (lines.find((l) => /^(fatal|error|!)/.test(l)) ??
      lines.at(-1) ?? "no details").replace(/^(fatal|error): /, "");
    const detail = this.#git.redact(line);
    if (
      /authentication failed|could not read username|terminal prompts disabled|error: 40[13]\b/i
        .test(output)
    ) {
      const verb = what === "push" ? "write" : "read";
      return new Error(
        `The Modaic hub refused access to ${label}: set MODAIC_TOKEN to a token allowed to ${verb} it`,
      );
    }
    if (
      /repository .* not found|does not appear to be a git repository|error: 404\b/i
        .test(output)
    ) {
      return new Error(
        `Repository ${label} was not found on the Modaic hub (private repositories need MODAIC_TOKEN)`,
      );
    }
    if (
      /could not resolve host|failed to connect|connection refused|timed out/i
        .test(output)
    ) {
      return new Error(
        `Cannot reach the Modaic hub at ${this.#host}: ${detail}`,
      );
    }
    return new Error(`git ${what} failed for ${label}: ${detail}`);
  }
}
