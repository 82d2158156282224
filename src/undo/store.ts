/**
 * The snapshot store of one workspace: takes snapshots (the workspace's
 * files, its `.git` folder and its large files, as one commit of a shadow
 * repository) and reads them back.
 *
 * @module
 */

import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { RepoFolder } from "./git_dir.ts";
import { keepLarge, type LargeManifest } from "./large_files.ts";
import { type ScanLimits, scanWorkspace } from "./scan.ts";
import { ShadowGit, splitNul, text } from "./shadow_git.ts";
import { stagePaths } from "./stage.ts";

/**
 * Options of {@linkcode SnapshotStore}.
 *
 * @example
 * ```ts ignore
 * const options: StoreOptions = { workspace: "/ws", storeDir: "/data/s1", git: "/usr/bin/git", path: "/usr/bin", limits, copyBudget: 1 << 30, signal };
 * ```
 */
export interface StoreOptions {
  /** Real path of the workspace. */
  workspace: string;
  /** Absolute path of the store (not the workspace itself). */
  storeDir: string;
  /** Path of `git`. */
  git: string;
  /** `PATH` for git. */
  path: string;
  limits: ScanLimits;
  /** Bytes a snapshot may copy when links cannot be made. */
  copyBudget: number;
  /** Kills running git commands when it aborts (closing the agent). */
  signal?: AbortSignal;
}

/**
 * One changed path between two snapshots (`mode` `000000` and the zero id
 * mean absent on that side). Paths are workspace-relative; the
 * repository's own files are `.git/...`.
 *
 * @example
 * ```ts
 * const change: RawChange = { fromMode: "100644", toMode: "000000", from: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", to: "0000000000000000000000000000000000000000" };
 * ```
 */
export interface RawChange {
  fromMode: string;
  toMode: string;
  from: string;
  to: string;
}

/**
 * What a snapshot records besides trees: its large files, and what it
 * left out although it was there (folders end in `/`).
 *
 * @example
 * ```ts
 * const info: SnapshotInfo = { large: {}, holes: ["node_modules/"], private: [".env"] };
 * ```
 */
export interface SnapshotInfo {
  large: LargeManifest;
  holes: string[];
  /** Files only their owner could read (restored so again). */
  private: string[];
}

/** The ref naming the newest snapshot (it keeps the indexes' objects alive). */
export const LATEST_REF = "refs/nanocode/latest";

/**
 * Snapshots of one workspace in `<storeDir>`: `repo.git` (a bare shadow
 * repository), `meta.index` (stat cache of `.git`), `git-objects/`
 * (mirrored object files), `large/` (large files). Callers hold the store
 * lock around every call.
 *
 * @example
 * ```ts ignore
 * const store = new SnapshotStore(options);
 * const commit = await store.capture("turn 1", "refs/sessions/abc");
 * ```
 */
export class SnapshotStore {
  /** The runner over the workspace. */
  readonly git: ShadowGit;
  /** The workspace's `.git` folder. */
  readonly repo: RepoFolder;
  readonly options: StoreOptions;
  /** Folder prefixes never scanned (the store, when inside the workspace). */
  #skip: string[];
  #tooBig = new Set<string>();
  #ready: ShadowGit | null = null;
  /** Files only their owner may read, as of the last snapshot. */
  #private = new Set<string>();

  /** Sets up the runners; nothing runs yet. */
  constructor(options: StoreOptions) {
    this.options = options;
    const rel = relative(options.workspace, options.storeDir);
    const inside = !rel.startsWith("..") && !isAbsolute(rel)
      ? rel.split(sep).join("/")
      : null;
    this.#skip = inside ? [`${inside}/`] : [];
    this.git = new ShadowGit({
      git: options.git,
      workTree: options.workspace,
      storeDir: options.storeDir,
      path: options.path,
      signal: options.signal,
    });
    this.repo = new RepoFolder(
      this.git,
      options.workspace,
      options.storeDir,
      options.limits.maxFileBytes,
      options.copyBudget,
    );
  }

