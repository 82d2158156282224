/**
 * Finding what a sandboxed command must not see or change: secret files
 * and folders (by the policy's own secret test), sockets and named pipes
 * (ways to processes outside), git folders and their configs, and
 * `.nanocode/` folders, in the workspace and the home folder (five levels
 * deep, caches and dependency folders left out).
 * Folder listings are cached by modification time, so a scan before each
 * command costs one `stat` per folder once the tree is known.
 *
 * @module
 */

import { isWithin } from "../policy/classify.ts";
import { gitConfigFiles } from "./git_config.ts";

/** Where to look and how to judge a path. */
export interface SecretScanOptions {
  /** Workspace folders, walked completely. */
  roots: readonly string[];
  /** The home folder: its files, and its dot folders down to `homeDepth`. */
  home: string;
  /** nanocode's own folders: masked whole, never walked. */
  protectedDirs: readonly string[];
  /** Why a path looks secret, or `undefined` (the policy's test). */
  secretReason(path: string): string | undefined;
  /**
   * Levels of the home folder to look at (default 5: `~/.config/gh/hosts.yml`,
   * `~/src/github.com/org/app/.env`); caches and dependency folders in it
   * are skipped.
   */
  homeDepth?: number;
  /** Most workspace folders one scan lists (default 100,000); the rest is left unscanned. */
  maxDirs?: number;
  /** Most home folders one scan lists (default 20,000), counted apart from the workspace's. */
  maxHomeDirs?: number;
  /** Paths masked whenever they exist, wherever the walk got to (`~/.ssh`, `~/.aws`, ...). */
  alwaysMask?: readonly string[];
}

/** What one scan found; every list sorted. */
export interface SecretScan {
  /** `.git` folders and files. */
  gitDirs: string[];
  /** `.nanocode` folders in the workspace. */
  ownDirs: string[];
  /**
   * Everything in the workspace a later session reads as project settings:
   * whatever is named `.nanocode` (folders, symlinks, files) or `.mcp.json`.
   */
  ownEntries: string[];
  /** Secret files (real paths). */
  maskFiles: string[];
  /** Secret folders and nanocode's own folders (real paths). */
  maskDirs: string[];
  /** Git config files that may hold credentials (the workspace's, the user's, other projects' in the home folder). */
  gitConfigs: string[];
  /** The folder limit was reached; part of the tree was not scanned. */
  truncated: boolean;
}

/** What a folder entry means for the sandbox, decided once per listing. */
type Action =
  | "git"
  | "homeGit"
  | "own"
  | "ownOther"
  | "ownMasked"
  | "maskFile"
  | "maskDir"
  | "link"
  | "descend";

/** One folder waiting to be listed. */
interface Visit {
  dir: string;
  depth: number;
  /** Levels below the start that are looked at. */
  limit: number;
  /** Part of the home folder's walk (not a workspace root's). */
  home: boolean;
}

interface Listing {
  mtime: number;
  /** The entries that matter, with what to do about each. */
  actions: { path: string; action: Action }[];
  /** Modified long enough before it was listed that a same-millisecond change cannot hide. */
  settled: boolean;
}

/** Kernel file systems a workspace of `/` must not be walked into (the sandbox mounts its own). */
const VIRTUAL = new Set(["/proc", "/sys", "/dev"]);

/** Folders of the home folder not looked into: caches, toolchains and dependencies, not credentials. */
const HOME_SKIP = new Set([
  ".cache",
  ".npm",
  ".rustup",
  ".pyenv",
  ".nvm",
  ".m2",
  ".gradle",
  ".deno",
  ".bun",
  ".vscode-server",
  "node_modules",
  "site-packages",
  "__pycache__",
  ".venv",
  "venv",
  "target",
]);

/** The user's own git configs, relative to the home folder. */
const HOME_GIT_CONFIGS = [".gitconfig", ".config/git/config"];

/** A listing younger than this is read again next time (mtime has millisecond precision). */
const SETTLE_MS = 2000;

