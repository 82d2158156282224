/**
 * What undo and redo show and return. Paths are relative to the workspace
 * with `/` separators, sorted; the repository's own files are `.git/...`.
 *
 * @module
 */

/**
 * What an undo or redo would do now, shown before asking.
 *
 * @example
 * ```ts
 * const plan: UndoPlan = {
 *   kind: "undo", session: "20261124-153000-ab12", turn: 2, task: "add a flag", finished: true,
 *   restore: ["src/a.ts"], remove: ["new.ts"], conflicts: ["notes.md"], lost: [], id: "undo:…",
 * };
 * ```
 */
export interface UndoPlan {
  /** Undo a turn, or redo an undo. */
  kind: "undo" | "redo";
  /** The session whose history it belongs to. */
  session: string;
  /** The turn undone (or redone). */
  turn: number;
  /** The start of that turn's request. */
  task?: string;
  /** False when the turn never ended (the process died): every change then counts as a conflict. */
  finished: boolean;
  /** Files put back as they were (changed or deleted by the turn). */
  restore: string[];
  /** Files removed (created by the turn). */
  remove: string[];
  /**
   * Files the turn changed that changed again after it (by you, an editor,
   * another session): kept as they are unless the undo is told to
   * overwrite them.
   */
  conflicts: string[];
  /**
   * What cannot come back: large files whose kept version was written over
   * in place, and what the snapshot left out (an ignored folder over the
   * limits, a nested repository; folders end in `/`) that the turn deleted
   * or changed.
   */
  lost: string[];
  /** Which step this plan is for (an undo with a stale plan is refused). */
  id: string;
}

/**
 * Options of an undo or redo.
 *
 * @example
 * ```ts
 * const options: UndoOptions = { overwrite: false };
 * ```
 */
export interface UndoOptions {
  /**
   * The plan the user saw: the undo is refused if the history moved on
   * since, and `overwrite` covers only the conflicts it listed.
   */
  plan?: UndoPlan;
  /** Also put back files changed after the turn (their later changes are lost). Default false. */
  overwrite?: boolean;
}

/**
 * What an undo or redo did.
 *
 * @example
 * ```ts
 * const result: UndoResult = { kind: "undo", turn: 3, restored: ["src/a.ts"], removed: ["tmp.txt"], kept: [], lost: [] };
 * ```
 */
export interface UndoResult {
  /** An undo of a turn, or a redo of an undo. */
  kind: "undo" | "redo";
  /** The turn whose changes were undone (or redone). */
  turn: number;
  /** The start of that turn's request. */
  task?: string;
  /** Files put back. */
  restored: string[];
  /** Files removed. */
  removed: string[];
  /** Files left as they are: changed since (not confirmed), or something in the way. */
  kept: string[];
  /** What could not come back (see {@linkcode UndoPlan.lost}). */
  lost: string[];
}
