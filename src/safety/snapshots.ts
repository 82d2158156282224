/**
 * Snapshots of the workspace before each turn's first change, kept in a
 * shadow git store outside the workspace, so `/undo` can put the files back
 * as they were before the last turn.
 *
 * @module
 */

import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { findExecutable } from "../tools/context.ts";
import { ShadowGit, splitNul } from "./shadow_git.ts";

/**
 * Options of {@linkcode Snapshots}.
 *
 * @example
 * ```ts
 * const options: SnapshotsOptions = { workspace: ".", storeDir: "/home/me/.local/share/nanocode/snapshots/abc" };
 * ```
 */
export interface SnapshotsOptions {
  /** The folder whose files are snapshotted. */
  workspace: string;
  /** Where the shadow store lives; must not be inside the workspace. */
  storeDir: string;
  /** Path of `git`; default: found on `PATH`. `null`: snapshots unavailable. */
  git?: string | null;
  /**
   * New (untracked) files larger than this are left out of snapshots
   * (default {@linkcode DEFAULT_MAX_SNAPSHOT_FILE_BYTES}).
   */
  maxFileBytes?: number;
  /**
   * The environment git's `PATH` is taken from (default: this process's).
   * Nothing else of it reaches git: HOME, `GIT_*` and config variables are
   * replaced by private ones.
   */
  env?: Record<string, string>;
}

/**
 * What {@linkcode Snapshots.undo} did; paths are relative to the workspace
 * with `/` separators, sorted.
 *
 * @example
 * ```ts
 * const result: UndoResult = { turn: 3, restored: ["src/a.ts"], removed: ["tmp.txt"] };
 * ```
 */
export interface UndoResult {
  /** The turn whose changes were undone. */
  turn: number;
  /** Files put back (changed or deleted since the snapshot). */
  restored: string[];
  /** Files removed (created since the snapshot). */
  removed: string[];
}

/**
 * Size above which a new file is not snapshotted: 16 MiB.
 *
 * @example
 * ```ts
 * new Snapshots({ workspace, storeDir, maxFileBytes: DEFAULT_MAX_SNAPSHOT_FILE_BYTES * 4 });
 * ```
 */
export const DEFAULT_MAX_SNAPSHOT_FILE_BYTES = 16 * 1024 * 1024;

/** The branch of the shadow store holding every commit, in order. */
const BRANCH = "refs/heads/snapshots";

interface Entry {
  turn: number;
  commit: string;
}

/**
 * Workspace snapshots in a shadow git store (`<storeDir>/repo.git`, with
 * `--work-tree=<workspace>`), never the user's own repository. A snapshot
 * holds the workspace's files that are not ignored by its `.gitignore`
 * files (or the repository's `info/exclude`), plus every file the user's
 * repository tracks even if ignored; nested repositories and new files over
 * `maxFileBytes` are left out. Git runs with a private configuration: no
 * hooks, no signing, no system or global config (HOME is the store), no
 * line-ending conversion or filters. Calls run one at a time.
 *
 * @example
 * ```ts
 * import { Snapshots } from "./snapshots.ts";
 * const snapshots = new Snapshots({ workspace: "/ws", storeDir: "/data/snapshots/s1" });
 * await snapshots.ensure(1); // before the first change of turn 1
 * // ... the turn edits, deletes and creates files ...
 * const undone = await snapshots.undo(); // { turn: 1, restored: [...], removed: [...] }
 * ```
 */
