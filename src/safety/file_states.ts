/**
 * What the model last saw of each file, so a change to a file that changed
 * on disk since is refused, and a lock per path so changes never overlap.
 *
 * @module
 */

import { basename, dirname, join, resolve } from "node:path";
import type { FileStates } from "../tools/types.ts";

/** Size, modification time and content hash of a file as last seen. */
interface Seen {
  size: number;
  mtime: number | null;
  /** Absent when only part of the file was read. */
  hash?: string;
}

/** Symlinks followed at most when resolving a path whose target is missing. */
const MAX_LINKS = 40;

/**
 * The {@linkcode FileStates} of a session. `record` keeps the size, mtime and
 * SHA-256 hash of a file under its real path (symlinks resolved); `check`
 * throws `Error('Cannot change "a.ts": it changed on disk since you last
 * read it; read it again first')` when any of the three differs now (or
 * `... it was deleted since you last read it ...` when it is gone) and
 * passes for a file never recorded; `lock` runs changes to one path one
 * after another, in call order.
 *
 * @example
 * ```ts
 * import { FileStateTracker } from "./file_states.ts";
 * const files = new FileStateTracker();
 * const bytes = await Deno.readFile("a.ts");
 * await files.record("a.ts", bytes);
 * await files.lock("a.ts", async () => {
 *   await files.check("a.ts", "a.ts"); // throws if a.ts changed since
 * });
 * ```
 */
export class FileStateTracker implements FileStates {
  #seen = new Map<string, Seen>();
  #locks = new Map<string, Promise<void>>();

  /**
   * Records `bytes` as what the model knows of `path`, with the file's
   * current mtime. Throws `Deno.errors.NotFound` when the file is gone.
   *
   * @example
   * ```ts
   * await new FileStateTracker().record("/ws/a.ts", await Deno.readFile("/ws/a.ts"));
   * ```
   */
  async record(path: string, bytes: Uint8Array): Promise<void> {
    const key = realKey(path);
    const info = await Deno.stat(key);
    this.#seen.set(key, {
      size: bytes.length,
      mtime: info.mtime?.getTime() ?? null,
      hash: await sha256(bytes),
    });
  }

  /**
   * Records a file read only in part by its current size and mtime (a
   * later check compares those, not the content). Throws
   * `Deno.errors.NotFound` when the file is gone.
   *
   * @example
   * ```ts
   * await new FileStateTracker().recordPart("/ws/big.log");
   * ```
   */
  async recordPart(path: string): Promise<void> {
    const key = realKey(path);
    const info = await Deno.stat(key);
    this.#seen.set(key, {
      size: info.size,
      mtime: info.mtime?.getTime() ?? null,
    });
  }

  /**
   * Throws an `Error` naming `display` and telling the model to read the
   * file again when `path` changed (size, mtime or content) or was deleted
   * since it was recorded. A path never recorded passes.
   *
   * @example
   * ```ts
   * await new FileStateTracker().check("/ws/new.ts", "new.ts"); // passes
   * ```
   */
  async check(path: string, display: string): Promise<void> {
    const key = realKey(path);
    const seen = this.#seen.get(key);
    if (!seen) return;
    const quoted = JSON.stringify(display);
    const changed = new Error(
      `Cannot change ${quoted}: it changed on disk since you last read it; read it again first`,
    );
    let info: Deno.FileInfo;
    try {
      info = await Deno.stat(key);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      throw new Error(
        `Cannot change ${quoted}: it was deleted since you last read it; read it again (or list files) first`,
      );
    }
    if (!info.isFile || info.size !== seen.size) throw changed;
    if ((info.mtime?.getTime() ?? null) !== seen.mtime) throw changed;
    if (seen.hash === undefined) return;
    const bytes = await Deno.readFile(key);
    if (bytes.length !== seen.size || await sha256(bytes) !== seen.hash) {
      throw changed;
    }
  }

  /**
   * Whether `path` was recorded in this session (read or written).
   *
   * @example
   * ```ts
   * new FileStateTracker().known("/ws/a.ts"); // false
   * ```
   */
  known(path: string): boolean {
    return this.#seen.has(realKey(path));
  }

  /**
   * Runs `fn` once every earlier `lock` of the same real path has finished
   * (whether it succeeded or threw) and resolves or rejects with its result.
   * Different paths do not wait for each other.
   *
   * @example
   * ```ts
   * const files = new FileStateTracker();
   * await Promise.all([
   *   files.lock("a.ts", async () => "first"),
   *   files.lock("a.ts", async () => "second, after the first"),
   * ]);
   * ```
   */
  async lock<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const key = realKey(path);
    const previous = this.#locks.get(key) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((done) => release = done);
    const tail = previous.then(() => held);
    this.#locks.set(key, tail);
    try {
      await previous;
      return await fn();
    } finally {
      release();
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    }
  }

  /**
   * Paths whose lock is held or awaited right now (0 when idle).
   *
   * @example
   * ```ts
   * new FileStateTracker().lockedPaths; // 0
   * ```
   */
  get lockedPaths(): number {
    return this.#locks.size;
  }
}

/**
 * The real path of `path`. For a path that does not exist, its folder is
 * resolved and a dangling symlink is followed, so a deleted file keeps the
 * key it was recorded under. Synchronous, so `lock` queues callers in call
 * order.
 */
function realKey(path: string): string {
  let current = resolve(path);
  for (let i = 0; i < MAX_LINKS; i++) {
    try {
      return Deno.realPathSync(current);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    let dir: string;
    try {
      dir = Deno.realPathSync(dirname(current));
    } catch {
      return current;
    }
    current = join(dir, basename(current));
    try {
      const info = Deno.lstatSync(current);
      if (!info.isSymlink) return current;
      current = resolve(dir, Deno.readLinkSync(current));
    } catch {
      return current;
    }
  }
  return current;
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}
