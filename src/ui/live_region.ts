/**
 * The live region: the lines at the bottom of the terminal that change in
 * place (the spinner, what a running command prints, type-ahead, the input
 * line, menus, the footer), below the output that has scrolled into
 * history. Everything the session writes goes through it: committed text
 * is printed above the region, which is then drawn again, so the two never
 * mix.
 *
 * @module
 */

import type { EditorLayout } from "./line_editor.ts";
import { fitWidth } from "./fit.ts";
import type { Output } from "./terminal.ts";
import { displayWidth } from "./width.ts";

/** Something drawn in the region with a cursor (the input line). */
export interface RegionEditor {
  layout(columns: number): EditorLayout;
}

/** Options of a {@linkcode LiveRegion}. */
export interface LiveRegionOptions {
  /** Names of the sections above the editor, top first. */
  above?: string[];
  /** Names of the sections below the editor, top first. */
  below?: string[];
}

// Synchronized output: terminals that support it show each frame whole.
const SYNC_ON = "\x1b[?2026h";
const SYNC_OFF = "\x1b[?2026l";

function up(rows: number): string {
  return rows > 0 ? `\x1b[${rows}A` : "";
}

/**
 * The bottom of the screen, drawn in place.
 *
 * @example
 * ```ts
 * import { LiveRegion } from "./live_region.ts";
 * import { MemoryOutput } from "./terminal.ts";
 * const out = new MemoryOutput(true, 40);
 * const region = new LiveRegion(out, { above: ["spinner"] });
 * region.set("spinner", ["⠋ Thinking… 0.1s"]);
 * region.print("⏺ Read(a.ts)\n"); // printed above the spinner, which is drawn again
 * ```
 */
export class LiveRegion {
  readonly out: Output;
  #above: string[];
  #below: string[];
  #sections = new Map<string, string[]>();
  #editor: RegionEditor | null = null;
  /** The cursor's row, counted from the region's first row. */
  #cursorRow = 0;
  /** What the last draw put on screen, for reflowing after a resize. */
  #drawn: { widths: number[]; editorAt: number; offset: number } | null = null;
  #columns = 0;
  #hidden = false;
  #pending = "";
  #batching = 0;
  #dirty = false;

  constructor(out: Output, options: LiveRegionOptions = {}) {
    this.out = out;
    this.#above = options.above ?? [];
    this.#below = options.below ?? [];
  }

  /** Sets the lines of a section (none: `[]`) and draws again. */
  set(name: string, lines: string[]): void {
    const before = this.#sections.get(name);
    if (
      before && before.length === lines.length &&
      before.every((line, i) => line === lines[i])
    ) return;
    if (!this.#above.includes(name) && !this.#below.includes(name)) {
      this.#above.push(name);
    }
    this.#sections.set(name, lines);
    this.render();
  }

  /** The input drawn between the sections above and below, or `null`. */
  get editor(): RegionEditor | null {
    return this.#editor;
  }
  set editor(editor: RegionEditor | null) {
    this.#editor = editor;
    this.render();
  }

