/**
 * The undo and redo stacks of one session, kept in the store as
 * `sessions/<id>.json`: undo belongs to the session that made the change.
 *
 * @module
 */

import { join } from "node:path";

/**
 * A turn that changed something: the snapshot before its first change and
 * the one when it ended (missing when the process died mid-turn).
 *
 * @example
 * ```ts
 * const entry: TurnEntry = { turn: 2, task: "add a flag", before: "a".repeat(40), after: "b".repeat(40) };
 * ```
 */
export interface TurnEntry {
  turn: number;
  /** The start of the turn's request, to recognise it. */
  task?: string;
  before: string;
  after?: string;
}

/**
 * An undo that can be redone: the turn, and the snapshots right before
 * and right after the undo.
 *
 * @example
 * ```ts
 * const redo: RedoEntry = { entry: { turn: 2, before: "a".repeat(40) }, before: "c".repeat(40), after: "d".repeat(40) };
 * ```
 */
export interface RedoEntry {
  entry: TurnEntry;
  before: string;
  after: string;
}

/**
 * Both stacks of a session (newest last).
 *
 * @example
 * ```ts
 * const stacks: SessionStacks = { undo: [], redo: [] };
 * ```
 */
export interface SessionStacks {
  undo: TurnEntry[];
  redo: RedoEntry[];
}

const ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The ref keeping a session's snapshots alive.
 *
 * @example
 * ```ts
 * sessionRef("20261124-153000-ab12"); // "refs/sessions/20261124-153000-ab12"
 * ```
 */
export function sessionRef(session: string): string {
  return `refs/sessions/${session}`;
}

/**
 * Whether a session id is safe as a file and ref name.
 *
 * @example
 * ```ts
 * validSession("20261124-153000-ab12"); // true
 * validSession("../x"); // false
 * ```
 */
export function validSession(session: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(session);
}

/**
 * Reads a session's stacks (empty when it has none, or the file is damaged).
 *
 * @example
 * ```ts ignore
 * const { undo } = await readStacks("/data/s1", "20261124-153000-ab12");
 * ```
 */
export async function readStacks(
  storeDir: string,
  session: string,
): Promise<SessionStacks> {
  try {
    const data = JSON.parse(
      await Deno.readTextFile(join(storeDir, "sessions", `${session}.json`)),
    );
    const undo = Array.isArray(data?.undo) ? data.undo.filter(isTurn) : [];
    const redo = Array.isArray(data?.redo)
      ? data.redo.filter((r: Partial<RedoEntry>) =>
        isTurn(r?.entry) && ID.test(String(r.before)) &&
        ID.test(String(r.after))
      )
      : [];
    return { undo, redo };
  } catch {
    return { undo: [], redo: [] };
  }
}

/**
 * Writes a session's stacks atomically (mode 0600); an empty pair removes
 * the file.
 *
 * @example
 * ```ts ignore
 * await writeStacks("/data/s1", "20261124-153000-ab12", { undo: [], redo: [] });
 * ```
 */
export async function writeStacks(
  storeDir: string,
  session: string,
  stacks: SessionStacks,
): Promise<void> {
  const dir = join(storeDir, "sessions");
  const file = join(dir, `${session}.json`);
  if (stacks.undo.length === 0 && stacks.redo.length === 0) {
    await Deno.remove(file).catch(() => {});
    return;
  }
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  await Deno.writeTextFile(temp, JSON.stringify(stacks) + "\n", {
    mode: 0o600,
  });
  await Deno.rename(temp, file);
}

function isTurn(value: unknown): value is TurnEntry {
  const entry = value as Partial<TurnEntry> | null;
  return typeof entry?.turn === "number" && ID.test(String(entry.before)) &&
    (entry.after === undefined || ID.test(String(entry.after))) &&
    (entry.task === undefined || typeof entry.task === "string");
}
