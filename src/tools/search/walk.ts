/**
 * The built-in file walk: the files `rg --files --no-require-git` lists.
 *
 * @module
 */

import { resolve, sep } from "node:path";
import {
  EMPTY_SCOPE,
  extendScope,
  type IgnoreScope,
  matchScope,
} from "./gitignore.ts";
import {
  loadAncestorRules,
  loadFolderRules,
  type RuleBudget,
  ruleBudget,
} from "./ignore_files.ts";
import { nextTurn, TURN_MS } from "./turns.ts";

/** Folders read at the same time. */
const PARALLEL_FOLDERS = 16;

/** Entry names that make a folder's ignore rules worth loading. */
const RULE_FILES = new Set([".rgignore", ".ignore", ".gitignore", ".git"]);

/**
 * Walks the regular files under `root` that ripgrep would search: ignore
 * files respected (see `gitignore.ts`), hidden entries (name starting with
 * `.`) skipped unless an ignore file re-includes them, symlinks not
 * followed, unreadable folders skipped. `root` itself is never filtered; a
 * file `root` is the only file.
 *
 * Up to `PARALLEL_FOLDERS` folders are read at a time; each folder's files
 * (absolute paths) go to `onFiles` as soon as they are known, in no
 * particular order. While a promise `onFiles` returns is pending, that
 * folder's reader waits. Resolves when every folder has been read; rejects
 * with the signal's reason when `signal` aborts.
 *
 * @example
 * ```ts
 * const files: string[] = [];
 * await walkTree("/ws", (paths) => {
 *   files.push(...paths);
 * });
 * ```
 */
export async function walkTree(
  root: string,
  onFiles: (paths: string[]) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const info = await Deno.stat(root);
  if (!info.isDirectory) {
    if (info.isFile) await onFiles([root]);
    return;
  }
  const dir = resolve(root);
  const budget = ruleBudget();
  const ancestors = await loadAncestorRules(dir, budget);
  const scope = ancestors.reduce(extendScope, EMPTY_SCOPE);
  await new Promise<void>((done, fail) => {
    const queue: Folder[] = [{ dir, scope, budget }];
    let active = 0;
    let failed = false;
    const pump = () => {
      while (!failed && active < PARALLEL_FOLDERS && queue.length > 0) {
        const folder = queue.pop()!;
        active++;
        visitFolder(folder, queue, onFiles, signal).then(() => {
          active--;
          if (active === 0 && queue.length === 0) done();
          else pump();
        }, (error) => {
          failed = true;
          fail(error);
        });
      }
    };
    pump();
  });
}

interface Folder {
  dir: string;
  /** Ignore rules of the folders above `dir`. */
  scope: IgnoreScope;
  /** The walk's rule budget. */
  budget: RuleBudget;
}

/** Reads one folder: its files go to `onFiles`, its subfolders to `queue`. */
async function visitFolder(
  { dir, scope: parentScope, budget }: Folder,
  queue: Folder[],
  onFiles: (paths: string[]) => void | Promise<void>,
  signal: AbortSignal | undefined,
): Promise<void> {
  signal?.throwIfAborted();
  const entries: Deno.DirEntry[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) entries.push(entry);
  } catch {
    return;
  }
  signal?.throwIfAborted();
  let ruleNames: Set<string> | undefined;
  for (const entry of entries) {
    if (RULE_FILES.has(entry.name)) (ruleNames ??= new Set()).add(entry.name);
  }
  // A folder without ignore files or `.git` adds nothing to the scope.
  const scope = ruleNames
    ? extendScope(parentScope, await loadFolderRules(dir, ruleNames, budget))
    : parentScope;
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  const files: string[] = [];
  // Many entries against many ignore rules take time: the event loop gets
  // turns (so Ctrl-C is heard), and an abort stops the walk.
  let turn = performance.now();
  for (const entry of entries) {
    if (performance.now() - turn > TURN_MS) {
      await nextTurn();
      signal?.throwIfAborted();
      turn = performance.now();
    }
    if (entry.isSymlink || !(entry.isFile || entry.isDirectory)) continue;
    const path = prefix + entry.name;
    const match = matchScope(scope, path, entry.isDirectory);
    if (match === "ignore") continue;
    if (match === null && entry.name.startsWith(".")) continue;
    if (entry.isDirectory) queue.push({ dir: path, scope, budget });
    else files.push(path);
  }
  if (files.length > 0) await onFiles(files);
}
