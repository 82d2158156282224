/**
 * What changed in the workspace since the shadow index last saw it: the
 * index's stat cache makes this a walk of file metadata, not contents.
 *
 * @module
 */

import { join } from "node:path";
import { type ShadowGit, splitNul } from "./shadow_git.ts";

/**
 * Limits of a scan.
 *
 * @example
 * ```ts
 * const limits: ScanLimits = { maxFileBytes: 16 << 20, ignoredDirFiles: 2000, ignoredDirBytes: 64 << 20, maxLargeFiles: 1000 };
 * ```
 */
export interface ScanLimits {
  /** Files above this size are kept as links, not in git. */
  maxFileBytes: number;
  /** An ignored folder with more files than this is left out. */
  ignoredDirFiles: number;
  /** An ignored folder holding more bytes than this is left out. */
  ignoredDirBytes: number;
  /** At most this many large files are kept per snapshot. */
  maxLargeFiles: number;
}

/**
 * What a scan found.
 *
 * @example
 * ```ts
 * const found: ScanResult = { stage: ["a.ts"], unstage: [], large: ["data.bin"], holes: ["node_modules/"], privacy: new Map() };
 * ```
 */
export interface ScanResult {
  /** Paths whose index entry must be updated (added, changed or gone). */
  stage: string[];
  /** Paths to take out of the index (now kept as large files). */
  unstage: string[];
  /** Regular files over the size limit, kept outside git. */
  large: string[];
  /**
   * What the snapshot leaves out although it is there: folders (ending in
   * `/`: nested repositories, ignored folders over the limits) and files
   * (large files over the count limit).
   */
  holes: string[];
  /** Whether each file looked at is readable by its owner only (mode `0?00`). */
  privacy: Map<string, boolean>;
}

/**
 * Scans the workspace of `git` (whose index is the stat cache): files
 * changed or deleted since the index last saw them, new files that are
 * not ignored, ignored files (`.env`, a local database, an ignored folder
 * within the limits), and files the user's repository tracks although
 * ignored. `skip` holds folder prefixes never looked at (`a/b/`), and
 * `tooBig` remembers ignored folders found over the limits (added to).
 *
 * @example
 * ```ts ignore
 * const { stage, large } = await scanWorkspace(git, limits, [], new Set());
 * ```
 */
export async function scanWorkspace(
  git: ShadowGit,
  limits: ScanLimits,
  skip: string[],
  tooBig: Set<string>,
): Promise<ScanResult> {
  const root = git.options.workTree;
  const [changed, others, ignored, userIgnored] = await Promise.all([
    git.run(["diff-files", "-z", "--name-only", "--no-renames"]),
    git.run(["ls-files", "-z", "--others", "--exclude-standard"]),
    git.run([
      "ls-files",
      "-z",
      "--others",
      "--ignored",
      "--exclude-standard",
      "--directory",
    ]),
    git.inWorkTree([
      "ls-files",
      "-z",
      "--cached",
      "--ignored",
      "--exclude-standard",
    ]),
  ]);
  const skipped = (path: string) => skip.some((p) => path.startsWith(p));
  const stage: string[] = [];
  const staged = new Set<string>();
  const unstage: string[] = [];
  const privacy = new Map<string, boolean>();
  const large: string[] = [];
  const holes: string[] = [...skip];
  let checked = 0;
  const consider = async (path: string, known: boolean) => {
    if (++checked % 1000 === 0) await new Promise((r) => setTimeout(r, 0));
    const [size, owner] = fileSize(join(root, path));
    privacy.set(path, owner);
    if (size !== null && size > limits.maxFileBytes) {
      if (large.length < limits.maxLargeFiles) large.push(path);
      else holes.push(path);
      if (known) unstage.push(path);
    } else if (size !== null || known) add(path);
  };
  const add = (path: string) => {
    stage.push(path);
    staged.add(path);
  };
  for (const path of splitNul(changed)) await consider(path, true);
  for (const path of splitNul(others)) {
    if (skipped(path)) continue;
    // A trailing slash is a nested repository: left out.
    if (path.endsWith("/")) holes.push(path);
    else await consider(path, false);
  }
  const dirs = splitNul(ignored).filter((p) => p.endsWith("/"));
  for (const path of splitNul(ignored)) {
    if (skipped(path)) continue;
    if (path.endsWith("/")) {
      const files = tooBig.has(path)
        ? null
        : await smallFolder(root, path, limits);
      if (files === null) {
        tooBig.add(path);
        holes.push(path);
      } else for (const file of files) await consider(file, false);
    } else if (!dirs.some((dir) => path.startsWith(dir))) {
      await consider(path, false);
    }
  }
  if (userIgnored.code === 0) {
    const tracked = splitNul(userIgnored.stdout).filter((p) => !skipped(p));
    if (tracked.length) {
      const inIndex = new Set<string>();
      for (let i = 0; i < tracked.length; i += 200) {
        const some = tracked.slice(i, i + 200);
        const out = await git.run(["ls-files", "-z", "--cached", "--", ...some]);
        for (const path of splitNul(out)) inIndex.add(path);
      }
      for (const path of tracked) {
        if (!inIndex.has(path) && !staged.has(path)) {
          await consider(path, false);
        }
      }
    }
  }
  return { stage, unstage, large, holes, privacy };
}

/**
 * Size of a regular file or symlink (0), `null` for anything else; and
 * whether it is a file only its owner may read.
 */
function fileSize(path: string): [number | null, boolean] {
  try {
    const info = Deno.lstatSync(path);
    if (info.isSymlink) return [0, false];
    if (!info.isFile) return [null, false];
    return [info.size, ((info.mode ?? 0o644) & 0o077) === 0];
  } catch {
    return [null, false];
  }
}

/**
 * The files of an ignored folder (relative paths), or `null` when it holds
 * more than the limits allow or a nested repository.
 */
async function smallFolder(
  root: string,
  dir: string,
  limits: ScanLimits,
): Promise<string[] | null> {
  const files: string[] = [];
  let bytes = 0;
  const walk = async (rel: string): Promise<boolean> => {
    for await (const entry of Deno.readDir(join(root, rel))) {
      const path = `${rel}${entry.name}`;
      if (entry.isDirectory) {
        if (entry.name === ".git") return false;
        if (!await walk(`${path}/`)) return false;
      } else if (entry.isFile || entry.isSymlink) {
        files.push(path);
        const size = entry.isFile ? fileSize(join(root, path))[0] ?? 0 : 0;
        // Large files are kept as links, outside this budget.
        if (size <= limits.maxFileBytes) bytes += size;
        if (
          files.length > limits.ignoredDirFiles ||
          bytes > limits.ignoredDirBytes
        ) return false;
      }
    }
    return true;
  };
  try {
    return await walk(dir) ? files : null;
  } catch {
    return null;
  }
}
