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
 * titled `title` when there is none), keeping its body.
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
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
  }
  if (frontMatter) {
    const path = join(dir, README);
    const old = await Deno.readTextFile(path).catch(() => undefined);
    await Deno.writeTextFile(path, setFrontMatter(old, frontMatter, title));
  }
}
