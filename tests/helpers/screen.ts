/**
 * A small terminal emulator for tests: enough of xterm to replay what
 * nanocode writes and see the screen a user would see. Printing with
 * auto-wrap (and the deferred wrap at the right edge), CR, LF, cursor moves
 * (CUU/CUD/CUF/CUB/CHA/CUP), erase in display and line, SGR, OSC and
 * private modes (ignored), the alternate screen, and a resize that reflows
 * soft-wrapped rows the way most terminals (VTE, kitty, iTerm2, Windows
 * Terminal, tmux) do. Unknown escape sequences throw in strict mode.
 *
 * @module
 */

import { graphemeWidth, splitGraphemes } from "../../src/ui/width.ts";

interface Row {
  cells: string[];
  /** The row continues the previous one (it was made by auto-wrap). */
  soft: boolean;
}

/** A virtual terminal screen. */
export class Screen {
  #rows: Row[] = [{ cells: [], soft: false }];
  #saved: { rows: Row[]; row: number; col: number } | null = null;
  row = 0;
  /** `columns` means "wrap pending" after printing in the last column. */
  col = 0;
  /** The grapheme a split UTF-16 or ESC sequence left for the next feed. */
  #pending = "";

  constructor(
    public columns: number,
    readonly options: { strict?: boolean; height?: number } = {},
  ) {}

  /** Rows at the top that scrolled off the visible screen. */
  get #top(): number {
    const height = this.options.height;
    return height ? Math.max(0, this.#rows.length - height) : 0;
  }

  /** Feeds terminal output. */
  feed(data: string): void {
    data = this.#pending + data;
    this.#pending = "";
    const token =
      // deno-lint-ignore no-control-regex
      /\x1b\[([?>=]?)([0-9;:]*)([ -/]*)([@-~])|\x1b\]([^\x07\x1b]*)(\x07|\x1b\\)|\x1b[78=>cDEHM]|\r|\n|\x07|\x08|[^\x1b\r\n\x07\x08]+|\x1b/g;
    for (const match of data.matchAll(token)) {
      const [all, priv, params, , final] = match;
      if (all === "\x1b" && match.index! + 1 === data.length) {
        this.#pending = all;
        break;
      }
      if (all === "\r") this.col = 0;
      else if (all === "\n") this.#down(1);
      else if (all === "\x07" || match[5] !== undefined) continue;
      else if (all === "\x08") this.col = Math.max(0, this.col - 1);
      else if (all === "\x1b7" || all === "\x1b8") continue;
      else if (final !== undefined) this.#csi(priv, params, final, all);
      else if (all.startsWith("\x1b")) this.#unexpected(all);
      else for (const g of splitGraphemes(all)) this.#print(g);
    }
  }

  #csi(priv: string, params: string, final: string, all: string): void {
    const n = Number(params.split(";")[0] || "1");
    if (priv === "?") {
      if (final !== "h" && final !== "l") return this.#unexpected(all);
      if (params === "1049") this.#alternate(final === "h");
      return;
    }
    if (priv) return this.#unexpected(all);
    switch (final) {
      case "A":
        this.row = Math.max(this.#top, this.row - n);
        this.col = Math.min(this.col, this.columns - 1);
        return;
      case "B":
        this.#down(n);
        return;
      case "C":
        this.col = Math.min(this.col + n, this.columns - 1);
        return;
      case "D":
        this.col = Math.max(0, Math.min(this.col, this.columns - 1) - n);
        return;
      case "G":
        this.col = Math.min(Math.max(1, n) - 1, this.columns - 1);
        return;
      case "H": {
        const [r, c] = params.split(";").map((p) => Number(p || "1"));
        this.row = this.#top + (r ?? 1) - 1;
        this.col = Math.min((c ?? 1) - 1, this.columns - 1);
        this.#line();
        return;
      }
      case "J":
        if (params === "2" || params === "3") {
          this.#rows = this.#rows.slice(0, this.#top);
          this.#rows.push({ cells: [], soft: false });
          this.row = Math.min(this.row, this.#rows.length - 1);
        } else {
          const line = this.#line();
          line.cells.length = Math.min(line.cells.length, this.col);
          this.#rows.length = this.row + 1;
        }
        return;
      case "K": {
        const line = this.#line();
        if (params === "2") line.cells = [];
        else if (params === "1") {
          for (let i = 0; i <= this.col && i < line.cells.length; i++) {
            line.cells[i] = " ";
          }
        } else line.cells.length = Math.min(line.cells.length, this.col);
        return;
      }
      case "m":
        return;
      default:
        this.#unexpected(all);
    }
  }

  #unexpected(sequence: string): void {
    if (this.options.strict) {
      throw new Error(`unexpected sequence ${JSON.stringify(sequence)}`);
    }
  }

