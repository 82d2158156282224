/**
 * The Modaic hub: pushing a program's files to a repository and fetching a
 * repository at a revision into a local cache, over the hub's REST calls
 * and git over HTTPS.
 *
 * @module
 */

import { join } from "node:path";
import type { FrontMatterValue } from "./front_matter.ts";
import { checkOwnedFileName, writeOwnedFiles } from "./owned_files.ts";
import { Git } from "./git.ts";
import { xdgDir } from "../config/paths.ts";
import { RepoCache } from "./repo_cache.ts";
import {
  createRepository,
  getUser,
  type HubApiOptions,
  type HubUser,
  tokenMissing,
} from "./hub_api.ts";
import {
  checkBranch,
  checkRevision,
  isLocalPath,
  parseRepoId,
  type RepoId,
} from "./repo_id.ts";

/** Where the hub is and how to reach it; defaults come from the environment. */
export interface HubOptions {
  /** Access token (default `MODAIC_TOKEN`). */
  token?: string;
  /** Git server (default `MODAIC_GIT_URL`, else `https://git.modaic.dev`). */
  gitUrl?: string;
  /** REST API (default `MODAIC_API_URL`, else `https://api.modaic.dev`). */
  apiUrl?: string;
  /** Cache folder (default `MODAIC_CACHE`, else `$XDG_CACHE_HOME/modaic`, else `~/.cache/modaic`). */
  cacheDir?: string;
  /** Reads environment variables (default `Deno.env.get`). */
  env?: (name: string) => string | undefined;
  /** The git executable (default `git`). */
  git?: string;
  /** The HTTP client for the REST calls (default `fetch`). */
  fetch?: typeof fetch;
}

/** How to push. */
export interface PushOptions {
  /** The commit message (default `Update program with nanocode`). */
  commitMessage?: string;
  /** The branch to push to (default `main`; a new branch starts from `main`). */
  branch?: string;
  /** A new tag to create on the pushed commit. */
  tag?: string;
  /** Whether a repository created by this push is private (default `true`). */
  private?: boolean;
  /** Keys to set in `README.md`'s YAML front matter (the body is kept). */
  frontMatter?: Record<string, FrontMatterValue>;
}

/** What a push did. */
export interface PushResult {
  /** `owner/name`. */
  repo: string;
  /** The branch pushed. */
  branch: string;
  /** The branch's commit after the push. */
  commit: string;
  /** The tag created, if any. */
  tag?: string;
  /** Whether a new commit was made (`false`: the files were unchanged). */
  changed: boolean;
}

/**
 * A client of the Modaic hub (a Gitea server plus a REST API).
 *
 * @example
 * ```ts
 * import { Hub } from "./hub.ts";
 * const hub = new Hub(); // MODAIC_TOKEN, MODAIC_GIT_URL, MODAIC_API_URL, MODAIC_CACHE
 * await hub.push("me/nanocode", new Map([["config.json", "{}"]]), { branch: "dev" });
 * const folder = await hub.fetchProgram("me/nanocode", "dev");
 * ```
 */
export class Hub {
  /** The git server's base URL. */
  readonly gitUrl: string;
  /** The REST API's base URL. */
  readonly apiUrl: string;
  /** The cache folder; nanocode keeps its clones under `nanocode/` in it. */
  readonly cacheDir: string;
  #token: string | undefined;
  #api: HubApiOptions;
  #git: Git;
  #cache: RepoCache;
  #user: HubUser | undefined;

