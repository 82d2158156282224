/**
 * The built-in file walk: the files `rg --files --no-require-git` lists.
 *
 * @module
 */

import { join } from "node:path";
import {
  type FolderRules,
  isIgnored,
  loadAncestorRules,
  loadFolderRules,
} from "./gitignore.ts";

/**
 * Yields the absolute paths of the regular files under `root` that ripgrep
 * would search: ignore files respected (see `gitignore.ts`), hidden entries
 * (name starting with `.`) skipped unless an ignore file re-includes them,
 * symlinks not followed, unreadable folders skipped. `root` itself is never
 * filtered; a file `root` yields itself. Order is unspecified.
 *
 * @example
 * ```ts
 * for await (const path of walkFiles("/ws")) console.log(path);
 * ```
 */
export async function* walkFiles(
  root: string,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  const info = await Deno.stat(root);
  if (!info.isDirectory) {
    if (info.isFile) yield root;
    return;
  }
  const ancestors = await loadAncestorRules(root);
  yield* walkFolder(root, ancestors, signal);
}

async function* walkFolder(
  dir: string,
  parentChain: readonly FolderRules[],
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  signal?.throwIfAborted();
  const entries: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) entries.push(entry);
  } catch {
    return;
  }
  const names = new Set(entries.map((e) => e.name));
  const chain = [...parentChain, await loadFolderRules(dir, names)];
  const subfolders: string[] = [];
  for (const entry of entries) {
    if (entry.isSymlink || !(entry.isFile || entry.isDirectory)) continue;
    const path = join(dir, entry.name);
    const match = isIgnored(chain, path, entry.isDirectory);
    if (match === "ignore") continue;
    if (match === null && entry.name.startsWith(".")) continue;
    if (entry.isDirectory) subfolders.push(path);
    else yield path;
  }
  for (const sub of subfolders) yield* walkFolder(sub, chain, signal);
}