/**
 * Scans for secrets before each command, reusing folder listings whose
 * modification time did not change.
 *
 * @example
 * ```ts ignore
 * import { secretReason } from "../policy/classify.ts";
 * const scanner = new SecretScanner({
 *   roots: ["/w"], home: "/h", protectedDirs: [],
 *   secretReason: (p) => secretReason(p, { home: "/h", protectedDirs: [] }),
 * });
 * scanner.scan().maskFiles; // ["/w/.env", "/h/.npmrc"]
 * ```
 */
export class SecretScanner {
  readonly #options: SecretScanOptions;
  #cache = new Map<string, Listing>();
  /** Secrets found by earlier scans: still masked while they exist, even past the folder limit. */
  #known = new Map<string, "file" | "dir">();

  /** Takes where to look; nothing is read yet. */
  constructor(options: SecretScanOptions) {
    this.#options = options;
  }

  /** Scans the workspace and the home folder now. */
  scan(): SecretScan {
    const options = this.#options;
    const found: SecretScan = {
      gitDirs: [],
      ownDirs: [],
      ownEntries: [],
      maskFiles: [],
      maskDirs: [],
      gitConfigs: [],
      truncated: false,
    };
    const next = new Map<string, Listing>();
    const holdsRoot = (dir: string) =>
      options.roots.some((root) => isWithin(root, dir));
    const maskDir = (dir: string) => {
      if (!holdsRoot(dir)) found.maskDirs.push(dir);
    };
    for (const dir of options.protectedDirs) {
      if (exists(dir)) maskDir(dir);
    }

    // Breadth first: when the folder limit is reached, what is left
    // unscanned is the deepest part of the tree (dependencies, build
    // output), not a project's own folders. The home folder has a limit of
    // its own, so a huge workspace cannot starve it.
    const workspace: Visit[] = options.roots.map((root) => ({
      dir: root,
      depth: 0,
      limit: Infinity,
      home: false,
    }));
    const homeQueue: Visit[] = [];
    const home = options.home;
    if (home !== "/" && !options.roots.some((root) => isWithin(home, root))) {
      const limit = options.homeDepth ?? 5;
      homeQueue.push({ dir: home, depth: 0, limit, home: true });
      found.gitConfigs.push(...HOME_GIT_CONFIGS.map((p) => `${home}/${p}`));
    }
    const walks: [Visit[], number][] = [
      [workspace, options.maxDirs ?? 100_000],
      [homeQueue, options.maxHomeDirs ?? 20_000],
    ];
    for (const [queue, limit] of walks) {
      this.#walk(queue, limit, found, next, maskDir);
    }
    // What was secret before and is still there stays masked, whether or
    // not this walk got to it (a command may flood the tree past the limit).
    for (const path of options.alwaysMask ?? []) {
      const kind = kindOf(path);
      if (kind === "file") found.maskFiles.push(path);
      else if (kind === "dir") maskDir(path);
    }
    if (found.truncated) {
      for (const [path, was] of this.#known) {
        if (kindOf(path) !== was) this.#known.delete(path);
        else if (was === "file") found.maskFiles.push(path);
        else maskDir(path);
      }
    }
    this.#cache = next;
    for (const list of Object.values(found)) {
      if (Array.isArray(list)) list.sort();
    }
    found.maskFiles = [...new Set(found.maskFiles)];
    found.maskDirs = [...new Set(found.maskDirs)];
    found.gitConfigs = [...new Set(found.gitConfigs)];
    // A complete walk knows every secret; a cut-short one adds to what was known.
    if (!found.truncated) this.#known.clear();
    for (const path of found.maskFiles) this.#known.set(path, "file");
    for (const path of found.maskDirs) this.#known.set(path, "dir");
    return found;
  }

