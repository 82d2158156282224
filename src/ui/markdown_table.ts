/**
 * GitHub-style markdown tables laid out for the terminal: columns aligned
 * (left, centre, right as the delimiter row says), cell text wrapped when
 * the table is wider than the terminal, box-drawing borders.
 *
 * @module
 */

import type { Style } from "./style.ts";
import { displayWidth } from "./width.ts";

const DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

type Align = "left" | "center" | "right";

/**
 * Splits a table row into its cells: outer pipes dropped, `\|` kept as a
 * pipe, pipes inside backtick code spans not splitting.
 *
 * @example
 * ```ts
 * import { tableCells } from "./markdown_table.ts";
 * console.log(tableCells("| a | `x|y` | b \\| c |")); // ["a", "`x|y`", "b | c"]
 * ```
 */
export function tableCells(line: string): string[] {
  let text = line.trim();
  if (text.startsWith("|")) text = text.slice(1);
  if (text.endsWith("|") && !text.endsWith("\\|")) text = text.slice(0, -1);
  const cells: string[] = [];
  let cell = "";
  let code = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\\" && text[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (char === "`") {
      let n = 1;
      while (text[i + n] === "`") n++;
      code = code === 0 ? n : code === n ? 0 : code;
      cell += "`".repeat(n);
      i += n - 1;
    } else if (char === "|" && code === 0) {
      cells.push(cell.trim());
      cell = "";
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

/**
 * How many lines starting at `start` form a table (a header row, a
 * delimiter row with as many cells, then rows containing `|`), or 0.
 *
 * @example
 * ```ts
 * import { tableLength } from "./markdown_table.ts";
 * console.log(tableLength(["| a | b |", "|---|---|", "| 1 | 2 |", "", "x"], 0)); // 3
 * ```
 */
export function tableLength(lines: readonly string[], start: number): number {
  const header = lines[start];
  const delimiter = lines[start + 1];
  if (
    header === undefined || delimiter === undefined || !header.includes("|") ||
    !DELIMITER.test(delimiter) || !delimiter.includes("-")
  ) return 0;
  if (tableCells(header).length !== tableCells(delimiter).length) return 0;
  let end = start + 2;
  while (end < lines.length && lines[end].includes("|") && lines[end].trim()) {
    end++;
  }
  return end - start;
}

/** Lays out column widths so the table fits `room` columns of cell text. */
function columnWidths(natural: number[], room: number): number[] {
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= room) return natural;
  const widths = natural.map(() => 0);
  let left = Math.max(room, natural.length * 3);
  let open = natural.map((_, i) => i);
  // Columns narrower than a fair share keep their width; the rest share.
  for (;;) {
    const share = Math.floor(left / open.length);
    const small = open.filter((i) => natural[i] <= share);
    if (small.length === 0) {
      const rest = open.reduce((sum, i) => sum + natural[i], 0);
      let given = 0;
      open.forEach((i, k) => {
        const w = k === open.length - 1
          ? left - given
          : Math.max(3, Math.floor(left * natural[i] / rest));
        widths[i] = w;
        given += w;
      });
      return widths;
    }
    for (const i of small) {
      widths[i] = natural[i];
      left -= natural[i];
    }
    open = open.filter((i) => !small.includes(i));
    if (open.length === 0) return widths;
  }
}

function pad(text: string, width: number, align: Align): string {
  const gap = Math.max(0, width - displayWidth(text));
  if (align === "right") return " ".repeat(gap) + text;
  if (align === "center") {
    const before = Math.floor(gap / 2);
    return " ".repeat(before) + text + " ".repeat(gap - before);
  }
  return text + " ".repeat(gap);
}

/**
 * Renders table lines (header, delimiter, rows) no wider than `width` when
 * possible. `cell(text, width, header)` renders one cell's inline markdown
 * wrapped to `width` (a very large width means "do not wrap").
 *
 * @example
 * ```ts
 * import { renderTable } from "./markdown_table.ts";
 * import { createStyle } from "./style.ts";
 * const lines = renderTable(["| a | bb |", "|---|--:|", "| 1 | 2 |"], createStyle(false), 40, (t) => [t]);
 * console.log(lines.join("\n"));
 * // ┌───┬────┐
 * // │ a │ bb │
 * // ├───┼────┤
 * // │ 1 │  2 │
 * // └───┴────┘
 * ```
 */
export function renderTable(
  lines: readonly string[],
  style: Style,
  width: number,
  cell: (text: string, width: number, header: boolean) => string[],
): string[] {
  const header = tableCells(lines[0]);
  const n = header.length;
  const aligns: Align[] = tableCells(lines[1]).map((d) =>
    d.startsWith(":") && d.endsWith(":")
      ? "center"
      : d.endsWith(":")
      ? "right"
      : "left"
  );
  const rows = [header, ...lines.slice(2).map(tableCells)].map((cells) =>
    Array.from({ length: n }, (_, i) => cells[i] ?? "")
  );
  const natural = Array.from(
    { length: n },
    (_, i) =>
      Math.max(
        1,
        ...rows.map((row, r) =>
          Math.max(
            0,
            ...cell(row[i], Number.MAX_SAFE_INTEGER, r === 0).map(displayWidth),
          )
        ),
      ),
  );
  const widths = columnWidths(natural, width - (3 * n + 1));
  const border = (left: string, mid: string, right: string) =>
    style.dim(left + widths.map((w) => "─".repeat(w + 2)).join(mid) + right);
  const bar = style.dim("│");
  const out = [border("┌", "┬", "┐")];
  rows.forEach((row, r) => {
    const wrapped = row.map((text, i) => cell(text, widths[i], r === 0));
    const height = Math.max(1, ...wrapped.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const parts = wrapped.map((c, i) =>
        pad(c[k] ?? "", widths[i], r === 0 ? "left" : aligns[i] ?? "left")
      );
      out.push(`${bar} ${parts.join(` ${bar} `)} ${bar}`);
    }
    if (r === 0) out.push(border("├", "┼", "┤"));
  });
  out.push(border("└", "┴", "┘"));
  return out;
}
