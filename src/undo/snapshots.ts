/**
 * Undo and redo of a session's turns: a snapshot before each turn's first
 * change and one when it ends, kept in a shadow store outside the
 * workspace; undo puts back what the turn changed, and only that.
 *
 * @module
 */

import { resolve } from "node:path";
import { findExecutable } from "../tools/context.ts";
import { pruneStore } from "./prune.ts";
import { realish } from "./realish.ts";
import {
  readStacks,
  sessionRef,
  type TurnEntry,
  validSession,
  writeStacks,
} from "./session_stack.ts";
import {
  COPY_BUDGET,
  DEFAULT_LIMITS,
  DEFAULT_MAX_SNAPSHOT_FILE_BYTES,
  DEFAULT_PRUNE,
  type SnapshotsOptions,
} from "./settings.ts";
import { planStep, takeStep } from "./step.ts";
import { SnapshotStore } from "./store.ts";
import { withStoreLock } from "./store_lock.ts";
import type { UndoOptions, UndoPlan, UndoResult } from "./types.ts";
import type { PruneSettings } from "./prune.ts";

export type { UndoOptions, UndoPlan, UndoResult } from "./types.ts";
export {
  DEFAULT_LIMITS,
  DEFAULT_MAX_SNAPSHOT_FILE_BYTES,
  DEFAULT_PRUNE,
  type SnapshotsOptions,
} from "./settings.ts";

/**
 * A session's undo history over a workspace's snapshot store. The store
 * holds the workspace's files (ignored ones within limits), its `.git`
 * folder and its large files; its index is a stat cache kept between
 * turns and sessions, so a snapshot costs about a `git status`. Calls run
 * one at a time, and one process at a time per store.
 *
 * @example
 * ```ts ignore
 * import { Snapshots } from "./snapshots.ts";
 * const snapshots = new Snapshots({ workspace: "/ws", storeDir: "/data/snapshots/s1", session: "s1" });
 * snapshots.start(); // the first snapshot, in the background
 * await snapshots.ensure(1, "fix the parser"); // before the turn's first change
 * // ... the turn edits, deletes and creates files ...
 * await snapshots.finish(1); // when the turn ends
 * const plan = await snapshots.planUndo(); // what would change, and what would not
 * const undone = await snapshots.undo({ plan });
 * ```
 */
export class Snapshots {
  /** Real path of the workspace. */
  readonly workspace: string;
  /** Absolute path of the store folder. */
  readonly storeDir: string;
  #session: string;
  #store: SnapshotStore | null;
  #prune: PruneSettings;
  #queue: Promise<unknown> = Promise.resolve();
  #abort = new AbortController();
  #ensured: { session: string; turn: number; done: Promise<void> } | null =
    null;

