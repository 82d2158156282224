/**
 * Hub ids (`owner/name`), local paths and revision names.
 *
 * @module
 */

const SEGMENT = /^(?![.-])[A-Za-z0-9_.-]+$/;

/** A hub repository id, split. */
export interface RepoId {
  /** The user or organization. */
  owner: string;
  /** The repository name (without `.git`). */
  name: string;
}

/**
 * Whether `id` names a local folder: it starts with `.`, `/` or `\`.
 *
 * @example
 * ```ts
 * import { isLocalPath } from "./repo_id.ts";
 * console.log(isLocalPath("./my-program"), isLocalPath("me/nanocode")); // true false
 * ```
 */
export function isLocalPath(id: string): boolean {
  return /^[./\\]/.test(id);
}

/**
 * Splits a hub id `owner/name`.
 *
 * @throws {TypeError} for a single segment or any other form.
 * @example
 * ```ts
 * import { parseRepoId } from "./repo_id.ts";
 * console.log(parseRepoId("me/nanocode")); // { owner: "me", name: "nanocode" }
 * ```
 */
export function parseRepoId(id: string): RepoId {
  const parts = id.split("/");
  if (parts.length === 1) {
    throw new TypeError(
      `"${id}" is not a hub id: use owner/name, or a path starting with ./ for a local folder`,
    );
  }
  if (parts.length !== 2 || !parts.every((p) => SEGMENT.test(p))) {
    throw new TypeError(
      `"${id}" is not a hub id: use owner/name (letters, digits, ".", "_" and "-")`,
    );
  }
  return { owner: parts[0], name: parts[1].replace(/\.git$/, "") };
}

/**
 * Checks a branch name for a push: one segment (no `/`), a valid git name.
 *
 * @throws {TypeError} saying what is wrong.
 * @example
 * ```ts
 * import { checkBranch } from "./repo_id.ts";
 * checkBranch("prod"); // fine
 * ```
 */
export function checkBranch(branch: string): void {
  if (branch.includes("/")) {
    throw new TypeError(
      `Branch name "${branch}" contains "/": hub branch names are one segment`,
    );
  }
  checkRevision(branch, "Branch name");
}

/**
 * Checks a revision (branch, tag or commit) or tag name: characters git
 * accepts in a ref, no `..`, not starting with `-` or `.`, not ending in
 * `.lock` or `/`.
 *
 * @throws {TypeError} saying what is wrong.
 * @example
 * ```ts
 * import { checkRevision } from "./repo_id.ts";
 * checkRevision("v1.2.0"); // fine
 * ```
 */
export function checkRevision(rev: string, what = "Revision"): void {
  const ok = /^[A-Za-z0-9._+/-]+$/.test(rev) && !/^[-./]/.test(rev) &&
    !rev.includes("..") && !rev.includes("//") && !/(\.lock|\/|\.)$/.test(rev);
  if (!ok) {
    throw new TypeError(
      `${what} "${rev}" is not valid: use letters, digits, ".", "_", "+", "-" and "/"`,
    );
  }
}
