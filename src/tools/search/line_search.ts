/**
 * Finds the lines of a decoded text that a search pattern matches, the way
 * `grep_files` reports them.
 *
 * `LineSearch` is self-contained (no outer references) on purpose: the
 * search child process embeds its source text (see `search_child.ts`).
 *
 * @module
 */

import type { FileHits, GrepHit } from "./backend.ts";

/** How much of a matching line is kept (see `backend.ts`). */
export interface LineLimits {
  /** Bytes of a matching line kept (`LINE_PREVIEW_BYTES`). */
  previewBytes: number;
  /** A match starting further into its line has no `matchStart` (`MATCH_BYTE_LIMIT`). */
  matchLimit: number;
}

/**
 * Matches one regular expression against the lines of texts. Lines end at
 * `\n`; a trailing `\r` is not part of the line; the empty rest after a
 * final `\n` is not a line.
 *
 * When no match of the pattern can contain `\n` and it has no look-around,
 * the pattern is first run over the whole text (with the `m` flag), and only
 * the lines where that finds something are matched one by one; lines it
 * skips cannot match (`^`, `$` and `\b` see the same context at a line's
 * ends in the whole text: a line break). Otherwise every line is matched.
 *
 * @example
 * ```ts
 * const limits = { previewBytes: LINE_PREVIEW_BYTES, matchLimit: MATCH_BYTE_LIMIT };
 * const search = new LineSearch(/TODO/u, 50, limits);
 * const file = { path: "/ws/a.ts", hits: [], total: 0 };
 * search.search("a\n// TODO\n", file, 0, false);
 * file.hits[0].line; // 2
 * ```
 */
export class LineSearch {
  readonly #regex: RegExp;
  readonly #scan: RegExp | null;
  readonly #maxHits: number;
  readonly #limits: LineLimits;
  readonly #encoder = new TextEncoder();

  /** Escapes that can match `\n` (or, for `c`, `x`, `u`, denote it). */
  static readonly #unsafeEscapes = new Set([
    "s",
    "W",
    "D",
    "n",
    "x",
    "u",
    "c",
    "p",
    "P",
  ]);

  /** Matches `regex`, keeping the first `maxHits` hits of each file. */
  constructor(regex: RegExp, maxHits: number, limits: LineLimits) {
    this.#regex = regex;
    this.#maxHits = maxHits;
    this.#limits = limits;
    this.#scan = LineSearch.#staysOnOneLine(regex)
      ? new RegExp(regex.source, `${regex.flags.replace("m", "")}gm`)
      : null;
  }

  /**
   * Adds the matching lines of `text` to `file`, numbering them from
   * `lineBefore + 1`, and returns the number of the last line of `text`
   * (only when `countAll`; otherwise possibly less once nothing can match).
   * A `text` that ends in `\n` ends cleanly, so texts can be searched in
   * blocks of whole lines.
   */
  search(
    text: string,
    file: FileHits,
    lineBefore: number,
    countAll: boolean,
  ): number {
    const scan = this.#scan;
    const end = text.length;
    let line = lineBefore;
    let pos = 0;
    while (pos < end) {
      if (scan !== null) {
        scan.lastIndex = pos;
        const found = scan.exec(text);
        if (found === null) {
          if (countAll) line += LineSearch.#countLines(text, pos);
          break;
        }
        // No line before the one holding the first match can match.
        const at = found.index;
        for (let nl = text.indexOf("\n", pos); nl !== -1 && nl < at;) {
          line++;
          pos = nl + 1;
          nl = text.indexOf("\n", pos);
        }
        if (pos >= end) break;
      }
      const nl = text.indexOf("\n", pos);
      let stop = nl === -1 ? end : nl;
      if (stop > pos && text.charCodeAt(stop - 1) === 13) stop--;
      line++;
      this.#matchLine(text.slice(pos, stop), line, file);
      pos = nl === -1 ? end : nl + 1;
    }
    return line;
  }

  #matchLine(text: string, line: number, file: FileHits): void {
    const match = this.#regex.exec(text);
    if (match === null) return;
    file.total++;
    if (file.hits.length < this.#maxHits) {
      file.hits.push(this.#hitFor(line, text, match.index));
    }
  }

  #hitFor(line: number, text: string, index: number): GrepHit {
    const { previewBytes, matchLimit } = this.#limits;
    let matchStart: number | null = index;
    if (index * 3 > matchLimit) {
      const bytes = this.#encoder.encode(text.slice(0, index)).length;
      if (bytes > matchLimit) matchStart = null;
    }
    return { line, text: text.slice(0, previewBytes), matchStart };
  }

  /** Lines in `text` from `pos` on: its `\n`s, plus a non-empty rest. */
  static #countLines(text: string, pos: number): number {
    let count = 0;
    let start = pos;
    for (let nl = text.indexOf("\n", start); nl !== -1;) {
      count++;
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    return start < text.length ? count + 1 : count;
  }

  /**
   * Whether every match of `regex` stays within one line and nothing outside
   * the match is looked at, judged from its source conservatively: no `s`
   * flag, no negated class, no escape that can stand for `\n` (`\s`, `\W`,
   * `\D`, `\n`, `\x..`, `\u....`, `\c.`, `\p{..}`, octal), no class range
   * that can start below `\n`, no look-around.
   */
  static #staysOnOneLine(regex: RegExp): boolean {
    if (regex.flags.includes("s")) return false;
    const source = regex.source;
    let inClass = false;
    for (let i = 0; i < source.length; i++) {
      const c = source[i];
      if (c.charCodeAt(0) < 0x20) return false;
      if (c === "\\") {
        const next = source[i + 1] ?? "";
        if (LineSearch.#unsafeEscapes.has(next)) return false;
        if (/[0-9]/.test(next) && !regex.unicode) return false;
        if (
          inClass && /[0-9A-Za-z]/.test(next) && source[i + 2] === "-" &&
          source[i + 3] !== "]"
        ) {
          return false;
        }
        i++;
      } else if (inClass) {
        if (c === "]") inClass = false;
      } else if (c === "[") {
        if (source[i + 1] === "^") return false;
        inClass = true;
      } else if (c === "(" && source[i + 1] === "?") {
        const kind = source[i + 2] === "<" ? source[i + 3] : source[i + 2];
        if (kind === "=" || kind === "!") return false;
      }
    }
    return true;
  }
}
