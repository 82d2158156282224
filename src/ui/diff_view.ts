/**
 * How a file change is shown, the same way before it happens (the approval
 * prompt) and after (the tool's result): a coloured unified diff with a
 * `+N -M` count, cut to a number of lines with a note on how to see all.
 *
 * @module
 */

import { type DiffLine, renderDiff, unifiedDiff } from "./diff.ts";
import { plural } from "./plural.ts";
import type { Style } from "./style.ts";

/** A change's diff lines and its size. */
export interface ChangeDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
}

/**
 * The whole unified diff of a change (`before` `null`: a new file).
 *
 * @example
 * ```ts
 * import { changeDiff } from "./diff_view.ts";
 * const diff = changeDiff("a\nb\n", "a\nc\n");
 * console.log(diff.added, diff.removed); // 1 1
 * ```
 */
export function changeDiff(before: string | null, after: string): ChangeDiff {
  const lines = unifiedDiff(before ?? "", after);
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === "add") added++;
    else if (line.kind === "del") removed++;
  }
  return { lines, added, removed };
}

/**
 * The change as terminal lines: a summary (`Added 3 lines, removed 1
 * line`), then the coloured diff cut to `maxLines` with a note naming the
 * key that shows the rest.
 *
 * @example
 * ```ts
 * import { changeLines } from "./diff_view.ts";
 * import { createStyle } from "./style.ts";
 * const lines = changeLines("a\n", "b\n", createStyle(false), { maxLines: 10 });
 * console.log(lines[0]); // "Added 1 line, removed 1 line"
 * ```
 */
export function changeLines(
  before: string | null,
  after: string,
  style: Style,
  options: { maxLines: number; moreHint?: string },
): string[] {
  const diff = changeDiff(before, after);
  const summary = before === null
    ? `New file, ${plural(diff.added, "line")}`
    : diff.lines.length === 0
    ? "No change"
    : `Added ${plural(diff.added, "line")}, removed ${
      plural(diff.removed, "line")
    }`;
  const shown = diff.lines.slice(0, options.maxLines);
  const out = [summary];
  const rendered = renderDiff(shown, style);
  if (rendered) out.push(...rendered.split("\n"));
  const rest = diff.lines.length - shown.length;
  if (rest > 0) {
    out.push(style.dim(
      `… ${plural(rest, "more diff line")}${
        options.moreHint ? ` (${options.moreHint})` : ""
      }`,
    ));
  }
  return out;
}
