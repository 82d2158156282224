/**
 * The interactive input line: a prompt with emacs-style editing keys and
 * history, redrawn in full on every change so wide characters, pasted
 * newlines and lines longer than the terminal stay correct.
 *
 * @module
 */

import type { Key } from "./keys.ts";
import { sanitize } from "./sanitize.ts";
import type { Output } from "./terminal.ts";
import { graphemeWidth, splitGraphemes, stripSgr } from "./width.ts";

/**
 * Options of a {@linkcode LineEditor}.
 *
 * @example
 * ```ts
 * import type { LineEditorOptions } from "./line_editor.ts";
 * import { MemoryOutput } from "./terminal.ts";
 * const options: LineEditorOptions = { out: new MemoryOutput(true), prompt: "> " };
 * console.log(options.prompt); // "> "
 * ```
 */
export interface LineEditorOptions {
  /** Where the line is drawn; its `columns()` decides wrapping. */
  out: Output;
  /** Shown before the input; may contain SGR styling, no newlines. */
  prompt: string;
  /** Earlier inputs, oldest first; copied, then grown by each submit. */
  history?: string[];
}

/**
 * What a key press finished: a submitted line, or end of input (Ctrl-D on
 * an empty line).
 *
 * @example
 * ```ts
 * import type { LineEvent } from "./line_editor.ts";
 * const event: LineEvent = { type: "submit", text: "fix the test" };
 * console.log(event.type); // "submit"
 * ```
 */
export type LineEvent = { type: "submit"; text: string } | { type: "eof" };

const WORD = /^[\p{L}\p{N}_]/u;

/** How one grapheme of the input is shown: newlines as ⏎, tabs as a space. */
function shown(grapheme: string): string {
  if (grapheme === "\n") return "⏎";
  if (grapheme === "\t") return " ";
  return sanitize(grapheme);
}

/**
 * An input line drawn on an {@linkcode Output}. Feed it decoded keys; it
 * redraws itself and reports a submitted line or end of input. Ctrl-C is
 * left to the caller (see {@linkcode LineEditor.clear}).
 *
 * @example
 * ```ts
 * import { LineEditor } from "./line_editor.ts";
 * import { MemoryOutput } from "./terminal.ts";
 * const editor = new LineEditor({ out: new MemoryOutput(true), prompt: "> " });
 * editor.start();
 * editor.handle({ kind: "text", text: "hello" });
 * console.log(editor.handle({ kind: "key", name: "enter" }));
 * // { type: "submit", text: "hello" }
 * ```
 */
export class LineEditor {
  #out: Output;
  #prompt: string;
  #history: string[];
  #index: number;
  #draft = "";
  #text = "";
  #cursor = 0;
  /** The terminal row of the cursor, counted from the input's first row. */
  #row = 0;
  /** Whether the last draw ended by moving to a fresh row. */
  #wrappedEnd = false;
  #boundsOf: { text: string; bounds: number[] } | undefined;

  /** Makes an editor; nothing is drawn until {@linkcode LineEditor.start}. */
  constructor(options: LineEditorOptions) {
    this.#out = options.out;
    this.#prompt = options.prompt;
    this.#history = [...(options.history ?? [])];
    this.#index = this.#history.length;
  }

  /** The text being edited. */
  get text(): string {
    return this.#text;
  }

  /** The cursor's offset into {@linkcode LineEditor.text}. */
  get cursor(): number {
    return this.#cursor;
  }

  /** The history, oldest first, including lines submitted here. */
  get history(): readonly string[] {
    return this.#history;
  }

  /** The prompt; setting it redraws on the next change. */
  get prompt(): string {
    return this.#prompt;
  }
  set prompt(prompt: string) {
    this.#prompt = prompt;
  }

  /** Starts a new, empty input at the cursor, which must be at a line start. */
  start(): void {
    this.#set("", 0);
    this.#index = this.#history.length;
    this.#draft = "";
    this.#row = 0;
    this.redraw();
  }

  /** Empties the line and redraws it (Ctrl-C at a non-empty prompt). */
  clear(): void {
    this.#index = this.#history.length;
    this.#draft = "";
    this.#set("", 0);
    this.redraw();
  }

  /** Handles one key; returns an event when it submits or ends input. */
  handle(key: Key): LineEvent | null {
    if (key.kind !== "key") {
      this.#insert(key.text);
      return null;
    }
    const text = this.#text;
    const at = this.#cursor;
    switch (key.name) {
      case "enter":
        return this.#submit();
      case "ctrl-d":
        if (text === "") return { type: "eof" };
        this.#edit(at, this.#next(at), at);
        return null;
      case "delete":
        this.#edit(at, this.#next(at), at);
        return null;
      case "backspace":
        this.#edit(this.#previous(at), at);
        return null;
      case "left":
      case "ctrl-b":
        this.#move(this.#previous(at));
        return null;
      case "right":
      case "ctrl-f":
        this.#move(this.#next(at));
        return null;
      case "home":
      case "ctrl-a":
        this.#move(0);
        return null;
      case "end":
      case "ctrl-e":
        this.#move(text.length);
        return null;
      case "alt-left":
        this.#move(this.#wordStart(at, WORD));
        return null;
      case "alt-right":
        this.#move(this.#wordEnd(at));
        return null;
      case "ctrl-u":
        this.#edit(0, at);
        return null;
      case "ctrl-k":
        this.#edit(at, text.length, at);
        return null;
      case "ctrl-w":
        this.#edit(this.#wordStart(at, /^\S/), at);
        return null;
      case "alt-backspace":
        this.#edit(this.#wordStart(at, WORD), at);
        return null;
      case "ctrl-l":
        this.#out.write("\x1b[2J\x1b[H");
        this.#row = 0;
        this.redraw();
        return null;
      case "up":
        this.#recall(this.#index - 1);
        return null;
      case "down":
        this.#recall(this.#index + 1);
        return null;
      case "tab":
        this.#insert("  ");
        return null;
      case "alt-enter":
        this.#insert("\n");
        return null;
      case "escape":
      case "ctrl-c":
        return null;
    }
  }

