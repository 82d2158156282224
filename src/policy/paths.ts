/**
 * Resolves a path given by the model to the real file it would touch, so
 * the policy judges the file itself and not its spelling (symlinks, `..`,
 * `/proc/self/root/...`, hard links).
 *
 * @module
 */

import { dirname, join } from "../util/path.ts";

/** Where a path leads. */
export interface ResolvedPath {
  /** The path made absolute (`~` expanded, relative to the workspace, `..` folded). */
  absolute: string;
  /**
   * The real path the access touches: every symlink followed for reads;
   * for writes the parent folder's real path plus the final name (a final
   * symlink is replaced, never written through).
   */
  real: string;
  /** Whether `real` exists now. */
  exists: boolean;
  /** Link count of an existing regular file; 1 otherwise. */
  hardLinks: number;
}

/** Folders a path is resolved against. */
export interface ResolveOptions {
  /** Absolute workspace folder; relative paths start here. */
  workspace: string;
  /** The user's home folder, for `~`. */
  home: string;
}

/** Symlinks followed before a path is declared a loop (Linux uses 40). */
const MAX_LINKS = 40;

/**
 * Resolves `path` for a read or a write. Reads follow every symlink; writes
 * follow the parent folder's symlinks but not a final one. Missing parents
 * resolve through the nearest existing ancestor.
 *
 * @throws {TypeError} for an empty path or one containing a NUL byte.
 * @throws {Error} for a symlink loop.
 * @example
 * ```ts
 * import { resolveForAccess } from "./paths.ts";
 * const r = await resolveForAccess("/proc/self/root/etc/passwd", "read", {
 *   workspace: "/tmp",
 *   home: "/root",
 * });
 * console.log(r.real); // "/etc/passwd"
 * ```
 */
export async function resolveForAccess(
  path: string,
  access: "read" | "write",
  options: ResolveOptions,
): Promise<ResolvedPath> {
  const absolute = absolutePath(path, options);
  let real: string;
  if (access === "read") {
    real = await realOf(absolute, path);
  } else if (absolute === "/") {
    real = "/";
  } else {
    const name = absolute.slice(absolute.lastIndexOf("/") + 1);
    real = join(await realOf(dirname(absolute), path), name);
  }
  let info: Deno.FileInfo | null = null;
  try {
    info = access === "read" ? await Deno.stat(real) : await Deno.lstat(real);
  } catch {
    info = null;
  }
  return {
    absolute,
    real,
    exists: info !== null,
    hardLinks: info?.isFile ? info.nlink ?? 1 : 1,
  };
}

/**
 * Makes a model-given path absolute without touching the file system:
 * checks it, expands `~` and `~/x` to `home`, resolves it against the
 * workspace and folds `.` and `..`.
 *
 * @throws {TypeError} for an empty path or one containing a NUL byte.
 * @example
 * ```ts
 * import { absolutePath } from "./paths.ts";
 * console.log(absolutePath("~/notes.md", { workspace: "/w", home: "/h" })); // "/h/notes.md"
 * console.log(absolutePath("src/../a.ts", { workspace: "/w", home: "/h" })); // "/w/a.ts"
 * ```
 */
export function absolutePath(path: string, options: ResolveOptions): string {
  if (typeof path !== "string" || path.trim() === "") {
    throw new TypeError("Cannot use an empty path");
  }
  if (path.includes("\0")) {
    throw new TypeError(
      `Cannot use path ${JSON.stringify(path)}: it contains a NUL byte`,
    );
  }
  let expanded = path;
  if (path === "~") expanded = options.home;
  else if (path.startsWith("~/")) expanded = join(options.home, path.slice(2));
  return expanded.startsWith("/")
    ? join(expanded)
    : join(options.workspace, expanded);
}

/** Real path of `absolute`, following every symlink, existing or not. */
async function realOf(absolute: string, given: string): Promise<string> {
  try {
    return await Deno.realPath(absolute);
  } catch (error) {
    if (error instanceof Deno.errors.FilesystemLoop) throw loop(given);
    if (!isMissing(error)) throw error;
  }
  return await walk(absolute, given);
}

/**
 * Resolves a path component by component (for paths that do not exist
 * yet): symlinks are followed, including dangling ones, and what follows
 * the first missing component is appended as written.
 */
async function walk(absolute: string, given: string): Promise<string> {
  let current = "/";
  const rest = absolute.split("/").filter((part) => part !== "");
  let links = 0;
  while (rest.length > 0) {
    const part = rest.shift()!;
    if (part === ".") continue;
    if (part === "..") {
      current = dirname(current);
      continue;
    }
    const candidate = join(current, part);
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(candidate);
    } catch (error) {
      if (!isMissing(error)) throw error;
      return join(candidate, ...rest);
    }
    if (!info.isSymlink) {
      current = candidate;
      continue;
    }
    if (++links > MAX_LINKS) throw loop(given);
    const target = await Deno.readLink(candidate);
    if (target.startsWith("/")) current = "/";
    rest.unshift(...target.split("/").filter((p) => p !== ""));
  }
  return current;
}

function isMissing(error: unknown): boolean {
  return error instanceof Deno.errors.NotFound ||
    error instanceof Deno.errors.NotADirectory ||
    error instanceof Deno.errors.PermissionDenied;
}

function loop(given: string): Error {
  return new Error(
    `Cannot resolve path ${
      JSON.stringify(given)
    }: too many levels of symbolic links (a symlink loop)`,
  );
}