  /** Reads unset options from the environment. */
  constructor(options: HubOptions = {}) {
    const env = options.env ?? ((name: string) => Deno.env.get(name));
    this.#token = options.token ?? (env("MODAIC_TOKEN") || undefined);
    this.gitUrl = (options.gitUrl ?? env("MODAIC_GIT_URL") ??
      "https://git.modaic.dev").replace(/\/+$/, "");
    this.apiUrl = (options.apiUrl ?? env("MODAIC_API_URL") ??
      "https://api.modaic.dev").replace(/\/+$/, "");
    const home = env("HOME") ?? env("USERPROFILE") ?? ".";
    this.cacheDir = options.cacheDir ?? (env("MODAIC_CACHE") ||
      join(xdgDir(env, "XDG_CACHE_HOME") || join(home, ".cache"), "modaic"));
    this.#api = {
      token: this.#token,
      gitUrl: this.gitUrl,
      apiUrl: this.apiUrl,
      fetch: options.fetch,
    };
    this.#git = new Git({
      git: options.git,
      home: join(this.cacheDir, "nanocode", "git-home"),
      env,
      secrets: this.#token ? [this.#token] : [],
    });
    this.#cache = new RepoCache(this.#git, hostOf(this.gitUrl, "git"));
    hostOf(this.apiUrl, "API");
  }

  /**
   * The account the token belongs to (`GET {gitUrl}/api/v1/user`),
   * asked once per `Hub`.
   */
  async whoami(): Promise<HubUser> {
    this.#user ??= await getUser(this.#api);
    return this.#user;
  }

  /**
   * Creates `owner/name` (private unless told otherwise); an existing
   * repository is fine.
   */
  createRepo(
    owner: string,
    name: string,
    options: { private?: boolean } = {},
  ): Promise<"created" | "exists"> {
    return createRepository(this.#api, owner, name, options);
  }

  /**
   * Pushes `files` (name to content: the files nanocode owns) to a branch
   * of `repo` (`owner/name`), creating the repository if needed. Only these
   * files and `README.md`'s front matter change; every other file of the
   * branch stays as it is.
   *
   * @throws {Error} with one sentence: no token, rejected token, bad branch
   *   or tag name, existing tag, or what git reported.
   */
  async push(
    repo: string,
    files: Map<string, Uint8Array | string>,
    options: PushOptions = {},
  ): Promise<PushResult> {
    const id = parseRepoId(repo);
    const label = `${id.owner}/${id.name}`;
    const branch = options.branch ?? "main";
    checkBranch(branch);
    if (options.tag !== undefined) checkRevision(options.tag, "Tag name");
    for (const name of files.keys()) checkOwnedFileName(name);
    if (!this.#token) throw tokenMissing();
    const user = await this.whoami();
    await this.createRepo(id.owner, id.name, {
      private: options.private ?? true,
    });
    const dir = join(this.cacheDir, "nanocode", "staging", id.owner, id.name);
    const run = (...args: string[]) => this.#cache.run(dir, label, args);
    await this.#sync(dir, id, user.login);
    const tag = options.tag;
    if (tag !== undefined && await this.#cache.has(dir, `refs/tags/${tag}`)) {
      throw new Error(
        `Tag "${tag}" already exists in ${label}: choose a new tag name`,
      );
    }
    const start = await this.#cache.has(dir, `refs/remotes/origin/${branch}`)
      ? `refs/remotes/origin/${branch}`
      : await this.#cache.has(dir, "refs/remotes/origin/main")
      ? "refs/remotes/origin/main"
      : undefined;
    if (start) {
      await run("checkout", "-q", "-f", "-B", branch, start);
    } else {
      await run("checkout", "-q", "-f", "--orphan", branch);
      await run("read-tree", "--empty");
    }
    await run("clean", "-q", "-ffdx");
    await writeOwnedFiles(dir, files, options.frontMatter, id.name);
    await run("add", "-A");
    const status = await run("status", "--porcelain");
    const changed = status.trim() !== "";
    if (changed) {
      await this.#cache.run(
        dir,
        label,
        [
          "commit",
          "-q",
          "-m",
          options.commitMessage ?? "Update program with nanocode",
        ],
        {
          GIT_AUTHOR_NAME: user.full_name,
          GIT_AUTHOR_EMAIL: user.email,
          GIT_COMMITTER_NAME: user.full_name,
          GIT_COMMITTER_EMAIL: user.email,
        },
      );
    }
    const refs = [`refs/heads/${branch}:refs/heads/${branch}`];
    if (tag !== undefined) {
      await run("tag", tag);
      refs.push(`refs/tags/${tag}:refs/tags/${tag}`);
    }
    const pushed = await this.#git.run(
      ["push", "--porcelain", this.#remote(id, user.login), ...refs],
      dir,
    );
    if (!pushed.ok) {
      if (tag !== undefined) await this.#git.run(["tag", "-d", tag], dir);
      const text = pushed.stderr + pushed.stdout;
      if (tag !== undefined && /already exists/i.test(text)) {
        throw new Error(
          `Tag "${tag}" already exists in ${label}: choose a new tag name`,
        );
      }
      throw this.#cache.failure("push", label, text);
    }
    await run("update-ref", `refs/remotes/origin/${branch}`, "HEAD");
    const commit = (await run("rev-parse", "HEAD")).trim();
    return { repo: label, branch, commit, tag, changed };
  }

  /**
   * A local folder holding `id` at `rev`: a local path (starting with `.`,
   * `/` or `\`) is returned as it is; a hub id `owner/name` is cloned into
   * the cache (or refreshed there) and checked out at `rev`, a branch
   * (default `main`), a tag or a commit. A branch is refreshed with fetch
   * and `reset --hard`, so a cache that diverged from the hub follows it.
   *
   * @throws {TypeError} for an id that is neither a path nor `owner/name`.
   * @throws {Error} with one sentence when the repository or revision is not
   *   found, access is refused or the hub cannot be reached.
   */
  async fetchProgram(id: string, rev?: string): Promise<string> {
    if (isLocalPath(id)) return id;
    const repo = parseRepoId(id);
    const label = `${repo.owner}/${repo.name}`;
    const revision = rev ?? "main";
    checkRevision(revision);
    const dir = join(this.cacheDir, "nanocode", "repos", repo.owner, repo.name);
    const run = (...args: string[]) => this.#cache.run(dir, label, args);
    const fullSha = /^[0-9a-f]{40}$/i.test(revision);
    if (!(fullSha && await this.#cache.has(dir, `${revision}^{commit}`))) {
      const login = this.#token ? (await this.whoami()).login : undefined;
      await this.#sync(dir, repo, login);
    }
    const remoteBranch = `refs/remotes/origin/${revision}`;
    if (!fullSha && await this.#cache.has(dir, remoteBranch)) {
      await run("checkout", "-q", "-f", "-B", revision, remoteBranch);
      await run("reset", "-q", "--hard", remoteBranch);
    } else if (
      !fullSha && await this.#cache.has(dir, `refs/tags/${revision}`)
    ) {
      await run(
        "checkout",
        "-q",
        "-f",
        "--detach",
        `refs/tags/${revision}^{commit}`,
      );
    } else if (
      /^[0-9a-f]{4,40}$/i.test(revision) &&
      await this.#cache.has(dir, `${revision}^{commit}`)
    ) {
      await run("checkout", "-q", "-f", "--detach", `${revision}^{commit}`);
    } else {
      throw new Error(
        `Revision "${revision}" was not found in ${label}: give a branch, a tag or a commit of it`,
      );
    }
    await run("clean", "-q", "-ffdx");
    return dir;
  }

  /** The remote URL, with the credentials when `login` is given. */
  #remote(id: RepoId, login?: string): string {
    const url = new URL(this.gitUrl);
    url.pathname = `${
      url.pathname.replace(/\/+$/, "")
    }/${id.owner}/${id.name}.git`;
    if (login && this.#token) {
      url.username = login;
      url.password = this.#token;
    }
    return url.href;
  }

  /** Makes `dir` a fresh clone of `id` (see `RepoCache.sync`). */
  #sync(dir: string, id: RepoId, login?: string): Promise<void> {
    return this.#cache.sync(
      dir,
      `${id.owner}/${id.name}`,
      this.#remote(id),
      this.#remote(id, login),
    );
  }
}

/** The host of a hub URL; a malformed one is a clear error. */
function hostOf(url: string, what: string): string {
  try {
    const parsed = new URL(url);
    if (!/^https?:$/.test(parsed.protocol)) throw new TypeError("not http");
    return parsed.host;
  } catch {
    throw new TypeError(
      `The Modaic hub's ${what} URL "${url}" is not an http(s) URL: fix MODAIC_${what.toUpperCase()}_URL`,
    );
  }
}
