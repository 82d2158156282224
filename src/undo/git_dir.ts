/**
 * The workspace's own repository (`<workspace>/.git`) in snapshots: its
 * small files (HEAD, refs, packed-refs, index, logs, stash, config) in a
 * second shadow index, its object files mirrored by hard link (they never
 * change once written), so `rm -rf .git` or `git reset --hard` can be
 * undone.
 *
 * @module
 */

import { join } from "node:path";
import { type ShadowGit, splitNul, text } from "./shadow_git.ts";
import { stagePaths } from "./stage.ts";

/** What the second index leaves out of the repository folder. */
const META_EXCLUDE = [
  "/objects/", // mirrored by link instead
  "/lfs/", // Git LFS contents: large files, not history
  "/modules/**/objects/",
  "*.lock", // a lock put back would block git
].join("\n") + "\n";

/** Object files worth mirroring (immutable once written). */
const OBJECT_FILE =
  /^([0-9a-f]{38,62}|pack-[0-9a-f]{40,64}\.(pack|idx|rev|mtimes))$/;

/**
 * The repository folder of a workspace, in and out of snapshots.
 *
 * @example
 * ```ts ignore
 * const repo = new RepoFolder(git, "/ws", "/data/s1", 16 << 20);
 * const tree = await repo.snapshot(); // null when there is no .git folder
 * ```
 */
export class RepoFolder {
  /** `<workspace>/.git`. */
  readonly gitDir: string;
  #git: ShadowGit;
  #mirror: string;
  #maxFileBytes: number;
  #copyBudget: number;
  /** Mtime of each object folder when last mirrored. */
  #seen = new Map<string, number>();
  /** Names mirrored per object folder. */
  #mirrored = new Map<string, Set<string>>();

