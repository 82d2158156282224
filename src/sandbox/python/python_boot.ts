/**
 * What a {@linkcode Sandbox} running Python cells does besides what it
 * does for JavaScript: send Pyodide's files (and a snapshot, when one is
 * stored) to each new sandbox process, and store the snapshot a cold-booted
 * process sends back, only if it arrives before that process said it was
 * ready (so before any cell could run in it).
 *
 * @module
 */

import { assetFrame, readPyodideFiles } from "./assets.ts";
import { PYTHON_PRELUDE, WARM_IMPORTS } from "./prelude.ts";
import { defaultSnapshotDir, SnapshotCache } from "./snapshot_cache.ts";

/** Settings of the Python runtime. */
export interface PythonSettings {
  /** The folder of the `pyodide` package (default: the pinned one in Deno's cache). */
  pyodideDir?: string;
  /** Where snapshots are kept; `null` keeps none (default `~/.cache/nanocode/python`). */
  snapshotDir?: string | null;
  /** Largest Python heap (its wasm memory), in MiB (default 512). */
  heapMb?: number;
}

/**
 * Boots Python in sandbox processes. One per `Sandbox`; `T` is the process
 * type (any object identity works).
 *
 * @example
 * ```ts ignore
 * const boot = new PythonBoot({ snapshotDir: null }, "/work");
 * await proc.send("A", ...await boot.frame(proc));
 * ```
 */
export class PythonBoot<T extends object> {
  readonly #settings: PythonSettings;
  readonly #cwd: string;
  readonly #cache: SnapshotCache;
  /** Processes whose snapshot would be stored, with the package version. */
  #waiting = new WeakMap<T, string>();
  /** Snapshot writes under way. */
  #writes = new Set<Promise<boolean>>();

  /** `cwd` is what `os.getcwd()` says in cells. */
  constructor(settings: PythonSettings = {}, cwd = "/") {
    this.#settings = settings;
    this.#cwd = cwd;
    this.#cache = new SnapshotCache(
      settings.snapshotDir === null
        ? undefined
        : settings.snapshotDir ?? defaultSnapshotDir(),
    );
  }

  /**
   * The "A" frame for a new process: Pyodide's files, the stored snapshot
   * if there is one, and the settings.
   *
   * @throws {Error} when Pyodide's files cannot be read.
   */
  async frame(proc: T): Promise<Uint8Array[]> {
    const { version: pyodide, files } = await readPyodideFiles(
      this.#settings.pyodideDir,
    );
    // A snapshot holds what ran before it was taken.
    const version = `${pyodide}-${hash(WARM_IMPORTS + PYTHON_PRELUDE)}`;
    const snapshot = await this.#cache.read(version);
    const makeSnapshot = this.#cache.enabled;
    if (makeSnapshot) this.#waiting.set(proc, version);
    return assetFrame(files, snapshot, {
      cwd: this.#cwd,
      heapBytes: (this.#settings.heapMb ?? 512) * 2 ** 20,
      makeSnapshot,
    });
  }

  /** The process said it is ready: nothing it sends from now on is stored. */
  ready(proc: T): void {
    this.#waiting.delete(proc);
  }

  /** A snapshot from `proc`: stored only while the process has not been ready. */
  async snapshot(proc: T, bytes: Uint8Array): Promise<boolean> {
    const version = this.#waiting.get(proc);
    this.#waiting.delete(proc);
    if (version === undefined) return false;
    const write = this.#cache.write(version, bytes);
    this.#writes.add(write);
    try {
      return await write;
    } finally {
      this.#writes.delete(write);
    }
  }

  /** Settles when the snapshot writes under way have ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#writes]);
  }
}

/** A short FNV-1a hash of `text`, in hex. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}
