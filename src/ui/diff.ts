/**
 * Line-based unified diffs of two texts, and their coloured rendering.
 *
 * @module
 */

import { plural } from "./plural.ts";
import { sanitize } from "./sanitize.ts";
import type { Style } from "./style.ts";

/**
 * One line of a diff. `del`, `add` and `ctx` hold a line of the old text,
 * the new text or both (without its newline); `hunk` holds an
 * `@@ -1,3 +1,4 @@` header; `more` holds a note: lines left out
 * (`... 120 more diff lines not shown`) or `\ No newline at end of file`.
 *
 * @example
 * ```ts
 * const line: DiffLine = { kind: "add", text: "const x = 2;" };
 * ```
 */
export interface DiffLine {
  /** What the line is. */
  kind: "add" | "del" | "ctx" | "hunk" | "more";
  /** The line's text, without a `+`/`-`/` ` prefix. */
  text: string;
}

/**
 * Options of {@linkcode unifiedDiff}.
 *
 * @example
 * ```ts
 * const options: DiffOptions = { context: 1, maxLines: 200 };
 * ```
 */
export interface DiffOptions {
  /** Unchanged lines shown around each change (default 3). */
  context?: number;
  /** Lines returned at most; the rest becomes one `more` note (default: all). */
  maxLines?: number;
}

/**
 * Work (compared lines) the diff may spend before it gives up on a minimal
 * diff and shows the changed middle as a whole replacement.
 */
const MAX_WORK = 4_000_000;
/** Edit distance beyond which a replacement is shown instead. */
const MAX_EDITS = 2_000;
const NO_NEWLINE = "\\ No newline at end of file";

/** A run of old lines `[oldStart, oldEnd)` replaced by new lines `[newStart, newEnd)`. */
interface Block {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
}

/** Lines of a text and whether its last line ends with a newline. */
interface Lines {
  lines: string[];
  /** Comparison keys: the line, or the line plus `\n` when it lacks its newline. */
  keys: string[];
  missingNewline: boolean;
}

/**
 * The unified diff of `before` and `after`: hunks with `@@` headers and
 * `context` unchanged lines around each change (Myers' algorithm on lines
 * after the common start and end are set aside). When the changed middle is
 * too large to diff cheaply it is shown as all old lines removed, then all
 * new lines added. Equal texts give `[]`.
 *
 * @example
 * ```ts
 * unifiedDiff("a\nb\nc\n", "a\nB\nc\n");
 * // [{ kind: "hunk", text: "@@ -1,3 +1,3 @@" }, { kind: "ctx", text: "a" },
 * //  { kind: "del", text: "b" }, { kind: "add", text: "B" }, { kind: "ctx", text: "c" }]
 * ```
 */
export function unifiedDiff(
  before: string,
  after: string,
  options: DiffOptions = {},
): DiffLine[] {
  if (before === after) return [];
  const context = Math.max(0, Math.floor(options.context ?? 3));
  const a = splitLines(before);
  const b = splitLines(after);
  const blocks = changedBlocks(a.keys, b.keys);
  const out: DiffLine[] = [];
  for (
    const hunk of groupHunks(blocks, context, a.lines.length, b.lines.length)
  ) {
    emitHunk(hunk, a, b, out);
  }
  return limitLines(out, options.maxLines);
}

/**
 * Renders diff lines for the terminal: deletions red with `-`, additions
 * green with `+`, context dim with a space, hunk headers cyan, notes dim.
 * Every text goes through `sanitize()` (a trailing carriage return is
 * dropped first), so file contents cannot send escape sequences.
 *
 * @example
 * ```ts
 * import { createStyle } from "./style.ts";
 * renderDiff(unifiedDiff("a\n", "b\n"), createStyle(false));
 * // "@@ -1 +1 @@\n-a\n+b"
 * ```
 */
export function renderDiff(lines: readonly DiffLine[], style: Style): string {
  return lines.map((line) => {
    const text = sanitize(
      line.text.endsWith("\r") ? line.text.slice(0, -1) : line.text,
    );
    switch (line.kind) {
      case "del":
        return style.red(`-${text}`);
      case "add":
        return style.green(`+${text}`);
      case "ctx":
        return style.dim(` ${text}`);
      case "hunk":
        return style.cyan(text);
      case "more":
        return style.dim(text);
    }
  }).join("\n");
}

function splitLines(text: string): Lines {
  if (text === "") return { lines: [], keys: [], missingNewline: false };
  const lines = text.split("\n");
  const missingNewline = lines[lines.length - 1] !== "";
  if (!missingNewline) lines.pop();
  const keys = missingNewline
    ? [...lines.slice(0, -1), `${lines[lines.length - 1]}\n`]
    : lines;
  return { lines, keys, missingNewline };
}

/** The changed blocks, in order, in absolute line numbers (0-based). */
function changedBlocks(a: string[], b: string[]): Block[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    start++;
  }
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  if (start === endA && start === endB) return [];
  const ids = new Map<string, number>();
  const idOf = (line: string) => {
    let id = ids.get(line);
    if (id === undefined) ids.set(line, id = ids.size);
    return id;
  };
  const x = Int32Array.from(a.slice(start, endA), idOf);
  const y = Int32Array.from(b.slice(start, endB), idOf);
  const blocks = myers(x, y) ??
    [{ oldStart: 0, oldEnd: x.length, newStart: 0, newEnd: y.length }];
  return blocks.map((block) => ({
    oldStart: block.oldStart + start,
    oldEnd: block.oldEnd + start,
    newStart: block.newStart + start,
    newEnd: block.newEnd + start,
  }));
}

