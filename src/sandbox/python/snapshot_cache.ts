/**
 * Pyodide memory snapshots on disk. Booting Python from scratch runs its
 * whole start-up (seconds); restoring the memory it had right after
 * start-up takes a fraction of that. The first Python sandbox boots cold
 * and sends back a snapshot taken before any nanocode or cell code ran in
 * it; later sandboxes (this session's restarts, later sessions) restore it.
 *
 * A snapshot only ever goes back into the permission-less sandbox it came
 * from, and one taken after a cell could have run is never stored (see
 * `Sandbox`), so a cell cannot plant state in later sessions through it.
 * Nor can anyone else: the folder is the user's alone (0700, tightened if
 * it is the user's with looser modes, unused if it is someone else's); a
 * snapshot is used only when it is a regular file (no symlink, no FIFO
 * that would block the reader) the user owns and only the user can write,
 * of a plausible size, whose SHA-256 (stored after it) still matches.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { type EnvReader, processEnv, xdgDir } from "../../config/paths.ts";
import { join } from "../../util/path.ts";

/** Bumped when the file's layout or what the worker does before taking a snapshot changes. */
const FORMAT = 2;
/** The SHA-256 of the snapshot, stored after it. */
const DIGEST_BYTES = 32;
/** A temporary file older than this was left by a write that never finished. */
const STALE_MS = 3600_000;
/** Snapshots outside these sizes are not Pyodide's. */
const MIN_BYTES = 1 << 20;
const MAX_BYTES = 512 << 20;

/**
 * The default folder for snapshots: `$XDG_CACHE_HOME/nanocode/python`
 * (default `~/.cache/nanocode/python`), or `undefined` without a home.
 *
 * @example
 * ```ts
 * import { defaultSnapshotDir } from "./snapshot_cache.ts";
 * console.log(defaultSnapshotDir((n) => n === "HOME" ? "/h" : undefined)); // "/h/.cache/nanocode/python"
 * ```
 */
export function defaultSnapshotDir(
  env: EnvReader = processEnv,
): string | undefined {
  const home = env("HOME") ?? env("USERPROFILE");
  const base = xdgDir(env, "XDG_CACHE_HOME") || (home && join(home, ".cache"));
  return base ? join(base, "nanocode", "python") : undefined;
}

/**
 * Reads and stores the snapshot of one Pyodide version. Every failure to
 * read or write is quiet: a missing or refused snapshot only means a cold
 * boot.
 *
 * @example
 * ```ts ignore
 * const cache = new SnapshotCache("/tmp/snapshots");
 * const bytes = await cache.read("314.0.7"); // undefined the first time
 * ```
 */
export class SnapshotCache {
  readonly #dir: string | undefined;

  /** `dir` holds the snapshots; `undefined` keeps none. */
  constructor(dir: string | undefined) {
    this.#dir = dir;
  }

  /** Whether snapshots are kept at all. */
  get enabled(): boolean {
    return this.#dir !== undefined;
  }

  /** The file of `version`'s snapshot. */
  path(version: string): string | undefined {
    const safe = version.replace(/[^\w.-]/g, "_");
    return this.#dir &&
      join(this.#dir, `pyodide-${safe}-v${FORMAT}.snapshot`);
  }

  /** The stored snapshot, if there is a usable one. */
  async read(version: string): Promise<Uint8Array | undefined> {
    const path = this.path(version);
    if (!path || !await privateDir(this.#dir!, false)) return undefined;
    try {
      // Checked before opening: opening a FIFO would wait for a writer.
      const info = await Deno.lstat(path);
      if (!info.isFile || !ownedPrivately(info)) return undefined;
      const size = info.size - DIGEST_BYTES;
      if (!plausible(size)) return undefined;
      using file = await Deno.open(path, { read: true });
      const opened = await file.stat();
      if (opened.ino !== info.ino || opened.size !== info.size) {
        return undefined;
      }
      const bytes = new Uint8Array(info.size);
      for (let at = 0; at < bytes.length;) {
        const n = await file.read(bytes.subarray(at));
        if (n === null) return undefined;
        at += n;
      }
      const content = bytes.subarray(0, size);
      return same(digest(content), bytes.subarray(size)) ? content : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a snapshot (atomically, with its checksum); returns whether it was stored. */
  async write(version: string, bytes: Uint8Array): Promise<boolean> {
    const path = this.path(version);
    if (!path || !plausible(bytes.length)) return false;
    if (!await privateDir(this.#dir!, true)) return false;
    await clearStale(this.#dir!);
    // Written beside and renamed into place: a reader (another session)
    // sees the old snapshot or the new one, never half of one.
    const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    try {
      using file = await Deno.open(temp, {
        write: true,
        createNew: true,
        mode: 0o600,
      });
      for (const part of [bytes, digest(bytes)]) {
        for (let at = 0; at < part.length;) {
          at += await file.write(part.subarray(at));
        }
      }
      await Deno.rename(temp, path);
      return true;
    } catch {
      await Deno.remove(temp).catch(() => {});
      return false;
    }
  }
}

/** Whether a file is the user's and only the user can write it. */
function ownedPrivately(info: Deno.FileInfo): boolean {
  const uid = Deno.uid();
  return (uid === null || info.uid === uid) &&
    ((info.mode ?? 0) & 0o022) === 0;
}

/**
 * Whether `dir` is a folder only the user can write: made (0700) when
 * `create` and missing, tightened to 0700 when it is the user's with looser
 * modes, refused when it belongs to someone else.
 */
async function privateDir(dir: string, create: boolean): Promise<boolean> {
  try {
    if (create) await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
    const info = await Deno.stat(dir);
    const uid = Deno.uid();
    if (!info.isDirectory || (uid !== null && info.uid !== uid)) return false;
    if (((info.mode ?? 0) & 0o077) !== 0) await Deno.chmod(dir, 0o700);
    return true;
  } catch {
    return false;
  }
}

/** Removes temporary files of writes that never finished (a killed session). */
async function clearStale(dir: string): Promise<void> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !entry.name.endsWith(".tmp")) continue;
      const path = join(dir, entry.name);
      const info = await Deno.lstat(path).catch(() => undefined);
      const age = Date.now() - (info?.mtime?.getTime() ?? Date.now());
      if (age > STALE_MS) await Deno.remove(path).catch(() => {});
    }
  } catch { /* nothing to clear */ }
}

function plausible(size: number): boolean {
  return size >= MIN_BYTES && size <= MAX_BYTES && size % 4 === 0;
}

function digest(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(bytes).digest());
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
