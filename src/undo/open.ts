/**
 * Where a workspace's snapshots live, and when there are none.
 *
 * @module
 */

import { dataDir, type EnvReader } from "../config/paths.ts";
import { join } from "../util/path.ts";
import { Snapshots } from "./snapshots.ts";
import { pathHash } from "../util/hash.ts";

/**
 * Options of {@linkcode openSnapshots}.
 *
 * @example
 * ```ts
 * const options: OpenSnapshotsOptions = { workspace: "/ws", env: () => undefined, session: "s1" };
 * ```
 */
export interface OpenSnapshotsOptions {
  /** Real path of the workspace. */
  workspace: string;
  /** Where `HOME` and the data folder are read from. */
  env: EnvReader;
  /** The session undo belongs to (default: a new id). */
  session?: string;
  /** The store folder; `null` turns snapshots off; default under nanocode's data folder. */
  storeDir?: string | null;
  /** `PATH` and the rest for git (default: this process's environment). */
  processEnv?: Record<string, string>;
}

/** Stores of workspaces not used for this many days are deleted. */
const STORES_MAX_AGE_DAYS = 30;

/**
 * A short, stable name for a workspace's store (FNV-1a, 64 bits).
 *
 * @example
 * ```ts
 * console.log(storeName("/home/me/project").length); // 16
 * ```
 */
export function storeName(workspace: string): string {
  return pathHash(workspace);
}

/**
 * The snapshots of a workspace: `<data>/snapshots/<name>` by default
 * (`~/.local/share/nanocode/snapshots/...`). `null` when they are off,
 * when git is missing, when there is no home folder to keep them in, or
 * when the workspace is the home folder or `/` (far too much to keep).
 *
 * @example
 * ```ts ignore
 * const snapshots = openSnapshots({ workspace: Deno.cwd(), env: processEnv, session: log.id });
 * ```
 */
export function openSnapshots(
  options: OpenSnapshotsOptions,
): Snapshots | null {
  const { env, workspace } = options;
  const homeVar = env("HOME") ?? env("USERPROFILE");
  const home = homeVar && homeVar.startsWith("/") ? homeVar : "/";
  if (options.storeDir === null) return null;
  if (workspace === "/" || workspace === home) return null;
  let storeDir = options.storeDir;
  const byDefault = storeDir === undefined;
  if (storeDir === undefined) {
    try {
      storeDir = join(dataDir(env), "snapshots", storeName(workspace));
    } catch {
      return null;
    }
  }
  const snapshots = new Snapshots({
    workspace,
    storeDir,
    session: options.session,
    env: options.processEnv,
    prune: byDefault ? { siblingsMaxAgeDays: STORES_MAX_AGE_DAYS } : {},
  });
  return snapshots.available() ? snapshots : null;
}