  /** Runs `fn` and draws once afterwards, however many changes it made. */
  batch(fn: () => void): void {
    this.#batching++;
    try {
      fn();
    } finally {
      this.#batching--;
      if (this.#batching === 0 && this.#dirty) this.render();
    }
  }

  /** Prints `text` above the region (a newline is added when missing). */
  print(text: string): void {
    if (!text) return;
    const line = text.endsWith("\n") ? text : `${text}\n`;
    if (this.#hidden) {
      this.#pending += line;
      return;
    }
    if (!this.out.isTerminal) {
      this.out.write(line);
      return;
    }
    // CR LF: the column goes back to 0 even where the terminal does not
    // translate newlines (raw output).
    this.#draw(line.replace(/\r?\n/g, "\r\n"));
  }

  /** Draws the region again. */
  render(): void {
    if (this.#batching) {
      this.#dirty = true;
      return;
    }
    this.#dirty = false;
    if (this.#hidden || !this.out.isTerminal) return;
    this.#draw("");
  }

  /** Erases the region from the screen (it comes back on the next draw). */
  clear(): void {
    if (!this.out.isTerminal || this.#hidden) return;
    const columns = Math.max(1, this.out.columns());
    if (this.#drawn && columns !== this.#columns) {
      this.#cursorRow = this.#reflowedCursorRow(columns);
    }
    this.out.write(`\r${up(this.#cursorRow)}\x1b[J`);
    this.#cursorRow = 0;
    this.#drawn = null;
  }

  /**
   * Stops drawing (a full-screen view is open): the region is erased, and
   * text printed meanwhile is kept for {@linkcode LiveRegion.show}.
   */
  hide(): void {
    if (this.#hidden) return;
    this.clear();
    this.#hidden = true;
  }

  /** Draws again after {@linkcode LiveRegion.hide}, with what was printed meanwhile. */
  show(): void {
    if (!this.#hidden) return;
    this.#hidden = false;
    const pending = this.#pending;
    this.#pending = "";
    if (pending) this.print(pending);
    else this.render();
  }

  /**
   * The terminal changed size: draws again. (Most terminals reflow the rows
   * already drawn, so every draw after a width change first works out the
   * cursor's row within the region at the new width.)
   */
  resized(): void {
    this.render();
  }

  /** Where the cursor's row is now if the terminal reflowed to `columns`. */
  #reflowedCursorRow(columns: number): number {
    const drawn = this.#drawn!;
    let row = 0;
    for (let i = 0; i < drawn.editorAt; i++) {
      row += Math.max(1, Math.ceil(drawn.widths[i] / columns));
    }
    return row + Math.floor(drawn.offset / columns);
  }

  #draw(committed: string): void {
    const columns = Math.max(1, this.out.columns());
    // The width changed since the last draw (whether or not SIGWINCH has
    // been handled yet): find the cursor's row as the terminal reflowed it.
    if (this.#drawn && columns !== this.#columns) {
      this.#cursorRow = this.#reflowedCursorRow(columns);
    }
    const fit = (line: string) => fitWidth(line, columns - 1);
    const lines: string[] = [];
    for (const name of this.#above) {
      for (const line of this.#sections.get(name) ?? []) lines.push(fit(line));
    }
    const widths = lines.map(displayWidth);
    const editorAt = lines.length;
    let seq = "";
    let row = 0;
    let cursor: [number, number] | null = null;
    const add = (text: string, rows: number) => {
      if (seq !== "" || row > 0) seq += "\r\n";
      seq += text;
      row += rows;
    };
    for (const line of lines) add(line, 1);
    let offset = 0;
    if (this.#editor) {
      const layout = this.#editor.layout(columns);
      const start = row;
      add(layout.text, layout.rows);
      cursor = [start + layout.cursorRow, layout.cursorCol];
      offset = layout.cursorRow * columns + layout.cursorCol;
    }
    for (const name of this.#below) {
      for (const line of this.#sections.get(name) ?? []) {
        const fitted = fit(line);
        if (!this.#editor) widths.push(displayWidth(fitted));
        add(fitted, 1);
      }
    }
    // The cursor ends on the last row drawn; move it where it belongs.
    const last = Math.max(0, row - 1);
    let target = last;
    if (cursor) {
      target = cursor[0];
      seq += up(last - target) + "\r";
      if (cursor[1] > 0) seq += `\x1b[${cursor[1]}C`;
    }
    this.out.write(
      `${SYNC_ON}\r${up(this.#cursorRow)}\x1b[J${committed}${seq}${SYNC_OFF}`,
    );
    this.#cursorRow = target;
    this.#columns = columns;
    // Without an editor the cursor sits at the end of the last line.
    this.#drawn = cursor ? { widths, editorAt, offset } : {
      widths,
      editorAt: Math.max(0, widths.length - 1),
      offset: widths.at(-1) ?? 0,
    };
  }
}
