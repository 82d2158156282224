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
 * A project's input history. It starts empty; {@linkcode InputHistory.load}
 * reads the saved entries (after the prompt is up).
 *
 * @example
 * ```ts ignore
 * const history = InputHistory.of(processEnv, Deno.cwd());
 * await history.load();
 * history.add("fix the failing test");
 * ```
 */
export class InputHistory {
  /** Entries, oldest first. */
  readonly entries: string[] = [];
  readonly path: string | null;

  private constructor(path: string | null) {
    this.path = path;
  }

  /** The history of `cwd` (kept nowhere when there is no home folder). */
  static of(env: EnvReader, cwd: string): InputHistory {
    try {
      return new InputHistory(
        join(dataDir(env), "history", `${pathHash(cwd)}.jsonl`),
      );
    } catch {
      return new InputHistory(null);
    }
  }

  /**
   * Reads the saved entries, before any added since. A file holding many
   * more lines than are kept (every session appends) is cut to the kept
   * entries, so it cannot grow without end.
   */
  async load(): Promise<void> {
    if (!this.path) return;
    const saved: string[] = [];
    let lines = 0;
    try {
      const text = await Deno.readTextFile(this.path);
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        lines++;
        try {
          const entry = JSON.parse(line) as { text?: unknown };
          if (typeof entry.text === "string") saved.push(entry.text);
        } catch {
          // a line cut by a crash
        }
      }
    } catch {
      // no history yet
    }
    if (lines > 2 * KEEP) this.#rewrite(saved.slice(-KEEP));
    this.entries.unshift(...saved.slice(-KEEP));
    if (this.entries.length > KEEP) {
      this.entries.splice(0, this.entries.length - KEEP);
    }
  }

  /** Replaces the file with `entries` (atomically; a failure keeps the old one). */
  #rewrite(entries: string[]): void {
    const path = this.path!;
    const temp = `${path}.${crypto.randomUUID()}.tmp`;
    const ts = new Date().toISOString();
    try {
      Deno.writeTextFileSync(
        temp,
        entries.map((text) => `${JSON.stringify({ text, ts })}\n`).join(""),
        { mode: 0o600 },
      );
      Deno.renameSync(temp, path);
    } catch {
      try {
        Deno.removeSync(temp);
      } catch { /* never written */ }
    }
  }

  /**
   * Adds an entry (not a repeat of the last one) and appends it to the
   * file, unless it starts with a space.
   */
  add(text: string): void {
    if (!text.trim() || this.entries.at(-1) === text) return;
    this.entries.push(text);
    if (this.entries.length > KEEP) this.entries.shift();
    // As with bash's `ignorespace`: a line typed with a leading space (a
    // token after `!`, say) is offered in this session only.
    if (!this.path || /^\s/.test(text)) return;
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