  /** Draws the prompt and text again, with the cursor in place. */
  redraw(): void {
    const columns = Math.max(1, this.#out.columns());
    let row = 0;
    let col = 0;
    let cursorAt: [number, number] | undefined;
    const place = (grapheme: string) => {
      const width = graphemeWidth(grapheme);
      if (width > 0 && col > 0 && col + width > columns) {
        row++;
        col = 0;
      }
      const at: [number, number] = [row, col];
      col += width;
      return at;
    };
    for (const g of splitGraphemes(stripSgr(this.#prompt))) place(g);
    let shownText = "";
    const bounds = this.#bounds();
    for (let k = 0; k + 1 < bounds.length; k++) {
      const offset = bounds[k];
      const grapheme = this.#text.slice(offset, bounds[k + 1]);
      const display = shown(grapheme);
      shownText += display;
      // Sanitised stand-ins are single symbols or ASCII (`<U+202E>`).
      const parts = display === grapheme ? [display] : [...display];
      parts.forEach((g, i) => {
        const at = place(g);
        if (i === 0 && offset === this.#cursor) cursorAt = at;
      });
    }
    let seq = "\r" + up(this.#row) + "\x1b[J" + this.#prompt + shownText;
    // Text ending exactly at the right edge leaves the terminal waiting to
    // wrap; move to the next row so the cursor can sit there.
    this.#wrappedEnd = col >= columns;
    if (this.#wrappedEnd) {
      seq += "\r\n";
      row++;
      col = 0;
    }
    let [cursorRow, cursorCol] = cursorAt ?? [row, col];
    if (cursorCol >= columns) [cursorRow, cursorCol] = [cursorRow + 1, 0];
    if (cursorRow !== row || cursorCol !== col) {
      seq += up(row - cursorRow) + "\r";
      if (cursorCol > 0) seq += `\x1b[${cursorCol}C`;
    }
    this.#row = cursorRow;
    this.#out.write(seq);
  }

  #submit(): LineEvent {
    const text = this.#text;
    this.#cursor = text.length;
    this.redraw();
    if (!this.#wrappedEnd) this.#out.write("\r\n");
    if (text !== "" && this.#history.at(-1) !== text) this.#history.push(text);
    this.#index = this.#history.length;
    this.#draft = "";
    this.#text = "";
    this.#cursor = 0;
    this.#row = 0;
    return { type: "submit", text };
  }

  #recall(index: number): void {
    if (index < 0 || index > this.#history.length || index === this.#index) {
      return;
    }
    if (this.#index === this.#history.length) this.#draft = this.#text;
    this.#index = index;
    const text = index === this.#history.length
      ? this.#draft
      : this.#history[index];
    this.#set(text, text.length);
    this.redraw();
  }

  #insert(input: string): void {
    const text = input.replace(/\r\n?/g, "\n");
    if (text === "") return;
    const at = this.#cursor;
    this.#set(
      this.#text.slice(0, at) + text + this.#text.slice(at),
      at + text.length,
    );
    this.redraw();
  }

  /** Deletes `[from, to)` and puts the cursor at `cursor` (default `from`). */
  #edit(from: number, to: number, cursor = from): void {
    if (from >= to) return;
    this.#set(this.#text.slice(0, from) + this.#text.slice(to), cursor);
    this.redraw();
  }

  #move(cursor: number): void {
    if (cursor === this.#cursor) return;
    this.#cursor = cursor;
    this.redraw();
  }

  /** Sets text and cursor, snapping the cursor to a grapheme boundary. */
  #set(text: string, cursor: number): void {
    this.#text = text;
    let snapped = 0;
    for (const bound of this.#bounds()) if (bound <= cursor) snapped = bound;
    this.#cursor = snapped;
  }

  /** Offsets of grapheme boundaries, from 0 to the text's length. */
  #bounds(): number[] {
    if (this.#boundsOf?.text === this.#text) return this.#boundsOf.bounds;
    const bounds = [0];
    for (const g of splitGraphemes(this.#text)) {
      bounds.push(bounds[bounds.length - 1] + g.length);
    }
    this.#boundsOf = { text: this.#text, bounds };
    return bounds;
  }

  #previous(at: number): number {
    return this.#bounds().findLast((b) => b < at) ?? 0;
  }

  #next(at: number): number {
    return this.#bounds().find((b) => b > at) ?? this.#text.length;
  }

  /** Start of the word before `at`: skips non-word, then word graphemes. */
  #wordStart(at: number, word: RegExp): number {
    const bounds = this.#bounds();
    let i = bounds.indexOf(at);
    const isWord = (k: number) =>
      word.test(this.#text.slice(bounds[k - 1], bounds[k]));
    while (i > 0 && !isWord(i)) i--;
    while (i > 0 && isWord(i)) i--;
    return bounds[Math.max(i, 0)];
  }

  /** End of the word after `at`: skips non-word, then word graphemes. */
  #wordEnd(at: number): number {
    const bounds = this.#bounds();
    const last = bounds.length - 1;
    let i = bounds.indexOf(at);
    const isWord = (k: number) =>
      WORD.test(this.#text.slice(bounds[k], bounds[k + 1]));
    while (i < last && !isWord(i)) i++;
    while (i < last && isWord(i)) i++;
    return bounds[i];
  }
}

function up(rows: number): string {
  return rows > 0 ? `\x1b[${rows}A` : "";
}