  /** Lists the folders of `queue` (growing it) up to `limit` listings. */
  #walk(
    queue: Visit[],
    limit: number,
    found: SecretScan,
    next: Map<string, Listing>,
    maskDir: (dir: string) => void,
  ): void {
    for (let i = 0; i < queue.length; i++) {
      const { dir, depth, limit: levels, home } = queue[i];
      if (i >= limit) {
        found.truncated = true;
        break;
      }
      const key = `${home ? "h" : "w"}:${dir}`;
      const listing = this.#list(dir, key, home);
      if (!listing) continue;
      next.set(key, listing);
      for (const { path, action } of listing.actions) {
        switch (action) {
          case "git":
            found.gitDirs.push(path);
            found.gitConfigs.push(...gitConfigFiles(path));
            break;
          case "homeGit":
            found.gitConfigs.push(...gitConfigFiles(path));
            break;
          case "own":
            found.ownDirs.push(path);
            found.ownEntries.push(path);
            break;
          case "ownOther":
            found.ownEntries.push(path);
            break;
          case "ownMasked":
            found.ownEntries.push(path);
            found.maskFiles.push(path);
            break;
          case "maskFile":
            found.maskFiles.push(path);
            break;
          case "maskDir":
            maskDir(path);
            break;
          case "link":
            this.#maskLinkTarget(path, found, maskDir);
            break;
          default:
            if (depth + 1 < levels) {
              queue.push({ dir: path, depth: depth + 1, limit: levels, home });
            }
        }
      }
    }
  }

  /** A secret-looking symlink: mask what it points at (when that exists). */
  #maskLinkTarget(
    path: string,
    found: SecretScan,
    maskDir: (dir: string) => void,
  ): void {
    if (
      this.#options.secretReason(path) === undefined &&
      this.#options.secretReason(`${path}/_`) === undefined
    ) return;
    try {
      const real = Deno.realPathSync(path);
      const info = Deno.statSync(real);
      if (info.isFile) found.maskFiles.push(real);
      else if (info.isDirectory) maskDir(real);
    } catch {
      // dangling: nothing to read through it
    }
  }

  /** The folder's classified entries, from the cache while its mtime holds. */
  #list(dir: string, key: string, home: boolean): Listing | null {
    let mtime: number;
    try {
      const info = Deno.statSync(dir);
      if (!info.isDirectory) return null;
      mtime = info.mtime?.getTime() ?? NaN;
    } catch {
      return null;
    }
    const cached = this.#cache.get(key);
    if (cached && cached.settled && cached.mtime === mtime) return cached;
    const actions: Listing["actions"] = [];
    try {
      for (const entry of Deno.readDirSync(dir)) {
        const path = dir === "/" ? `/${entry.name}` : `${dir}/${entry.name}`;
        const action = this.#classify(path, entry, home);
        if (action) actions.push({ path, action });
      }
    } catch {
      return null;
    }
    const settled = Number.isFinite(mtime) && Date.now() - mtime > SETTLE_MS;
    return { mtime, actions, settled };
  }

  #classify(
    path: string,
    entry: Deno.DirEntry,
    home: boolean,
  ): Action | null {
    const { name } = entry;
    const options = this.#options;
    if (VIRTUAL.has(path)) return null;
    if (options.protectedDirs.some((p) => isWithin(path, p))) return null;
    if (home && options.roots.some((root) => isWithin(path, root))) {
      return null;
    }
    if (name === ".git" && (entry.isDirectory || entry.isFile)) {
      return home ? "homeGit" : "git";
    }
    if (!home && name === ".nanocode") {
      return entry.isDirectory ? "own" : "ownOther";
    }
    // MCP servers a later session would start: read-only and hidden (they
    // may hold tokens), and a new one is noticed.
    if (!home && name === ".mcp.json") {
      return entry.isFile ? "ownMasked" : "ownOther";
    }
    if (entry.isSymlink) return "link";
    if (entry.isDirectory) {
      if (options.secretReason(`${path}/_`) !== undefined) return "maskDir";
      return home && HOME_SKIP.has(name) ? null : "descend";
    }
    if (entry.isFile) {
      return options.secretReason(path) !== undefined ? "maskFile" : null;
    }
    // A socket or a named pipe: a way to a process outside the sandbox.
    return isSpecial(path) ? "maskFile" : null;
  }
}

function kindOf(path: string): "file" | "dir" | null {
  try {
    const info = Deno.lstatSync(path);
    return info.isDirectory ? "dir" : info.isSymlink ? null : "file";
  } catch {
    return null;
  }
}

function isSpecial(path: string): boolean {
  try {
    const info = Deno.lstatSync(path);
    return info.isSocket === true || info.isFifo === true;
  } catch {
    return false;
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