  /**
   * Takes a snapshot: stages what changed since the last one, keeps large
   * files and the repository folder, and commits the whole as a child of
   * `ref` (then moved to it). Resolves with the commit id.
   */
  async capture(message: string, ref: string | null): Promise<string> {
    const git = await this.#init();
    let files: { tree: string; large: string[]; holes: string[] };
    try {
      files = await this.#stageWorkspace(git);
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      // An index whose objects were pruned (or damaged): start it afresh.
      await Deno.remove(join(git.gitDir, "index")).catch(() => {});
      files = await this.#stageWorkspace(git);
    }
    const repo = await this.repo.snapshot();
    const large = await keepLarge(
      this.options.workspace,
      this.options.storeDir,
      files.large,
      this.options.copyBudget,
    );
    const holes = [
      ...files.holes,
      ...files.large.filter((p) => !large[p]),
      ...repo?.holes ?? [],
    ];
    const info: SnapshotInfo = { large, holes, private: [...this.#private] };
    const blob = text(
      await git.run(
        ["hash-object", "-w", "--stdin"],
        new TextEncoder().encode(JSON.stringify(info)),
      ),
    );
    const entries = [
      `040000 tree ${files.tree}\tfiles`,
      `100644 blob ${blob}\tsnapshot.json`,
    ];
    if (repo) entries.push(`040000 tree ${repo.tree}\tgit`);
    const root = text(
      await git.run(
        ["mktree", "-z"],
        new TextEncoder().encode(entries.map((e) => `${e}\0`).join("")),
      ),
    );
    const parent = ref
      ? await git.tryRun(["rev-parse", "--verify", "-q", ref])
      : null;
    const parents = parent?.code === 0 ? ["-p", text(parent.stdout)] : [];
    const commit = text(
      await git.run(["commit-tree", root, ...parents, "-m", message]),
    );
    if (ref) await git.run(["update-ref", ref, commit]);
    await git.run(["update-ref", LATEST_REF, commit]);
    return commit;
  }

  async #stageWorkspace(
    git: ShadowGit,
  ): Promise<{ tree: string; large: string[]; holes: string[] }> {
    const found = await scanWorkspace(
      git,
      this.options.limits,
      this.#skip,
      this.#tooBig,
    );
    const staged = await stagePaths(git, found.paths, this.options.limits);
    for (const [path, owner] of staged.privacy) {
      if (owner) this.#private.add(path);
      else this.#private.delete(path);
    }
    return {
      tree: text(await git.run(["write-tree"])),
      large: staged.large,
      holes: [...found.holes, ...staged.holes],
    };
  }

  /**
   * The paths that differ between two snapshots (repository files as
   * `.git/...`; large files are compared through their manifests).
   */
  async diff(a: string, b: string): Promise<Map<string, RawChange>> {
    const out = splitNul(
      await this.git.run(["diff-tree", "-r", "-z", "--no-renames", a, b]),
    );
    const changes = new Map<string, RawChange>();
    for (let i = 0; i + 1 < out.length; i += 2) {
      const [fromMode, toMode, from, to] = out[i].slice(1).split(" ");
      const path = displayPath(out[i + 1]);
      if (path !== null) changes.set(path, { fromMode, toMode, from, to });
    }
    return changes;
  }

  /** The large files and the holes of a snapshot. */
  async info(commit: string): Promise<SnapshotInfo> {
    const blob = await this.git.tryRun([
      "cat-file",
      "blob",
      `${commit}:snapshot.json`,
    ]);
    try {
      const data = JSON.parse(new TextDecoder().decode(blob.stdout));
      return {
        large: data.large ?? {},
        holes: data.holes ?? [],
        private: data.private ?? [],
      };
    } catch {
      return { large: {}, holes: [], private: [] };
    }
  }

  /** The root tree of a commit. */
  async tree(commit: string): Promise<string> {
    return text(await this.git.run(["rev-parse", `${commit}^{tree}`]));
  }

  /** Whether a snapshot holds the repository folder. */
  async hasRepo(commit: string): Promise<boolean> {
    const out = await this.git.tryRun(["cat-file", "-t", `${commit}:git`]);
    return out.code === 0;
  }

  /** Contents of blobs, by id (one `cat-file --batch`). */
  async blobs(ids: string[]): Promise<Map<string, Uint8Array>> {
    const unique = [...new Set(ids)];
    const out = await this.git.run(
      ["cat-file", "--batch"],
      new TextEncoder().encode(unique.map((id) => `${id}\n`).join("")),
    );
    const blobs = new Map<string, Uint8Array>();
    let at = 0;
    for (const id of unique) {
      const end = out.indexOf(10, at);
      const header = new TextDecoder().decode(out.subarray(at, end)).split(" ");
      if (header[1] === "missing") {
        at = end + 1;
        continue;
      }
      const size = Number(header[2]);
      blobs.set(id, out.slice(end + 1, end + 1 + size));
      at = end + 1 + size + 1;
    }
    return blobs;
  }

  async #init(): Promise<ShadowGit> {
    if (this.#ready) return this.#ready;
    await ShadowGit.initStore(this.git, this.#skip.map((p) => `/${p}`));
    const exclude = await userExclude(this.options.workspace, this.git);
    const latest = await this.git.tryRun([
      "rev-parse",
      "--verify",
      "-q",
      LATEST_REF,
    ]);
    if (latest.code === 0) {
      this.#private = new Set((await this.info(text(latest.stdout))).private);
    }
    this.#ready = this.git.with({ excludesFile: exclude });
    return this.#ready;
  }
}

/** `files/a` is `a`; `git/HEAD` is `.git/HEAD`; anything else is not a path. */
function displayPath(stored: string): string | null {
  if (stored.startsWith("files/")) return stored.slice(6);
  if (stored.startsWith("git/")) return `.git/${stored.slice(4)}`;
  return null;
}

/**
 * Where a path shown by {@linkcode SnapshotStore.diff} is stored in a
 * snapshot's tree.
 *
 * @example
 * ```ts
 * storedPath(".git/HEAD"); // "git/HEAD"
 * ```
 */
export function storedPath(path: string): string {
  return path.startsWith(".git/") ? `git/${path.slice(5)}` : `files/${path}`;
}

/** The `info/exclude` of the user's repository, when the workspace is in one. */
async function userExclude(
  workspace: string,
  git: ShadowGit,
): Promise<string | null> {
  const result = await git.inWorkTree([
    "rev-parse",
    "--git-path",
    "info/exclude",
  ]);
  if (result.code !== 0) return null;
  const path = resolve(workspace, text(result.stdout));
  try {
    return (await Deno.stat(path)).isFile ? path : null;
  } catch {
    return null;
  }
}
