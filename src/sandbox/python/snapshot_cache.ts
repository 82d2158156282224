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
 *
 * @module
 */

import { type EnvReader, processEnv } from "../../config/paths.ts";
import { dirname, join } from "../../util/path.ts";

/** Bumped when what the worker does before taking a snapshot changes. */
const FORMAT = 1;
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
  const base = env("XDG_CACHE_HOME") || (home && join(home, ".cache"));
  return base ? join(base, "nanocode", "python") : undefined;
}

/**
 * Reads, stores and drops the snapshot of one Pyodide version. Every
 * failure to read or write is quiet: a missing snapshot only means a cold
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
    if (!path) return undefined;
    try {
      const bytes = await Deno.readFile(path);
      return acceptable(bytes) ? bytes : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a snapshot (atomically); returns whether it was stored. */
  async write(version: string, bytes: Uint8Array): Promise<boolean> {
    const path = this.path(version);
    if (!path || !acceptable(bytes)) return false;
    // Written beside and renamed into place: a reader (another session)
    // sees the old snapshot or the new one, never half of one.
    const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    try {
      await Deno.mkdir(dirname(path), { recursive: true });
      await Deno.writeFile(temp, bytes);
      await Deno.rename(temp, path);
      return true;
    } catch {
      await Deno.remove(temp).catch(() => {});
      return false;
    }
  }
}

function acceptable(bytes: Uint8Array): boolean {
  return bytes.length >= MIN_BYTES && bytes.length <= MAX_BYTES &&
    bytes.length % 4 === 0;
}
