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
 * const found: ScanResult = { paths: ["a.ts", ".env"], holes: ["node_modules/"] };
 * ```
 */
export interface ScanResult {
  /** Paths whose index entry may need updating (changed, gone or new). */
  paths: string[];
  /**
   * Folders (ending in `/`) the snapshot leaves out although they are
   * there: nested repositories, ignored folders over the limits.
   */
  holes: string[];
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
 * const { paths, holes } = await scanWorkspace(git, limits, [], new Set());
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
  const paths = splitNul(changed);
  const holes: string[] = [...skip];
  for (const path of splitNul(others)) {
    if (skipped(path)) continue;
    // A trailing slash is a nested repository: left out.
    if (path.endsWith("/")) holes.push(path);
    else paths.push(path);
  }
  const listed = splitNul(ignored);
  const dirs = listed.filter((p) => p.endsWith("/"));
  for (const path of listed) {
    if (skipped(path)) continue;
    if (path.endsWith("/")) {
      const files = tooBig.has(path)
        ? null
        : await smallFolder(root, path, limits);
      if (files === null) {
        tooBig.add(path);
        holes.push(path);
      } else paths.push(...files);
    } else if (!dirs.some((dir) => path.startsWith(dir))) {
      paths.push(path);
    }
  }
  if (userIgnored.code === 0) {
    const tracked = splitNul(userIgnored.stdout).filter((p) => !skipped(p));
    const known = new Set(paths);
    const inIndex = new Set<string>();
    for (let i = 0; i < tracked.length; i += 200) {
      const some = tracked.slice(i, i + 200);
      const out = await git.run(["ls-files", "-z", "--cached", "--", ...some]);
      for (const path of splitNul(out)) inIndex.add(path);
    }
    for (const path of tracked) {
      if (!inIndex.has(path) && !known.has(path)) paths.push(path);
    }
  }
  return { paths, holes };
}

/** Size of a regular file (symlinks: 0), `null` for anything else. */
function fileSize(path: string): number | null {
  try {
    const info = Deno.lstatSync(path);
    if (info.isSymlink) return 0;
    return info.isFile ? info.size : null;
  } catch {
    return null;
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
        const size = entry.isFile ? fileSize(join(root, path)) ?? 0 : 0;
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
