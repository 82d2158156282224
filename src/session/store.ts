/**
 * Sessions on disk: an append-only JSONL file per session under the data
 * folder. Each record is written whole, as it happens, so a crash or a
 * kill mid-turn loses nothing already written.
 *
 * @module
 */

import { join } from "../util/path.ts";
import type { Turn } from "../agent/types.ts";
import type { SessionHeader, SessionRecord } from "./records.ts";

/** Distributes `Omit` over a union. */
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What a session list shows. */
export interface SessionSummary {
  id: string;
  cwd: string;
  created: string;
  /** Last time the file changed. */
  updated: Date;
  /** Turns with an answer. */
  turns: number;
  /** The first request, for recognising the session. */
  firstTask: string;
}

/** A session read back from disk. */
export interface LoadedSession {
  header: SessionHeader;
  /** The conversation as the agent's history (after the last `/c`). */
  history: Turn[];
  /** The number of the last turn written. */
  lastTurn: number;
  /** The model in use when the session was left. */
  lm: string;
}

const ID = /^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$/;

/**
 * A new session id: sortable by time, with a random suffix.
 *
 * @example
 * ```ts
 * import { newSessionId } from "./store.ts";
 * console.log(/^\d{8}-\d{6}-[0-9a-f]{4}$/.test(newSessionId(new Date()))); // true
 * ```
 */
export function newSessionId(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp =
    `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-` +
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const random = crypto.getRandomValues(new Uint8Array(2));
  return `${stamp}-${
    [...random].map((b) => b.toString(16).padStart(2, "0")).join("")
  }`;
}

/**
 * An open session file. Records are appended synchronously, one whole line
 * per write, in the order they happen.
 *
 * @example
 * ```ts ignore
 * const log = SessionLog.create(dir, { cwd: Deno.cwd(), lm: "openrouter/x", version: "0.1.0" });
 * log.append({ type: "user", turn: 1, text: "hi", ts: new Date().toISOString() });
 * ```
 */
export class SessionLog {
  readonly id: string;
  readonly path: string;
  turn = 0;
  #encoder = new TextEncoder();
  /** The header of a new session, written (with the folder) on the first append. */
  #pending: { dir: string; header: SessionHeader } | null;

  private constructor(
    id: string,
    path: string,
    turn: number,
    pending: { dir: string; header: SessionHeader } | null,
  ) {
    this.id = id;
    this.path = path;
    this.turn = turn;
    this.#pending = pending;
  }

  /**
   * A new session in `dir`. Nothing touches the disk until the first
   * record is appended, so a session where nothing happened leaves no file
   * (and start-up does no file I/O for it).
   */
  static create(
    dir: string,
    info: { cwd: string; lm: string; version: string },
    now = new Date(),
  ): SessionLog {
    const id = newSessionId(now);
    const header: SessionHeader = {
      type: "session",
      id,
      created: now.toISOString(),
      ...info,
    };
    return new SessionLog(id, join(dir, `${id}.jsonl`), 0, { dir, header });
  }

  /** Reopens an existing session to append to it. */
  static reopen(dir: string, session: LoadedSession): SessionLog {
    const id = session.header.id;
    return new SessionLog(id, join(dir, `${id}.jsonl`), session.lastTurn, null);
  }

  /** Whether the session file exists (something was recorded). */
  get written(): boolean {
    return this.#pending === null;
  }

  /** Appends one record (a `ts` is added when missing). */
  append(
    record: Without<Exclude<SessionRecord, SessionHeader>, "ts"> & {
      ts?: string;
    },
  ): void {
    if (this.#pending) {
      const { dir, header } = this.#pending;
      this.#pending = null;
      Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
      this.#write(header);
    }
    this.#write({ ts: new Date().toISOString(), ...record } as SessionRecord);
  }

  #write(record: SessionRecord): void {
    Deno.writeFileSync(
      this.path,
      this.#encoder.encode(`${JSON.stringify(record)}\n`),
      {
        append: true,
        create: true,
        mode: 0o600,
      },
    );
  }
}

function parseLines(text: string): SessionRecord[] {
  const records: SessionRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // A line cut by a crash mid-write: skip it, keep the rest.
      continue;
    }
    // A line that is not a record nanocode can use (edited by hand, another
    // program's, a number or `null`): skip it too.
    if (isUsableRecord(value)) records.push(value);
  }
  return records;
}

