/**
 * The input history of a project, kept across sessions: one JSON line per
 * entry in `<data>/history/<hash of the folder>.jsonl`, owner-only.
 *
 * @module
 */

import { dataDir, type EnvReader } from "../config/paths.ts";
import { pathHash } from "../util/hash.ts";
import { join } from "../util/path.ts";

/** Entries kept in memory and offered by ↑ and Ctrl-R. */
const KEEP = 1000;

/**
 * A project's input history.
 *
 * @example
 * ```ts ignore
 * const history = await InputHistory.open(processEnv, Deno.cwd());
 * history.add("fix the failing test");
 * ```
 */
export class InputHistory {
  /** Entries, oldest first. */
  readonly entries: string[];
  readonly path: string | null;

  private constructor(entries: string[], path: string | null) {
    this.entries = entries;
    this.path = path;
  }

  /** Loads the history of `cwd` (empty when there is none or no home folder). */
  static async open(env: EnvReader, cwd: string): Promise<InputHistory> {
    let path: string;
    try {
      path = join(dataDir(env), "history", `${pathHash(cwd)}.jsonl`);
    } catch {
      return new InputHistory([], null);
    }
    const entries: string[] = [];
    try {
      const text = await Deno.readTextFile(path);
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        try {
          const entry = JSON.parse(line) as { text?: unknown };
          if (typeof entry.text === "string") entries.push(entry.text);
        } catch {
          // a line cut by a crash
        }
      }
    } catch {
      // no history yet
    }
    return new InputHistory(entries.slice(-KEEP), path);
  }

  /** Adds an entry (not a repeat of the last one) and appends it to the file. */
  add(text: string): void {
    if (!text.trim() || this.entries.at(-1) === text) return;
    this.entries.push(text);
    if (this.entries.length > KEEP) this.entries.shift();
    if (!this.path) return;
    try {
      Deno.mkdirSync(join(this.path, ".."), { recursive: true, mode: 0o700 });
      Deno.writeTextFileSync(
        this.path,
        `${JSON.stringify({ text, ts: new Date().toISOString() })}\n`,
        { append: true, create: true, mode: 0o600 },
      );
    } catch {
      // history is a convenience: a read-only home must not break input
    }
  }
}
