/**
 * The settings of undo snapshots and their defaults.
 *
 * @module
 */

import type { PruneSettings } from "./prune.ts";
import type { ScanLimits } from "./scan.ts";

/**
 * Options of `Snapshots`.
 *
 * @example
 * ```ts
 * const options: SnapshotsOptions = { workspace: ".", storeDir: "/home/me/.local/share/nanocode/snapshots/abc", session: "s1" };
 * ```
 */
export interface SnapshotsOptions {
  /** The folder whose files are snapshotted. */
  workspace: string;
  /** Where the shadow store lives; must not be the workspace. */
  storeDir: string;
  /** The session whose turns this object snapshots and undoes (default: a new id). */
  session?: string;
  /** Path of `git`; default: found on `PATH`. `null`: snapshots unavailable. */
  git?: string | null;
  /** Files larger than this are kept as links or clones, not in git (default 16 MiB). */
  maxFileBytes?: number;
  /** Limits on ignored folders and large files (defaults in {@linkcode DEFAULT_LIMITS}). */
  limits?: Partial<ScanLimits>;
  /** Pruning by age and size (defaults in {@linkcode DEFAULT_PRUNE}). */
  prune?: Partial<PruneSettings>;
  /**
   * The environment git's `PATH` is taken from (default: this process's).
   * Nothing else of it reaches git.
   */
  env?: Record<string, string>;
}

/**
 * Size above which a file is kept outside git (as a link): 16 MiB.
 *
 * @example
 * ```ts ignore
 * new Snapshots({ workspace, storeDir, maxFileBytes: DEFAULT_MAX_SNAPSHOT_FILE_BYTES * 4 });
 * ```
 */
export const DEFAULT_MAX_SNAPSHOT_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Default limits: ignored folders up to 2,000 files and 64 MiB are kept,
 * and up to 1,000 large files per snapshot.
 *
 * @example
 * ```ts
 * console.log(DEFAULT_LIMITS.ignoredDirFiles); // 2000
 * ```
 */
export const DEFAULT_LIMITS: ScanLimits = {
  maxFileBytes: DEFAULT_MAX_SNAPSHOT_FILE_BYTES,
  ignoredDirFiles: 2000,
  ignoredDirBytes: 64 * 1024 * 1024,
  maxLargeFiles: 1000,
};

/**
 * Default pruning: sessions idle for 14 days go, and the oldest go first
 * while the store holds more than 2 GiB of its own (bytes shared with the
 * workspace through hard links do not count).
 *
 * @example
 * ```ts
 * console.log(DEFAULT_PRUNE.maxAgeDays); // 14
 * ```
 */
export const DEFAULT_PRUNE: PruneSettings = {
  maxAgeDays: 14,
  maxBytes: 2 * 1024 * 1024 * 1024,
  everyHours: 24,
  siblingsMaxAgeDays: 0,
};

/** Bytes a snapshot may copy when neither reflinks nor hard links work. */
export const COPY_BUDGET = 512 * 1024 * 1024;
