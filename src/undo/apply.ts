/**
 * Carries out planned changes on disk: removes what the turn created, puts
 * back what it changed or deleted (through a temporary file renamed into
 * place), never writing through a symlink or over a folder.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { restoreLarge } from "./large_files.ts";
import type { PlannedChange } from "./plan.ts";
import type { SnapshotStore } from "./store.ts";

/**
 * What was done.
 *
 * @example
 * ```ts
 * const outcome: ApplyOutcome = { restored: ["a.ts"], removed: [], blocked: [] };
 * ```
 */
export interface ApplyOutcome {
  restored: string[];
  removed: string[];
  /** Paths that could not be changed (a folder or a link in the way). */
  blocked: string[];
}

/** Blobs fetched from git per batch. */
const BATCH = 500;

/**
 * Applies `changes` to the workspace (and its `.git` folder). Files in
 * `privatePaths` are written readable by their owner only.
 *
 * @example
 * ```ts ignore
 * const outcome = await applyChanges(store, plan.act, plan.privatePaths);
 * ```
 */
export async function applyChanges(
  store: SnapshotStore,
  changes: PlannedChange[],
  privatePaths: Set<string>,
): Promise<ApplyOutcome> {
  const root = store.options.workspace;
  const outcome: ApplyOutcome = { restored: [], removed: [], blocked: [] };
  const emptied = new Set<string>();
  for (const { path, target } of changes) {
    if (target.kind !== "remove") continue;
    const full = join(root, path);
    try {
      if ((await Deno.lstat(full)).isDirectory || !safeParents(root, path)) {
        outcome.blocked.push(path);
        continue;
      }
      await Deno.remove(full);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) {
        outcome.blocked.push(path);
        continue;
      }
    }
    outcome.removed.push(path);
    emptied.add(dirname(path));
  }
  await removeEmptyFolders(root, emptied);
  const restores = changes.filter((c) => c.target.kind !== "remove");
  if (restores.some((c) => c.path.startsWith(".git/"))) {
    await Deno.mkdir(join(root, ".git"), { recursive: true });
  }
  for (let start = 0; start < restores.length; start += BATCH) {
    const batch = restores.slice(start, start + BATCH);
    const blobs = await store.blobs(
      batch.flatMap((c) => c.target.kind === "git" ? [c.target.id] : []),
    );
    for (const { path, target } of batch) {
      const full = join(root, path);
      if (!preparePath(root, path)) {
        outcome.blocked.push(path);
        continue;
      }
      try {
        if (target.kind === "large") {
          await restoreLarge(store.options.storeDir, target.entry, full);
        } else if (target.kind === "git") {
          const bytes = blobs.get(target.id);
          if (!bytes) throw new Error(`missing object ${target.id}`);
          await writeEntry(full, target.mode, bytes, privatePaths.has(path));
        }
        outcome.restored.push(path);
      } catch {
        outcome.blocked.push(path);
      }
    }
  }
  return outcome;
}

/** Writes a file or symlink of a git mode, atomically. */
async function writeEntry(
  path: string,
  mode: string,
  bytes: Uint8Array,
  ownerOnly: boolean,
): Promise<void> {
  const temp = join(
    dirname(path),
    `.nanocode-undo-${crypto.randomUUID().slice(0, 8)}`,
  );
  try {
    if (mode === "120000") {
      await Deno.symlink(new TextDecoder().decode(bytes), temp);
    } else {
      const bits = (mode === "100755" ? 0o755 : 0o644) &
        (ownerOnly ? 0o700 : 0o777);
      await Deno.writeFile(temp, bytes, { mode: bits });
      await Deno.chmod(temp, bits);
    }
    await Deno.rename(temp, path);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

/**
 * Makes the folders above `path` (relative to `root`) and checks nothing
 * is in the way: every ancestor a real folder, `path` itself not one.
 */
function preparePath(root: string, path: string): boolean {
  if (!safeParents(root, path)) return false;
  try {
    Deno.mkdirSync(dirname(join(root, path)), { recursive: true });
    return !Deno.lstatSync(join(root, path)).isDirectory;
  } catch (error) {
    return error instanceof Deno.errors.NotFound;
  }
}

/** Whether no ancestor of `path` below `root` is a symlink or a file. */
function safeParents(root: string, path: string): boolean {
  const parts = path.split("/").slice(0, -1);
  let current = root;
  for (const part of parts) {
    current = join(current, part);
    try {
      if (!Deno.lstatSync(current).isDirectory) return false;
    } catch {
      return true; // missing from here on: made as folders
    }
  }
  return true;
}

/**
 * Removes folders left empty by removals, deepest first, up to the root
 * (never inside `.git`, where git expects its folders even when empty).
 */
async function removeEmptyFolders(
  root: string,
  folders: Set<string>,
): Promise<void> {
  const all = new Set<string>();
  for (let folder of folders) {
    while (folder !== "." && folder !== "" && !/^\.git(\/|$)/.test(folder)) {
      all.add(folder);
      folder = dirname(folder);
    }
  }
  const deepest = [...all].sort((a, b) => b.length - a.length);
  for (const folder of deepest) {
    try {
      await Deno.remove(join(root, folder)); // fails unless empty
    } catch {
      // not empty, or gone
    }
  }
}
