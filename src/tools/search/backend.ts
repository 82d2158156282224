/**
 * The interface both search back ends (ripgrep and the built-in walk)
 * implement, so `glob_files` and `grep_files` give the same results with
 * either.
 *
 * What is the same by construction: the glob dialect (one implementation,
 * applied in TypeScript to both back ends' file lists, never passed to
 * `rg -g`, whose whitelist globs would override .gitignore), ordering,
 * caps, line formatting and binary handling (a file with a NUL byte anywhere
 * is skipped; ripgrep's "binary file matches" notices drop the file).
 *
 * Where the regex dialects differ (ripgrep: Rust `regex`; built-in:
 * JavaScript `RegExp`, tried with the `u` flag, then without):
 * - `\w`, `\d`, `\s`, `\b` are Unicode-aware in ripgrep, ASCII in JavaScript.
 * - Look-around and backreferences work only in the built-in back end
 *   (ripgrep rejects them without `--pcre2`).
 * - Inline flags: only a leading `(?i)`, `(?s)`, `(?m)` is understood by the
 *   built-in back end; ripgrep also accepts them mid-pattern and `(?x)`,
 *   `(?U)`.
 * - POSIX classes (`[[:alpha:]]`) are expanded to their ASCII ranges by the
 *   built-in back end; `\A`, `\z`, `\pN`-style short classes are ripgrep-only.
 * - Invalid UTF-8 is matched as raw bytes by ripgrep and as U+FFFD by the
 *   built-in back end.
 * - Error messages for invalid patterns differ in wording (both start with
 *   `Invalid regex "<pattern>": `).
 * - The built-in back end can backtrack exponentially on pathological
 *   patterns; ripgrep cannot. The built-in one therefore matches in a child
 *   process that is killed when it stops making progress (see
 *   `GrepRequest.deadlineMs`) or the search is aborted.
 *
 * @module
 */

/**
 * One matching line.
 *
 * @example
 * ```ts
 * const hit: GrepHit = { line: 3, text: "// TODO", matchStart: 3 };
 * ```
 */
export interface GrepHit {
  /** 1-based line number. */
  line: number;
  /**
   * The line without its line ending. Back ends may cut lines longer than
   * {@linkcode LINE_PREVIEW_BYTES} bytes; only the part needed for display
   * must be there.
   */
  text: string;
  /**
   * Index (UTF-16 units) of the first match in `text`, or `null` when the
   * match starts more than {@linkcode MATCH_BYTE_LIMIT} bytes into the line.
   */
  matchStart: number | null;
}

/**
 * The matches in one file, in line order.
 *
 * @example
 * ```ts
 * const file: FileHits = { path: "/ws/a.ts", hits: [], total: 0 };
 * ```
 */
export interface FileHits {
  /** Absolute path. */
  path: string;
  /** The first `maxHitsPerFile` matching lines. */
  hits: GrepHit[];
  /** All matching lines in the file. */
  total: number;
}

/**
 * What to search for.
 *
 * @example
 * ```ts
 * const request: GrepRequest = { root: "/ws", pattern: "TODO", maxHitsPerFile: 50 };
 * ```
 */
export interface GrepRequest {
  /** Absolute path of the folder or file to search. */
  root: string;
  /** Regular expression (the back end's dialect). */
  pattern: string;
  /** Only files (absolute paths) accepted here are reported. */
  include?: (path: string) => boolean;
  /**
   * A glob every file `include` accepts has as its name (see
   * `nameGlobOf`); a back end may skip other files early (ripgrep does).
   */
  nameGlob?: string | null;
  /** Hits kept per file; the rest are only counted. */
  maxHitsPerFile: number;
  /** Stops the search; the back end then throws the signal's reason. */
  signal?: AbortSignal;
  /**
   * Milliseconds the built-in back end's search may go without progress
   * before it fails (default 10 s): the one guard against a pattern that
   * backtracks catastrophically. Ripgrep cannot backtrack.
   */
  deadlineMs?: number;
}

/**
 * A way to list and search files. Both implementations skip what ripgrep
 * skips by default with `--no-require-git` (ignore files, hidden entries,
 * symlinks) and skip files that contain a NUL byte when searching.
 *
 * @example
 * ```ts
 * const backend: SearchBackend = builtinSearch;
 * for await (const file of backend.grep({ root: "/ws", pattern: "x", maxHitsPerFile: 5 })) {
 *   console.log(file.path, file.total);
 * }
 * ```
 */
export interface SearchBackend {
  /** Which implementation this is. */
  readonly kind: "ripgrep" | "builtin";
  /**
   * Absolute paths of the files under `root` (a folder or a file),
   * unordered. With `nameGlob`, a back end may leave out files whose name
   * does not match it.
   */
  listFiles(
    root: string,
    signal?: AbortSignal,
    nameGlob?: string | null,
  ): Promise<string[]>;
  /**
   * Matching lines per file, files in any order. Throws an `Error` naming
   * the pattern when it is not a valid regular expression.
   */
  grep(request: GrepRequest): AsyncIterable<FileHits>;
}

/**
 * Bytes of a long matching line a back end must keep.
 *
 * @example
 * ```ts
 * // ripgrep output lines are read up to 2 * LINE_PREVIEW_BYTES bytes
 * ```
 */
export const LINE_PREVIEW_BYTES = 16_384;

/**
 * A match starting further than this many bytes into its line has no `matchStart`.
 *
 * @example
 * ```ts
 * // a match at byte 20_000 > MATCH_BYTE_LIMIT: the line is shown from its start
 * ```
 */
export const MATCH_BYTE_LIMIT = LINE_PREVIEW_BYTES - 1024;

/**
 * Characters of a matching line shown before it is cut.
 *
 * @example
 * ```ts
 * formatHitText("a".repeat(1000), 0).length; // MAX_HIT_CHARS + 15
 * ```
 */
export const MAX_HIT_CHARS = 300;

/**
 * How a matching line is shown: whole when short; otherwise a
 * {@linkcode MAX_HIT_CHARS} window, at the start or around the first match.
 *
 * @example
 * ```ts
 * formatHitText("short line", 0); // "short line"
 * ```
 */
export function formatHitText(text: string, matchStart: number | null): string {
  if (text.length <= MAX_HIT_CHARS) return text;
  if (matchStart === null || matchStart + 50 <= MAX_HIT_CHARS) {
    return `${text.slice(0, MAX_HIT_CHARS)} [... line cut]`;
  }
  const start = matchStart - 100;
  const end = start + MAX_HIT_CHARS;
  return `[...] ${text.slice(start, end)}${end < text.length ? " [...]" : ""}`;
}
