/**
 * The files a push owns in a repository's working tree: the given files,
 * written whole, and `README.md`'s front matter. Nothing else is touched.
 *
 * @module
 */

import { dirname, join, normalize } from "node:path";
import { type FrontMatterValue, setFrontMatter } from "./front_matter.ts";

/** The README whose front matter a push may set. */
export const README = "README.md";

/**
 * Refuses file names that would leave the repository folder, touch `.git`
 * or replace the README (whose front matter alone may change).
 *
 * @throws {TypeError} naming the file.
 * @example
 * ```ts
 * import { checkOwnedFileName } from "./owned_files.ts";
 * checkOwnedFileName("config.json"); // fine
 * ```
 */
export function checkOwnedFileName(name: string): void {
  const clean = normalize(name).replaceAll("\\", "/");
  if (
    name === "" || /^[/\\]/.test(name) || clean.startsWith("../") ||
    clean === ".." || clean.split("/").includes(".git") || clean === README
  ) {
    throw new TypeError(`Cannot push a file named "${name}"`);
  }
}

/**
 * Writes `files` into the working tree `dir` and, when `frontMatter` is
 * given, sets those keys in `README.md`'s front matter (creating a README
 * titled `title` when there is none), keeping its body. A file that is a
 * symlink is replaced by a regular file, never written through.
 *
 * @example
 * ```ts
 * import { writeOwnedFiles } from "./owned_files.ts";
 * await writeOwnedFiles("/tmp/clone", new Map([["config.json", "{}"]]), { library_name: "nanocode" }, "nanocode");
 * ```
 */
export async function writeOwnedFiles(
  dir: string,
  files: Map<string, Uint8Array | string>,
  frontMatter: Record<string, FrontMatterValue> | undefined,
  title: string,
): Promise<void> {
  for (const [name, content] of files) {
    checkOwnedFileName(name);
    const path = join(dir, name);
    await Deno.mkdir(dirname(path), { recursive: true });
    await dropLink(dir, path);
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
  }
  if (frontMatter) {
    const path = join(dir, README);
    // A README that is a link is replaced, never read or written through.
    const old = await dropLink(dir, path)
      ? undefined
      : await Deno.readTextFile(path).catch(() => undefined);
    await Deno.writeTextFile(path, setFrontMatter(old, frontMatter, title));
  }
}

/**
 * Removes `path` when it is a symlink (someone with push access may have
 * committed one leading to a file of the user's), so that writing it
 * creates a regular file in the repository. Returns whether it did.
 *
 * @throws {TypeError} when `path`'s folder leads out of `dir`.
 */
async function dropLink(dir: string, path: string): Promise<boolean> {
  const [root, parent] = await Promise.all([
    Deno.realPath(dir),
    Deno.realPath(dirname(path)),
  ]);
  if (parent !== root && !parent.startsWith(`${root}/`)) {
    throw new TypeError(
      `Cannot push "${path}": its folder leads out of the repository`,
    );
  }
  const info = await Deno.lstat(path).catch(() => null);
  if (!info?.isSymlink) return false;
  await Deno.remove(path);
  return true;
}
