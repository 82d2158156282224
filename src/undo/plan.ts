/**
 * What an undo (or redo) would do: the paths a turn changed, put back as
 * they were before it, except those changed again since (by the user, an
 * editor, another session), which are only listed.
 *
 * @module
 */

import { join } from "node:path";
import { type LargeEntry, recoverable, sameVersion } from "./large_files.ts";
import type { RawChange, SnapshotInfo, SnapshotStore } from "./store.ts";

/**
 * Where a path goes: a git blob, a kept large file, or away.
 *
 * @example
 * ```ts
 * const target: Target = { kind: "remove" };
 * ```
 */
export type Target =
  | { kind: "git"; mode: string; id: string }
  | { kind: "large"; entry: LargeEntry }
  | { kind: "remove" };

/**
 * One path of a plan (workspace-relative; `.git/...` for the repository).
 *
 * @example
 * ```ts
 * const change: PlannedChange = { path: "a.ts", target: { kind: "remove" } };
 * ```
 */
export interface PlannedChange {
  path: string;
  target: Target;
}

/**
 * A computed plan.
 *
 * @example
 * ```ts
 * const plan: ComputedPlan = { act: [], conflicts: [], lost: [], privatePaths: new Set() };
 * ```
 */
export interface ComputedPlan {
  /** Changes made without asking further. */
  act: PlannedChange[];
  /** Paths changed since the turn (or the undo): applied only if confirmed. */
  conflicts: PlannedChange[];
  /**
   * What cannot come back: large files whose kept version was written over
   * in place, and what the target snapshot left out (an ignored folder over
   * the limits, a nested repository, a large file it could not keep) that
   * the turn deleted or changed.
   */
  lost: string[];
  /** Paths whose target version was readable by the owner only. */
  privatePaths: Set<string>;
}

/**
 * Plans putting back what changed between `target` and `reference` to how
 * it was at `target`, judged against `now` (a snapshot just taken): a path
 * already as it was is skipped; one that changed between `reference` and
 * `now` is a conflict; without a `reference` (the turn never ended) every
 * difference is. A path the target snapshot left out (an ignored folder
 * over the limits, a nested repository) is never removed, and one the
 * current snapshot left out is never written over without asking.
 *
 * @example
 * ```ts ignore
 * const plan = await computePlan(store, entry.before, entry.after ?? null, now);
 * ```
 */
export async function computePlan(
  store: SnapshotStore,
  target: string,
  reference: string | null,
  now: string,
): Promise<ComputedPlan> {
  const workspace = store.options.workspace;
  const [tInfo, rInfo, nInfo] = await Promise.all([
    store.info(target),
    reference ? store.info(reference) : null,
    store.info(now),
  ]);
  const toNow = await store.diff(target, now);
  const turn = reference ? await store.diff(target, reference) : toNow;
  const since = reference ? await store.diff(reference, now) : null;
  const paths = new Set(turn.keys());
  for (const path of largeChanges(tInfo, rInfo ?? nInfo)) paths.add(path);
  const plan: ComputedPlan = {
    act: [],
    conflicts: [],
    lost: [],
    privatePaths: new Set(tInfo.private.filter((p) => paths.has(p))),
  };
  // What the target snapshot left out is gone or different once it is no
  // longer left out after the turn: nothing can bring it back, but the
  // user is told. (A folder still left out may have changed unseen.)
  const after = rInfo ?? nInfo;
  for (const hole of tInfo.holes) {
    if (after.holes.includes(hole)) continue;
    if (hole.endsWith("/") || !exists(join(workspace, hole))) {
      plan.lost.push(hole);
    }
  }
  for (const path of [...paths].sort()) {
    const current = toNow.get(path);
    const largeNow = nInfo.large[path];
    if (!current && sameVersion(tInfo.large[path], largeNow)) continue;
    const before = tInfo.large[path];
    const target: Target = before
      ? { kind: "large", entry: before }
      : current && current.fromMode !== "000000"
      ? { kind: "git", mode: current.fromMode, id: current.from }
      : { kind: "remove" };
    const coveredNow = present(current) || largeNow !== undefined;
    let conflict = since
      ? since.has(path) || !sameVersion(rInfo!.large[path], largeNow)
      : true;
    if (target.kind === "remove") {
      if (inHoles(tInfo.holes, path) || !coveredNow) continue;
    } else if (!coveredNow && exists(join(workspace, path))) {
      conflict = true; // there now, but its content is unknown
    }
    if (
      target.kind === "large" &&
      !await recoverable(store.options.storeDir, target.entry)
    ) {
      plan.lost.push(path);
      continue;
    }
    (conflict ? plan.conflicts : plan.act).push({ path, target });
  }
  plan.lost.sort();
  return plan;
}

/** Whether the newer side of a change has the path in git. */
function present(change: RawChange | undefined): boolean {
  return change !== undefined && change.toMode !== "000000";
}

function largeChanges(a: SnapshotInfo, b: SnapshotInfo): string[] {
  const paths = new Set([...Object.keys(a.large), ...Object.keys(b.large)]);
  return [...paths].filter((p) => !sameVersion(a.large[p], b.large[p]));
}

/**
 * Whether `path` is inside one of `holes` (folders end in `/`).
 *
 * @example
 * ```ts
 * inHoles(["node_modules/"], "node_modules/a/b.js"); // true
 * ```
 */
export function inHoles(holes: string[], path: string): boolean {
  return holes.some((hole) =>
    hole.endsWith("/") ? path.startsWith(hole) : path === hole
  );
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