export class Snapshots {
  /** Real path of the workspace. */
  readonly workspace: string;
  /** Absolute path of the store folder. */
  readonly storeDir: string;
  #git: ShadowGit | null;
  #stackFile: string;
  #maxFileBytes: number;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * Throws `RangeError` when `storeDir` is the workspace or inside it, and
   * `Deno.errors.NotFound` when the workspace does not exist.
   *
   * @example
   * ```ts
   * new Snapshots({ workspace: "/ws", storeDir: "/ws" }); // throws RangeError
   * ```
   */
  constructor(options: SnapshotsOptions) {
    this.workspace = Deno.realPathSync(resolve(options.workspace));
    this.storeDir = realish(resolve(options.storeDir));
    const rel = relative(this.workspace, this.storeDir);
    if (rel === "") {
      throw new RangeError(
        `Cannot keep snapshots in "${this.storeDir}": it is the workspace itself`,
      );
    }
    // A store below the workspace (nanocode run in the home folder, say) is
    // left out of its own snapshots.
    const inside = !rel.startsWith("..") && !isAbsolute(rel)
      ? rel.split(sep).join("/")
      : null;
    const env = options.env ?? Deno.env.toObject();
    const git = options.git === undefined
      ? findExecutable("git", env.PATH)
      : options.git;
    this.#git = git === null ? null : new ShadowGit({
      git,
      workspace: this.workspace,
      storeDir: this.storeDir,
      path: env.PATH ?? "/usr/bin:/bin",
      exclude: inside ? [`/${inside}/`] : [],
    });
    this.#stackFile = join(this.storeDir, "snapshots.json");
    this.#maxFileBytes = options.maxFileBytes ??
      DEFAULT_MAX_SNAPSHOT_FILE_BYTES;
  }

  /**
   * Whether snapshots can be taken (git was found).
   *
   * @example
   * ```ts
   * if (!snapshots.available()) console.log("install git to enable /undo");
   * ```
   */
  available(): boolean {
    return this.#git !== null;
  }

  /**
   * Snapshots the workspace unless the latest snapshot not yet undone is
   * already for `turn` (so only the first call of a turn commits). Does
   * nothing when git is unavailable. Throws an `Error` naming the git
   * command when git fails.
   *
   * @example
   * ```ts
   * await snapshots.ensure(2);
   * await snapshots.ensure(2); // no second snapshot
   * ```
   */
  ensure(turn: number): Promise<void> {
    return this.#serial(async () => {
      const git = this.#git;
      if (!git) return;
      const stack = await this.#readStack();
      if (stack.length > 0 && stack[stack.length - 1].turn === turn) return;
      const commit = await this.#commit(git, `turn ${turn}`);
      stack.push({ turn, commit });
      await this.#writeStack(stack);
    });
  }

  /**
   * Puts the workspace back as it was at the latest snapshot not yet undone:
   * files changed or deleted since are restored (content and mode), files
   * created since are removed (ignored files are left alone), then that
   * snapshot is dropped, so the next call goes one turn further back. The
   * current state is committed to the store first, so nothing is lost.
   * Resolves with `null` when there is nothing to undo.
   *
   * @example
   * ```ts
   * const undone = await snapshots.undo();
   * if (undone) console.log(`undid turn ${undone.turn}: ${undone.restored.length} restored`);
   * ```
   */
  undo(): Promise<UndoResult | null> {
    return this.#serial(async () => {
      const git = this.#git;
      if (!git) return null;
      const stack = await this.#readStack();
      const top = stack[stack.length - 1];
      if (!top) return null;
      const current = await this.#commit(
        git,
        `before undo of turn ${top.turn}`,
      );
      const changes = splitNul(
        await git.run([
          "diff-tree",
          "-r",
          "-z",
          "--no-renames",
          "--name-status",
          top.commit,
          current,
        ]),
      );
      const restored: string[] = [];
      const removed: string[] = [];
      for (let i = 0; i + 1 < changes.length; i += 2) {
        (changes[i] === "A" ? removed : restored).push(changes[i + 1]);
      }
      await git.run(["read-tree", "--reset", "-u", top.commit]);
      stack.pop();
      await this.#writeStack(stack);
      return {
        turn: top.turn,
        restored: restored.sort(),
        removed: removed.sort(),
      };
    });
  }

  /**
   * The turns that can be undone, oldest first.
   *
   * @example
   * ```ts
   * await snapshots.turns(); // [1, 2]
   * ```
   */
  turns(): Promise<number[]> {
    return this.#serial(async () =>
      (await this.#readStack()).map((entry) => entry.turn)
    );
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Stages the workspace in the shadow index and commits it; returns the commit. */
  async #commit(git: ShadowGit, message: string): Promise<string> {
    await git.init();
    await git.run(["add", "-u"]);
    const others = splitNul(
      await git.run(["ls-files", "-z", "--others", "--exclude-standard"]),
    );
    await addPaths(git, await this.#smallFiles(others), false);
    await addPaths(git, await this.#userTrackedMissing(git), true);
    const tree = text(await git.run(["write-tree"]));
    const head = await git.tryRun(["rev-parse", "--verify", "-q", BRANCH]);
    const parent = head.code === 0 ? ["-p", text(head.stdout)] : [];
    const commit = text(
      await git.run(["commit-tree", tree, ...parent, "-m", message]),
    );
    await git.run(["update-ref", BRANCH, commit]);
    return commit;
  }

  /** Untracked candidates that are files (not nested repositories) within the size cap. */
  async #smallFiles(paths: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const path of paths) {
      if (path.endsWith("/")) continue;
      try {
        const info = await Deno.lstat(join(this.workspace, path));
        if (info.isDirectory) continue;
        if (info.isFile && info.size > this.#maxFileBytes) continue;
        out.push(path);
      } catch {
        // gone, or a name this platform cannot spell; leave it out
      }
    }
    return out;
  }

  /**
   * Files the user's repository tracks that are on disk but not in the
   * shadow index (they match an ignore pattern): to add with `--force`.
   */
  async #userTrackedMissing(git: ShadowGit): Promise<string[]> {
    const user = await git.inWorkspace(["ls-files", "-z"]);
    if (user.code !== 0) return [];
    const tracked = splitNul(user.stdout);
    if (tracked.length === 0) return [];
    const staged = new Set(splitNul(await git.run(["ls-files", "-z"])));
    const missing: string[] = [];
    for (const path of tracked) {
      if (staged.has(path)) continue;
      try {
        const info = await Deno.lstat(join(this.workspace, path));
        if (!info.isDirectory) missing.push(path);
      } catch {
        // deleted in the workspace
      }
    }
    return missing;
  }

  async #readStack(): Promise<Entry[]> {
    try {
      const data = JSON.parse(await Deno.readTextFile(this.#stackFile));
      const stack: unknown[] = Array.isArray(data?.stack) ? data.stack : [];
      return stack.filter(isEntry);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
  }

  async #writeStack(stack: Entry[]): Promise<void> {
    await Deno.mkdir(this.storeDir, { recursive: true });
    const temp = `${this.#stackFile}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    await Deno.writeTextFile(temp, JSON.stringify({ stack }) + "\n");
    await Deno.rename(temp, this.#stackFile);
  }
}

function isEntry(value: unknown): value is Entry {
  const entry = value as Partial<Entry> | null;
  return typeof entry?.turn === "number" &&
    typeof entry.commit === "string" && /^[0-9a-f]{40,64}$/.test(entry.commit);
}

/** `path` with symlinks resolved in its deepest existing ancestor. */
function realish(path: string): string {
  let rest = "";
  let current = path;
  while (true) {
    try {
      return join(Deno.realPathSync(current), rest);
    } catch {
      const parent = resolve(current, "..");
      if (parent === current) return path;
      rest = join(relative(parent, current), rest);
      current = parent;
    }
  }
}

async function addPaths(
  git: ShadowGit,
  paths: string[],
  force: boolean,
): Promise<void> {
  if (paths.length === 0) return;
  await git.run(
    [
      "add",
      ...(force ? ["--force"] : []),
      "--pathspec-from-file=-",
      "--pathspec-file-nul",
    ],
    new TextEncoder().encode(paths.join("\0") + "\0"),
  );
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).trim();
}