  #alternate(on: boolean): void {
    if (on && !this.#saved) {
      this.#saved = { rows: this.#rows, row: this.row, col: this.col };
      this.#rows = [{ cells: [], soft: false }];
      this.row = 0;
      this.col = 0;
    } else if (!on && this.#saved) {
      ({ rows: this.#rows, row: this.row, col: this.col } = this.#saved);
      this.#saved = null;
    }
  }

  #down(n: number): void {
    this.row += n;
    while (this.#rows.length <= this.row) {
      this.#rows.push({ cells: [], soft: false });
    }
    this.col = Math.min(this.col, this.columns);
  }

  #line(): Row {
    while (this.#rows.length <= this.row) {
      this.#rows.push({ cells: [], soft: false });
    }
    return this.#rows[this.row];
  }

  #print(g: string): void {
    const width = graphemeWidth(g);
    if (width > 0 && this.col + width > this.columns) {
      this.#down(1);
      this.col = 0;
      this.#line().soft = true;
    }
    const line = this.#line();
    while (line.cells.length < this.col) line.cells.push(" ");
    line.cells[this.col] = g;
    if (width === 2) line.cells[this.col + 1] = "";
    this.col += width;
  }

  /**
   * Changes the width, reflowing soft-wrapped rows (joined, then wrapped
   * at the new width); the cursor keeps its place in its logical line.
   */
  resize(columns: number): void {
    const old = this.columns;
    const logical: { cells: string[]; cursor?: number }[] = [];
    this.#rows.forEach((row, i) => {
      if (!row.soft || logical.length === 0) logical.push({ cells: [] });
      const line = logical[logical.length - 1];
      // A row that wrapped was full: pad it so offsets stay right.
      while (line.cells.length % old !== 0) line.cells.push(" ");
      if (i === this.row) {
        line.cursor = line.cells.length + Math.min(this.col, old);
      }
      line.cells.push(...row.cells);
    });
    this.columns = columns;
    const rows: Row[] = [];
    let cursor: [number, number] = [0, 0];
    for (const line of logical) {
      const cells = line.cells;
      while (cells.length && cells[cells.length - 1] === " ") cells.pop();
      const first = rows.length;
      rows.push({ cells: cells.slice(0, columns), soft: false });
      for (let at = columns; at < cells.length; at += columns) {
        rows.push({ cells: cells.slice(at, at + columns), soft: true });
      }
      if (line.cursor !== undefined) {
        const r = Math.floor(line.cursor / columns);
        while (rows.length <= first + r) rows.push({ cells: [], soft: true });
        cursor = [first + r, line.cursor - r * columns];
      }
    }
    this.#rows = rows;
    [this.row, this.col] = cursor;
  }

  /** Every row (scrollback included) as text, trailing spaces trimmed. */
  get lines(): string[] {
    return this.#rows.map((row) => row.cells.join("").trimEnd());
  }

  /** The visible rows (the last `height` rows when a height is set). */
  get visible(): string[] {
    return this.lines.slice(this.#top);
  }

  /** Where the cursor shows. */
  get cursor(): [number, number] {
    return [this.row, Math.min(this.col, this.columns - 1)];
  }

  /** The text of the row the cursor is on. */
  get cursorLine(): string {
    return this.lines[this.row] ?? "";
  }
}

/**
 * Replays `output` on a fresh screen of `columns` and returns it.
 *
 * @example
 * ```ts
 * const screen = replay("a\r\nb", 80);
 * console.log(screen.lines); // ["a", "b"]
 * ```
 */
export function replay(
  output: string,
  columns: number,
  height?: number,
): Screen {
  const screen = new Screen(columns, { height });
  screen.feed(output);
  return screen;
}