/**
 * Myers' O((N+M)D) diff; `null` when the work or edit distance exceeds
 * the caps.
 */
function myers(a: Int32Array, b: Int32Array): Block[] | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let work = 0;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
        ? v[offset + k + 1]
        : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
        work++;
      }
      work++;
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m);
    }
    if (work > MAX_WORK) return null;
  }
  return null;
}

function backtrack(trace: Int32Array[], n: number, m: number): Block[] {
  const blocks: Block[] = [];
  let x = n;
  let y = m;
  const add = (oldAt: number, newAt: number, isDel: boolean) => {
    const last = blocks[blocks.length - 1];
    if (
      last && last.oldStart === oldAt + (isDel ? 1 : 0) &&
      last.newStart === newAt + (isDel ? 0 : 1)
    ) {
      if (isDel) last.oldStart = oldAt;
      else last.newStart = newAt;
      return;
    }
    blocks.push(
      isDel
        ? { oldStart: oldAt, oldEnd: oldAt + 1, newStart: newAt, newEnd: newAt }
        : {
          oldStart: oldAt,
          oldEnd: oldAt,
          newStart: newAt,
          newEnd: newAt + 1,
        },
    );
  };
  for (let d = trace.length - 1; d > 0; d--) {
    const v = trace[d];
    const at = (k: number) => v[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1))
      ? k + 1
      : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
    }
    if (x === prevX) add(x, y - 1, false);
    else add(x - 1, y, true);
    x = prevX;
    y = prevY;
  }
  return blocks.reverse();
}

/** Blocks grouped into hunks: neighbours closer than `2 * context` lines share one. */
function groupHunks(
  blocks: Block[],
  context: number,
  oldLength: number,
  newLength: number,
): Block[][] {
  const hunks: Block[][] = [];
  for (const block of blocks) {
    const current = hunks[hunks.length - 1];
    const previous = current?.[current.length - 1];
    if (previous && block.oldStart - previous.oldEnd <= 2 * context) {
      current.push(block);
    } else {
      hunks.push([block]);
    }
  }
  return hunks.map((hunk) => {
    const first = hunk[0];
    const last = hunk[hunk.length - 1];
    const before = Math.min(context, first.oldStart);
    const after = Math.min(
      context,
      oldLength - last.oldEnd,
      newLength - last.newEnd,
    );
    return [
      {
        oldStart: first.oldStart - before,
        oldEnd: first.oldStart,
        newStart: first.newStart - before,
        newEnd: first.newStart,
      },
      ...hunk,
      {
        oldStart: last.oldEnd,
        oldEnd: last.oldEnd + after,
        newStart: last.newEnd,
        newEnd: last.newEnd + after,
      },
    ];
  });
}

/** Appends one hunk: `parts` is leading context, blocks, trailing context. */
function emitHunk(parts: Block[], a: Lines, b: Lines, out: DiffLine[]): void {
  const lead = parts[0];
  const trail = parts[parts.length - 1];
  const oldCount = trail.oldEnd - lead.oldStart;
  const newCount = trail.newEnd - lead.newStart;
  out.push({
    kind: "hunk",
    text: `@@ -${range(lead.oldStart, oldCount)} +${
      range(lead.newStart, newCount)
    } @@`,
  });
  let oldAt = lead.oldStart;
  for (const block of parts.slice(1, -1)) {
    emitContext(oldAt, block.oldStart, a, b, out);
    for (let i = block.oldStart; i < block.oldEnd; i++) {
      out.push({ kind: "del", text: a.lines[i] });
      if (i === a.lines.length - 1 && a.missingNewline) {
        out.push({ kind: "more", text: NO_NEWLINE });
      }
    }
    for (let i = block.newStart; i < block.newEnd; i++) {
      out.push({ kind: "add", text: b.lines[i] });
      if (i === b.lines.length - 1 && b.missingNewline) {
        out.push({ kind: "more", text: NO_NEWLINE });
      }
    }
    oldAt = block.oldEnd;
  }
  emitContext(oldAt, trail.oldEnd, a, b, out);
}

function emitContext(
  from: number,
  to: number,
  a: Lines,
  b: Lines,
  out: DiffLine[],
): void {
  for (let i = from; i < to; i++) {
    out.push({ kind: "ctx", text: a.lines[i] });
    if (i === a.lines.length - 1 && a.missingNewline && b.missingNewline) {
      out.push({ kind: "more", text: NO_NEWLINE });
    }
  }
}

/** `start,count` of a hunk header; GNU style (`3` for one line, `2,0` for none). */
function range(start: number, count: number): string {
  if (count === 1) return String(start + 1);
  return `${count === 0 ? start : start + 1},${count}`;
}

function limitLines(
  lines: DiffLine[],
  maxLines: number | undefined,
): DiffLine[] {
  if (maxLines === undefined || lines.length <= maxLines) return lines;
  const keep = Math.max(0, Math.floor(maxLines) - 1);
  const rest = lines.length - keep;
  return [
    ...lines.slice(0, keep),
    { kind: "more", text: `... ${plural(rest, "more diff line")} not shown` },
  ];
}