  /**
   * Uses `git` (the workspace's shadow runner) with the repository folder
   * as work tree and `<storeDir>/meta.index` as index.
   */
  constructor(
    git: ShadowGit,
    workspace: string,
    storeDir: string,
    maxFileBytes: number,
    copyBudget: number,
  ) {
    this.gitDir = join(workspace, ".git");
    this.#git = git.with({
      workTree: this.gitDir,
      indexFile: join(storeDir, "meta.index"),
      excludesFile: join(storeDir, "meta-exclude"),
    });
    this.#mirror = join(storeDir, "git-objects");
    this.#maxFileBytes = maxFileBytes;
    this.#copyBudget = copyBudget;
  }

  /** Whether the workspace has a `.git` folder (not a file or link). */
  present(): boolean {
    try {
      return Deno.lstatSync(this.gitDir).isDirectory;
    } catch {
      return false;
    }
  }

  /** The runner whose work tree is the repository folder. */
  get git(): ShadowGit {
    return this.#git;
  }

  /**
   * Stages the repository's files and mirrors its objects; resolves with
   * the tree of its files and what was left out (as `.git/...` paths), or
   * `null` when there is no `.git` folder.
   */
  async snapshot(): Promise<{ tree: string; holes: string[] } | null> {
    if (!this.present()) return null;
    await Deno.writeTextFile(this.#git.options.excludesFile!, META_EXCLUDE);
    let result: { tree: string; holes: string[] };
    try {
      result = await this.#stageAll();
    } catch (error) {
      if (this.#git.options.signal?.aborted) throw error;
      // An index whose objects were pruned (or damaged): start it afresh.
      await Deno.remove(this.#git.options.indexFile!).catch(() => {});
      result = await this.#stageAll();
    }
    await this.syncObjects();
    return result;
  }

  async #stageAll(): Promise<{ tree: string; holes: string[] }> {
    const [changed, others] = await Promise.all([
      this.#git.run(["diff-files", "-z", "--name-only", "--no-renames"]),
      this.#git.run(["ls-files", "-z", "--others", "--exclude-standard"]),
    ]);
    const paths = [...splitNul(changed), ...splitNul(others)];
    // Nested folders git will not look into (a repository of its own).
    const holes = paths.filter((p) => p.endsWith("/")).map((p) => `.git/${p}`);
    const staged = await stagePaths(
      this.#git,
      paths.filter((p) => !p.endsWith("/")),
      { maxFileBytes: this.#maxFileBytes, maxLargeFiles: 0 },
    );
    holes.push(...staged.holes.map((p) => `.git/${p}`));
    return { tree: text(await this.#git.run(["write-tree"])), holes };
  }

  /** Links object files the mirror lacks into it (copies when links fail, within the budget). */
  async syncObjects(): Promise<void> {
    const objects = join(this.gitDir, "objects");
    let copied = 0;
    let folders: string[];
    try {
      folders = [...Deno.readDirSync(objects)]
        .filter((e) => e.isDirectory && /^([0-9a-f]{2}|pack)$/.test(e.name))
        .map((e) => e.name);
    } catch {
      return;
    }
    for (const folder of folders) {
      const source = join(objects, folder);
      let mtime: number;
      try {
        mtime = Deno.statSync(source).mtime?.getTime() ?? -1;
      } catch {
        continue;
      }
      if (this.#seen.get(folder) === mtime) continue;
      const mirrored = this.#mirroredIn(folder);
      const target = join(this.#mirror, folder);
      await Deno.mkdir(target, { recursive: true, mode: 0o700 });
      let complete = true;
      for (const entry of Deno.readDirSync(source)) {
        if (!entry.isFile || mirrored.has(entry.name)) continue;
        if (!OBJECT_FILE.test(entry.name)) continue;
        const from = join(source, entry.name);
        const to = join(target, entry.name);
        try {
          await Deno.link(from, to);
        } catch (error) {
          if (error instanceof Deno.errors.AlreadyExists) {
            mirrored.add(entry.name);
            continue;
          }
          const size = (await Deno.lstat(from).catch(() => null))?.size ?? 0;
          if (copied + size > this.#copyBudget) {
            complete = false;
            continue;
          }
          try {
            await Deno.copyFile(from, to);
            copied += size;
          } catch {
            complete = false;
            continue;
          }
        }
        mirrored.add(entry.name);
      }
      if (complete) this.#seen.set(folder, mtime);
    }
  }

  /**
   * Puts back object files the repository lacks (after `rm -rf .git` or a
   * `gc` that pruned what a restored ref needs); resolves with how many.
   */
  async restoreObjects(): Promise<number> {
    let restored = 0;
    let folders: string[];
    try {
      folders = [...Deno.readDirSync(this.#mirror)].map((e) => e.name);
    } catch {
      return 0;
    }
    for (const folder of folders) {
      const target = join(this.gitDir, "objects", folder);
      await Deno.mkdir(target, { recursive: true });
      const present = new Set(
        [...Deno.readDirSync(target)].map((e) => e.name),
      );
      for (const name of this.#mirroredIn(folder)) {
        if (present.has(name)) continue;
        const from = join(this.#mirror, folder, name);
        const to = join(target, name);
        try {
          await Deno.link(from, to);
        } catch {
          await Deno.copyFile(from, to);
          await Deno.chmod(to, 0o444);
        }
        restored++;
      }
    }
    // The folder listings changed: mirror them again next time.
    this.#seen.clear();
    return restored;
  }

  #mirroredIn(folder: string): Set<string> {
    let names = this.#mirrored.get(folder);
    if (!names) {
      names = new Set();
      try {
        for (const entry of Deno.readDirSync(join(this.#mirror, folder))) {
          names.add(entry.name);
        }
      } catch {
        // nothing mirrored yet
      }
      this.#mirrored.set(folder, names);
    }
    return names;
  }

  /** Forgets what it knows of the mirror (after pruning removed files). */
  forgetMirror(): void {
    this.#seen.clear();
    this.#mirrored.clear();
  }
}