/** The fields resuming and listing read, checked by record type. */
const REQUIRED: Record<string, Record<string, "string" | "number">> = {
  session: { id: "string", cwd: "string", created: "string", lm: "string" },
  user: { turn: "number", text: "string" },
  answer: { turn: "number", text: "string" },
  model: { lm: "string" },
};

function isUsableRecord(value: unknown): value is SessionRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return false;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.type !== "string") return false;
  const fields = REQUIRED[record.type] ?? {};
  const typed = Object.entries(fields).every(([key, type]) =>
    type === "string"
      ? typeof record[key] === "string"
      : typeof record[key] === "number"
  );
  // A compacted history is replayed and sent to the model: every turn in it
  // must be a pair of strings.
  return typed &&
    (record.type !== "compacted" ||
      (Array.isArray(record.history) && record.history.every(isTurn)));
}

function isTurn(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const turn = value as Record<string, unknown>;
  return typeof turn.user === "string" && typeof turn.answer === "string";
}

/**
 * Reads a session back. `id` may be a unique prefix of a session id.
 *
 * @throws {Deno.errors.NotFound} when no session matches, or the match is ambiguous.
 * @example
 * ```ts ignore
 * const session = await readSession(dir, "20261124-1530");
 * console.log(session.history.length);
 * ```
 */
export async function readSession(
  dir: string,
  id: string,
): Promise<LoadedSession> {
  const ids = (await sessionIds(dir)).filter((candidate) =>
    candidate.startsWith(id)
  );
  if (ids.length !== 1) {
    throw new Deno.errors.NotFound(
      ids.length === 0
        ? `No session "${id}"; run with --resume to list sessions`
        : `Session id "${id}" matches ${ids.length} sessions; give more of it`,
    );
  }
  const records = parseLines(
    await Deno.readTextFile(join(dir, `${ids[0]}.jsonl`)),
  );
  const header = records.find((r): r is SessionHeader => r.type === "session");
  if (!header) {
    throw new Deno.errors.NotFound(
      `Session file ${ids[0]}.jsonl has no header`,
    );
  }
  let history: Turn[] = [];
  const asked = new Map<number, string>();
  let lastTurn = 0;
  let lm = header.lm;
  for (const record of records) {
    if (record.type === "user") {
      asked.set(record.turn, record.text);
      lastTurn = Math.max(lastTurn, record.turn);
    } else if (record.type === "answer" && asked.has(record.turn)) {
      history.push({ user: asked.get(record.turn)!, answer: record.text });
    } else if (record.type === "cleared") history = [];
    else if (record.type === "compacted") {
      history = record.history.map((t) => ({ user: t.user, answer: t.answer }));
    } else if (record.type === "model") lm = record.lm;
  }
  return { header, history, lastTurn, lm };
}

async function sessionIds(dir: string): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      const id = entry.name.replace(/\.jsonl$/, "");
      if (entry.isFile && entry.name.endsWith(".jsonl") && ID.test(id)) {
        ids.push(id);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return ids.sort();
}

/**
 * Lists sessions, newest first; with `cwd`, only those of that folder.
 *
 * @example
 * ```ts ignore
 * for (const s of await listSessions(dir, Deno.cwd())) console.log(s.id, s.firstTask);
 * ```
 */
export async function listSessions(
  dir: string,
  cwd?: string,
): Promise<SessionSummary[]> {
  const out: SessionSummary[] = [];
  for (const id of await sessionIds(dir)) {
    const path = join(dir, `${id}.jsonl`);
    let text: string;
    let info: Deno.FileInfo;
    try {
      [text, info] = await Promise.all([
        Deno.readTextFile(path),
        Deno.stat(path),
      ]);
    } catch {
      continue;
    }
    const records = parseLines(text);
    const header = records.find((r): r is SessionHeader =>
      r.type === "session"
    );
    if (!header || (cwd !== undefined && header.cwd !== cwd)) continue;
    const first = records.find((r) => r.type === "user");
    out.push({
      id,
      cwd: header.cwd,
      created: header.created,
      updated: info.mtime ?? new Date(0),
      turns: records.filter((r) => r.type === "answer").length,
      firstTask: first?.type === "user" ? first.text : "",
    });
  }
  return out.sort((a, b) =>
    b.updated.getTime() - a.updated.getTime() || b.id.localeCompare(a.id)
  );
}
