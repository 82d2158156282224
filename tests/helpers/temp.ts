/**
 * Temporary folders for tests, removed on dispose.
 *
 * @module
 */

import { dirname, join } from "node:path";

/** A temporary folder holding the given files (paths relative to it). */
export interface TempDir extends AsyncDisposable {
  readonly path: string;
  /** Absolute path of a file in the folder. */
  file(relative: string): string;
  /** Reads a file of the folder as text. */
  read(relative: string): Promise<string>;
}

/**
 * Creates a temporary folder with `files` written into it.
 *
 * @example
 * ```ts
 * import { tempDir } from "./temp.ts";
 * await using dir = await tempDir({ "src/a.ts": "export const a = 1;\n" });
 * console.log(await dir.read("src/a.ts"));
 * ```
 */
export async function tempDir(
  files: Record<string, string | Uint8Array> = {},
): Promise<TempDir> {
  const path = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "nanocode-test-" }),
  );
  for (const [relative, content] of Object.entries(files)) {
    const target = join(path, relative);
    await Deno.mkdir(dirname(target), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(target, content);
    else await Deno.writeFile(target, content);
  }
  return {
    path,
    file: (relative) => join(path, relative),
    read: (relative) => Deno.readTextFile(join(path, relative)),
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}
