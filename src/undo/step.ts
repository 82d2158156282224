/**
 * One undo or redo step of a session: which snapshots it goes between,
 * what it would do (the plan shown before asking) and doing it. The
 * caller holds the store lock.
 *
 * @module
 */

import { applyChanges } from "./apply.ts";
import { computePlan } from "./plan.ts";
import {
  readStacks,
  sessionRef,
  type TurnEntry,
  writeStacks,
} from "./session_stack.ts";
import type { SnapshotStore } from "./store.ts";
import type { UndoOptions, UndoPlan, UndoResult } from "./types.ts";

/** The next step of a kind: the turn, and the snapshots it goes between. */
interface Step {
  entry: TurnEntry;
  /** Where the files go back to. */
  target: string;
  /** Where they were when the turn (or the undo) ended; `null`: unknown. */
  reference: string | null;
  id: string;
}

/** The step `kind` would take next in `session`, or `null`. */
async function nextStep(
  storeDir: string,
  kind: "undo" | "redo",
  session: string,
): Promise<Step | null> {
  const stacks = await readStacks(storeDir, session);
  const redo = stacks.redo.at(-1);
  const entry = kind === "undo" ? stacks.undo.at(-1) : redo?.entry;
  if (!entry) return null;
  const [target, reference] = kind === "undo"
    ? [entry.before, entry.after ?? null]
    : [redo!.before, redo!.after];
  return {
    entry,
    target,
    reference,
    id: `${kind}:${target}:${reference ?? ""}`,
  };
}

/**
 * What the next `kind` step of `session` would do now (a snapshot of now
 * is taken to judge it), or `null` when there is none.
 *
 * @example
 * ```ts ignore
 * const plan = await planStep(store, "undo", "s1");
 * ```
 */
export async function planStep(
  store: SnapshotStore,
  kind: "undo" | "redo",
  session: string,
): Promise<UndoPlan | null> {
  const step = await nextStep(store.options.storeDir, kind, session);
  if (!step) return null;
  const now = await store.capture(`before ${kind}`, sessionRef(session));
  const plan = await computePlan(store, step.target, step.reference, now);
  const act = plan.act;
  return {
    kind,
    session,
    turn: step.entry.turn,
    ...(step.entry.task ? { task: step.entry.task } : {}),
    finished: step.reference !== null,
    restore: act.filter((c) => c.target.kind !== "remove").map((c) => c.path),
    remove: act.filter((c) => c.target.kind === "remove").map((c) => c.path),
    conflicts: plan.conflicts.map((c) => c.path),
    lost: plan.lost,
    id: step.id,
  };
}

/**
 * Takes the next `kind` step of `session`: plans it against a snapshot of
 * now, applies it (conflicts only with `overwrite`, and with a `plan` only
 * those it showed), snapshots the result and moves the step to the other
 * stack. Throws an `Error` when `options.plan` is for another step.
 *
 * @example
 * ```ts ignore
 * const result = await takeStep(store, "undo", "s1", { plan });
 * ```
 */
export async function takeStep(
  store: SnapshotStore,
  kind: "undo" | "redo",
  session: string,
  options: UndoOptions,
): Promise<UndoResult | null> {
  const { storeDir } = store.options;
  const step = await nextStep(storeDir, kind, session);
  if (!step) return null;
  if (options.plan && options.plan.id !== step.id) {
    throw new Error(
      `Cannot ${kind}: the session's ${kind} history changed since that plan was made; plan again`,
    );
  }
  const ref = sessionRef(session);
  const before = await store.capture(`before ${kind}`, ref);
  const plan = await computePlan(store, step.target, step.reference, before);
  const shown = options.plan ? new Set(options.plan.conflicts) : null;
  const overwrite = options.overwrite
    ? plan.conflicts.filter((c) => !shown || shown.has(c.path))
    : [];
  const changes = [...plan.act, ...overwrite];
  const outcome = await applyChanges(store, changes, plan.privatePaths);
  if (changes.some((c) => c.path.startsWith(".git/"))) {
    await store.repo.restoreObjects();
  }
  const after = await store.capture(`after ${kind}`, ref);
  const stacks = await readStacks(storeDir, session);
  if (kind === "undo") {
    const entry = stacks.undo.pop()!;
    stacks.redo.push({ entry, before, after });
  } else stacks.undo.push(stacks.redo.pop()!.entry);
  await writeStacks(storeDir, session, stacks);
  const written = new Set(overwrite.map((c) => c.path));
  const kept = plan.conflicts.filter((c) => !written.has(c.path));
  return {
    kind,
    turn: step.entry.turn,
    ...(step.entry.task ? { task: step.entry.task } : {}),
    restored: outcome.restored.sort(),
    removed: outcome.removed.sort(),
    kept: [...kept.map((c) => c.path), ...outcome.blocked].sort(),
    lost: plan.lost,
  };
}