  /**
   * Throws `RangeError` when `storeDir` is the workspace or `session` is
   * not a plain name, and `Deno.errors.NotFound` when the workspace does
   * not exist.
   *
   * @example
   * ```ts
   * new Snapshots({ workspace: "/ws", storeDir: "/ws" }); // throws RangeError
   * ```
   */
  constructor(options: SnapshotsOptions) {
    this.workspace = Deno.realPathSync(resolve(options.workspace));
    this.storeDir = realish(resolve(options.storeDir));
    if (this.storeDir === this.workspace) {
      throw new RangeError(
        `Cannot keep snapshots in "${this.storeDir}": it is the workspace itself`,
      );
    }
    this.#session = checkSession(options.session ?? newSession());
    const env = options.env ?? Deno.env.toObject();
    const git = options.git === undefined
      ? findExecutable("git", env.PATH)
      : options.git;
    this.#prune = { ...DEFAULT_PRUNE, ...options.prune };
    this.#store = git === null ? null : new SnapshotStore({
      workspace: this.workspace,
      storeDir: this.storeDir,
      git,
      path: env.PATH ?? "/usr/bin:/bin",
      limits: {
        ...DEFAULT_LIMITS,
        maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_SNAPSHOT_FILE_BYTES,
        ...options.limits,
      },
      copyBudget: COPY_BUDGET,
      signal: this.#abort.signal,
    });
  }

  /** The session whose turns are snapshotted and undone. */
  get session(): string {
    return this.#session;
  }

  /** Switches to another session (a resumed one); throws `RangeError` for a bad name. */
  set session(session: string) {
    this.#session = checkSession(session);
    this.#ensured = null;
  }

  /**
   * Whether snapshots can be taken (git was found).
   *
   * @example
   * ```ts ignore
   * if (!snapshots.available()) console.log("install git to enable /undo");
   * ```
   */
  available(): boolean {
    return this.#store !== null;
  }

  /**
   * Takes a snapshot in the background (at session start), so the first
   * turn's snapshot only adds what changed since, then prunes the store
   * when it is due. Failures are left for the next snapshot to report.
   *
   * @example
   * ```ts ignore
   * snapshots.start();
   * ```
   */
  start(): Promise<void> {
    const store = this.#store;
    if (!store) return Promise.resolve();
    return this.#serial(async () => {
      await store.capture("session start", null);
      await pruneStore(store, this.#prune, this.#session);
    }).catch(() => {});
  }

  /**
   * Snapshots the workspace before the first change of `turn` (later calls
   * for the same turn wait for that snapshot and return). Clears what could
   * be redone. Throws an `Error` naming the git command when git fails.
   *
   * @example
   * ```ts ignore
   * await snapshots.ensure(2, "add a --json flag");
   * ```
   */
  ensure(turn: number, task?: string): Promise<void> {
    const store = this.#store;
    if (!store) return Promise.resolve();
    const session = this.#session;
    const ensured = this.#ensured;
    if (ensured?.session === session && ensured.turn === turn) {
      return ensured.done;
    }
    const done = this.#serial(async () => {
      const before = await store.capture(
        `before turn ${turn}`,
        sessionRef(session),
      );
      const stacks = await readStacks(this.storeDir, session);
      const entry: TurnEntry = { turn, before };
      if (task) entry.task = task.replace(/\s+/g, " ").trim().slice(0, 80);
      stacks.undo.push(entry);
      stacks.redo = [];
      await writeStacks(this.storeDir, session, stacks);
    });
    this.#ensured = { session, turn, done };
    done.catch(() => {
      if (this.#ensured?.done === done) this.#ensured = null;
    });
    return done;
  }

  /**
   * Ends `turn`: snapshots what it left, so later changes by others can be
   * told apart from its own. A turn that changed nothing leaves no undo
   * step. Does nothing when the turn took no snapshot.
   *
   * @example
   * ```ts ignore
   * await snapshots.finish(2);
   * ```
   */
  async finish(turn: number): Promise<void> {
    const store = this.#store;
    const ensured = this.#ensured;
    if (!store || ensured?.turn !== turn) return;
    this.#ensured = null;
    try {
      await ensured.done;
    } catch {
      return; // no snapshot was taken
    }
    const session = ensured.session;
    await this.#serial(async () => {
      const after = await store.capture(
        `after turn ${turn}`,
        sessionRef(session),
      );
      const stacks = await readStacks(this.storeDir, session);
      const entry = stacks.undo.findLast((e) => e.turn === turn && !e.after);
      if (!entry) return;
      if (await store.tree(entry.before) === await store.tree(after)) {
        stacks.undo.splice(stacks.undo.indexOf(entry), 1);
      } else entry.after = after;
      await writeStacks(this.storeDir, session, stacks);
    });
  }

  /**
   * What {@linkcode Snapshots.undo} would do now, or `null` when this
   * session has nothing to undo.
   *
   * @example
   * ```ts ignore
   * const plan = await snapshots.planUndo();
   * if (plan) console.log(plan.restore, plan.remove, plan.conflicts);
   * ```
   */
  planUndo(): Promise<UndoPlan | null> {
    return this.#plan("undo");
  }

  /**
   * What {@linkcode Snapshots.redo} would do now, or `null` when there is
   * no undo to redo.
   *
   * @example
   * ```ts ignore
   * const plan = await snapshots.planRedo();
   * ```
   */
  planRedo(): Promise<UndoPlan | null> {
    return this.#plan("redo");
  }

  /**
   * Undoes the session's latest turn not yet undone: what it changed,
   * created or deleted goes back to how it was before it. Files changed
   * again since the turn ended are kept (listed in `kept`) unless
   * `overwrite` is set; with a `plan`, only the conflicts it listed are
   * overwritten, and it throws an `Error` when the session's history moved
   * on since the plan was made. Resolves with `null` when there is nothing
   * to undo.
   *
   * @example
   * ```ts ignore
   * const plan = await snapshots.planUndo();
   * const result = await snapshots.undo({ plan, overwrite: false });
   * ```
   */
  undo(options: UndoOptions = {}): Promise<UndoResult | null> {
    return this.#apply("undo", options);
  }

  /**
   * Reverses the session's latest undo (same rules as
   * {@linkcode Snapshots.undo}: files changed since the undo are kept
   * unless `overwrite`).
   *
   * @example
   * ```ts ignore
   * await snapshots.redo();
   * ```
   */
  redo(options: UndoOptions = {}): Promise<UndoResult | null> {
    return this.#apply("redo", options);
  }

  /**
   * The turns this session can undo, oldest first.
   *
   * @example
   * ```ts ignore
   * await snapshots.turns(); // [1, 2]
   * ```
   */
  turns(): Promise<number[]> {
    if (!this.#store) return Promise.resolve([]);
    const session = this.#session;
    return this.#serial(async () =>
      (await readStacks(this.storeDir, session)).undo.map((e) => e.turn)
    );
  }

  /**
   * Stops background work (a first snapshot still running is cut short;
   * its progress is kept) and waits for calls in flight to settle.
   *
   * @example
   * ```ts ignore
   * await snapshots.close();
   * ```
   */
  async close(): Promise<void> {
    this.#abort.abort();
    await this.#queue.catch(() => {});
  }

  async #plan(kind: "undo" | "redo"): Promise<UndoPlan | null> {
    const store = this.#store;
    if (!store) return null;
    const session = this.#session;
    return await this.#serial(() => planStep(store, kind, session));
  }

  async #apply(
    kind: "undo" | "redo",
    options: UndoOptions,
  ): Promise<UndoResult | null> {
    const store = this.#store;
    if (!store) return null;
    const session = this.#session;
    return await this.#serial(() => takeStep(store, kind, session, options));
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const locked = () => withStoreLock(this.storeDir, fn);
    const run = this.#queue.then(locked, locked);
    this.#queue = run.catch(() => {});
    return run;
  }
}

function checkSession(session: string): string {
  if (!validSession(session)) {
    throw new RangeError(
      `Cannot use ${
        JSON.stringify(session)
      } as a session id: use letters, digits, "-" and "_"`,
    );
  }
  return session;
}

function newSession(): string {
  const random = crypto.getRandomValues(new Uint8Array(4));
  return `lib-${Date.now().toString(36)}-${
    [...random].map((b) => b.toString(16).padStart(2, "0")).join("")
  }`;
}
