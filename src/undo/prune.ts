/**
 * Keeps a snapshot store small: drops sessions idle too long (or the
 * oldest, while the store is over its size), then what only they needed.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { readStacks, sessionRef } from "./session_stack.ts";
import { LATEST_REF, type SnapshotStore } from "./store.ts";
import { splitNul, text } from "./shadow_git.ts";

/**
 * How a store is pruned.
 *
 * @example
 * ```ts
 * const settings: PruneSettings = { maxAgeDays: 14, maxBytes: 2 << 30, everyHours: 24, siblingsMaxAgeDays: 0 };
 * ```
 */
export interface PruneSettings {
  /** Sessions idle longer than this are dropped. */
  maxAgeDays: number;
  /** Oldest sessions are dropped while the store holds more bytes of its own. */
  maxBytes: number;
  /** Pruning runs at most this often (at session start). */
  everyHours: number;
  /**
   * Also delete other workspaces' stores next to this one (the default
   * layout: one folder per workspace) unused for this many days; 0: never.
   */
  siblingsMaxAgeDays: number;
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * Prunes the store when it is due (`<store>/pruned` older than
 * `everyHours`); `current` (the running session) is never dropped.
 * The caller holds the store lock.
 *
 * @example
 * ```ts ignore
 * await pruneStore(store, { maxAgeDays: 14, maxBytes: 2 << 30, everyHours: 24 }, "s1");
 * ```
 */
export async function pruneStore(
  store: SnapshotStore,
  settings: PruneSettings,
  current: string,
): Promise<void> {
  const { storeDir } = store.options;
  await Deno.writeTextFile(
    join(storeDir, "used"),
    new Date().toISOString() + "\n",
  );
  const stamp = join(storeDir, "pruned");
  const last = (await Deno.stat(stamp).catch(() => null))?.mtime?.getTime();
  if (last !== undefined && Date.now() - last < settings.everyHours * 3600e3) {
    return;
  }
  const git = store.git;
  const sessions = await listSessions(store);
  const maxAge = settings.maxAgeDays * DAY;
  let dropped = 0;
  const drop = async (id: string) => {
    await Deno.remove(join(storeDir, "sessions", `${id}.json`)).catch(() => {});
    await git.tryRun(["update-ref", "-d", sessionRef(id)]);
    dropped++;
  };
  const alive = [];
  for (const session of sessions) {
    if (session.id === current) continue;
    if (session.used === null || Date.now() - session.used > maxAge) {
      await drop(session.id);
    } else alive.push(session);
  }
  await collect(store, dropped > 0, maxAge);
  alive.sort((a, b) => a.used! - b.used!);
  while (alive.length && await ownBytes(storeDir) > settings.maxBytes) {
    for (const session of alive.splice(0, Math.ceil(alive.length / 2))) {
      await drop(session.id);
    }
    await collect(store, true, maxAge);
  }
  if (settings.siblingsMaxAgeDays > 0) {
    await pruneSiblings(storeDir, settings.siblingsMaxAgeDays * DAY);
  }
  await Deno.writeTextFile(stamp, new Date().toISOString() + "\n");
}

/** Deletes the stores next to `storeDir` not used for `maxAge`. */
async function pruneSiblings(storeDir: string, maxAge: number): Promise<void> {
  const root = dirname(storeDir);
  for await (const entry of readDirSafe(root)) {
    const dir = join(root, entry.name);
    if (!entry.isDirectory || dir === storeDir) continue;
    const repo = await Deno.stat(join(dir, "repo.git")).catch(() => null);
    if (!repo?.isDirectory) continue; // not a store
    const used = await Deno.stat(join(dir, "used")).catch(() => null);
    const when = (used ?? repo).mtime?.getTime() ?? Date.now();
    if (Date.now() - when > maxAge) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}

/** Sessions with a ref or a stack file, with when each was last used. */
async function listSessions(
  store: SnapshotStore,
): Promise<{ id: string; used: number | null }[]> {
  const ids = new Set(
    splitNul(
      await store.git.run([
        "for-each-ref",
        "--format=%(refname:strip=2)%00",
        "refs/sessions/",
      ]),
    ).map((s) => s.trim()).filter(Boolean),
  );
  try {
    for await (
      const entry of Deno.readDir(join(store.options.storeDir, "sessions"))
    ) {
      if (entry.name.endsWith(".json")) ids.add(entry.name.slice(0, -5));
    }
  } catch {
    // no sessions folder yet
  }
  const out = [];
  for (const id of ids) {
    const file = join(store.options.storeDir, "sessions", `${id}.json`);
    const info = await Deno.stat(file).catch(() => null);
    out.push({ id, used: info?.mtime?.getTime() ?? null });
  }
  return out;
}

/**
 * Removes what no session needs any more: unreachable git objects (after
 * sessions were dropped), large files no kept snapshot lists, mirrored
 * repository objects gone from the repository for longer than `maxAge`,
 * and temporary files of interrupted runs.
 */
async function collect(
  store: SnapshotStore,
  dropped: boolean,
  maxAge: number,
): Promise<void> {
  const git = store.git;
  const { storeDir } = store.options;
  const loose = /count: (\d+)/.exec(
    text(await git.run(["count-objects", "-v"])),
  );
  if (dropped) {
    await git.run(["repack", "-a", "-d", "-q"]);
    await git.run(["prune", "--expire=now"]);
  } else if (Number(loose?.[1] ?? 0) > 5000) {
    await git.run(["repack", "-d", "-q"]);
    await git.run(["prune-packed"]);
  }
  const needed = new Set<string>();
  const commits = [LATEST_REF];
  for (const { id } of await listSessions(store)) {
    const stacks = await readStacks(storeDir, id);
    for (const e of stacks.undo) {
      commits.push(e.before, ...e.after ? [e.after] : []);
    }
    for (const r of stacks.redo) {
      commits.push(r.entry.before, r.before, r.after);
    }
  }
  for (const commit of commits) {
    for (const entry of Object.values((await store.info(commit)).large)) {
      needed.add(entry.key);
    }
  }
  await removeFiles(join(storeDir, "large"), (name) => !needed.has(name));
  const now = Date.now();
  let removedMirror = false;
  const mirror = join(storeDir, "git-objects");
  for await (const folder of readDirSafe(mirror)) {
    await removeFiles(join(mirror, folder.name), (_name, info) => {
      // A link count of 1: the repository no longer has it; ctime is when it left.
      const gone = info.nlink === 1 &&
        now - (info.ctime?.getTime() ?? now) > maxAge;
      if (gone) removedMirror = true;
      return gone;
    });
  }
  if (removedMirror) store.repo.forgetMirror();
  await removeFiles(
    join(store.git.gitDir, "objects", "pack"),
    (name, info) =>
      name.startsWith("tmp_") && now - (info.mtime?.getTime() ?? now) > DAY,
  );
}

async function removeFiles(
  dir: string,
  unwanted: (name: string, info: Deno.FileInfo) => boolean,
): Promise<void> {
  for await (const entry of readDirSafe(dir)) {
    if (!entry.isFile) continue;
    const path = join(dir, entry.name);
    const info = await Deno.lstat(path).catch(() => null);
    if (info && unwanted(entry.name, info)) {
      await Deno.remove(path).catch(() => {});
    }
  }
}

async function* readDirSafe(dir: string): AsyncIterable<Deno.DirEntry> {
  try {
    yield* Deno.readDir(dir);
  } catch {
    // missing
  }
}

/** Bytes the store holds of its own: files shared by hard link do not count. */
export async function ownBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const entry of readDirSafe(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) total += await ownBytes(path);
    else if (entry.isFile) {
      const info = await Deno.lstat(path).catch(() => null);
      if (info && (info.nlink ?? 1) <= 1) total += info.size;
    }
  }
  return total;
}
