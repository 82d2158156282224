/**
 * Finding what a sandboxed command must not see or change: secret files
 * and folders (by the policy's own secret test), git folders and
 * `.nanocode/` folders, in the workspace and the home folder's dot folders.
 * Folder listings are cached by modification time, so a scan before each
 * command costs one `stat` per folder once the tree is known.
 *
 * @module
 */

import { isWithin } from "../policy/classify.ts";

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
  /** Levels of the home folder to look at (default 3: `~/.config/gh/hosts.yml`). */
  homeDepth?: number;
  /** Most folders one scan lists (default 100,000); the rest is left unscanned. */
  maxDirs?: number;
}

/** What one scan found; every list sorted. */
export interface SecretScan {
  /** `.git` folders and files. */
  gitDirs: string[];
  /** `.nanocode` folders in the workspace. */
  ownDirs: string[];
  /** Secret files (real paths). */
  maskFiles: string[];
  /** Secret folders and nanocode's own folders (real paths). */
  maskDirs: string[];
  /** The folder limit was reached; part of the tree was not scanned. */
  truncated: boolean;
}

/** What a folder entry means for the sandbox, decided once per listing. */
type Action =
  | "git"
  | "own"
  | "maskFile"
  | "maskDir"
  | "link"
  | "descend"
  | "dotDescend";

interface Listing {
  mtime: number;
  /** The entries that matter, with what to do about each. */
  actions: { path: string; action: Action }[];
  /** Modified long enough before it was listed that a same-millisecond change cannot hide. */
  settled: boolean;
}

/** Kernel file systems a workspace of `/` must not be walked into (the sandbox mounts its own). */
const VIRTUAL = new Set(["/proc", "/sys", "/dev"]);

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
      maskFiles: [],
      maskDirs: [],
      truncated: false,
    };
    const next = new Map<string, Listing>();
    let budget = options.maxDirs ?? 100_000;
    const holdsRoot = (dir: string) =>
      options.roots.some((root) => isWithin(root, dir));
    const maskDir = (dir: string) => {
      if (!holdsRoot(dir)) found.maskDirs.push(dir);
    };
    for (const dir of options.protectedDirs) {
      if (exists(dir)) maskDir(dir);
    }

    const visit = (
      dir: string,
      depth: number,
      limit: number,
      home: boolean,
    ) => {
      if (budget-- <= 0) {
        found.truncated = true;
        return;
      }
      const key = `${home ? "h" : "w"}:${dir}`;
      const listing = this.#list(dir, key, home);
      if (!listing) return;
      next.set(key, listing);
      for (const { path, action } of listing.actions) {
        switch (action) {
          case "git":
            found.gitDirs.push(path);
            break;
          case "own":
            found.ownDirs.push(path);
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
            // Below the home folder's top level, only its dot folders are looked into.
            if (
              depth + 1 < limit &&
              (!home || depth > 0 || action === "dotDescend")
            ) visit(path, depth + 1, limit, home);
        }
      }
    };
    for (const root of options.roots) visit(root, 0, Infinity, false);
    const home = options.home;
    if (home !== "/" && !options.roots.some((root) => isWithin(home, root))) {
      visit(home, 0, options.homeDepth ?? 3, true);
    }
    this.#cache = next;
    for (const list of Object.values(found)) {
      if (Array.isArray(list)) list.sort();
    }
    found.maskFiles = [...new Set(found.maskFiles)];
    found.maskDirs = [...new Set(found.maskDirs)];
    return found;
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
    if (!home && name === ".git" && (entry.isDirectory || entry.isFile)) {
      return "git";
    }
    if (!home && name === ".nanocode" && entry.isDirectory) return "own";
    if (entry.isSymlink) return "link";
    if (entry.isDirectory) {
      if (options.secretReason(`${path}/_`) !== undefined) return "maskDir";
      return name.startsWith(".") ? "dotDescend" : "descend";
    }
    if (entry.isFile && options.secretReason(path) !== undefined) {
      return "maskFile";
    }
    return null;
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
