/**
 * The interactive input line: a prompt with emacs-style editing keys and
 * history, redrawn in full on every change so wide characters, pasted
 * newlines and lines longer than the terminal stay correct.
 *
 * @module
 */

import type { Key } from "./keys.ts";
import { plural } from "./plural.ts";
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
  /**
   * When set, the editor does not write to `out` itself: each change calls
   * this instead, and the owner draws {@linkcode LineEditor.layout} (inside
   * a live region, say).
   */
  onChange?: () => void;
  /** Pastes of at least this many lines collapse to `[pasted N lines]` (default 10). */
  collapseLines?: number;
  /** Pastes of at least this many characters collapse (default 2000). */
  collapseChars?: number;
}

/**
 * How the input looks at a width: the text to write at the start of its
 * first row (prompt included), how many rows it takes, and where the cursor
 * goes (row and column, counted from its first row).
 *
 * @example
 * ```ts
 * import type { EditorLayout } from "./line_editor.ts";
 * const layout: EditorLayout = { text: "> hi", rows: 1, cursorRow: 0, cursorCol: 4 };
 * console.log(layout.rows); // 1
 * ```
 */
export interface EditorLayout {
  text: string;
  rows: number;
  cursorRow: number;
  cursorCol: number;
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

/** First character of the private-use range that stands for collapsed pastes. */
const PASTE_BASE = 0xf0000;

/** Whether a grapheme stands for a collapsed paste. */
function isPasteMark(grapheme: string): boolean {
  const code = grapheme.codePointAt(0) ?? 0;
  return code >= PASTE_BASE && code < PASTE_BASE + 0xfffd;
}

/** Lines of a paste, for its placeholder. */
function pasteLabel(text: string): string {
  const lines = text.replace(/\n$/, "").split("\n").length;
  return lines > 1
    ? `[pasted ${plural(lines, "line")}]`
    : `[pasted ${plural(text.length, "character")}]`;
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
  #onChange: (() => void) | undefined;
  /** Collapsed pastes by their placeholder character. */
  #pastes = new Map<string, string>();
  #collapseLines: number;
  #collapseChars: number;

  /** Makes an editor; nothing is drawn until {@linkcode LineEditor.start}. */
  constructor(options: LineEditorOptions) {
    this.#out = options.out;
    this.#prompt = options.prompt;
    this.#history = [...(options.history ?? [])];
    this.#index = this.#history.length;
    this.#onChange = options.onChange;
    this.#collapseLines = options.collapseLines ?? 10;
    this.#collapseChars = options.collapseChars ?? 2000;
  }

  /**
   * The text being edited, with a collapsed paste as one placeholder
   * character (see {@linkcode LineEditor.value} for the full text).
   */
  get text(): string {
    return this.#text;
  }

  /** The text being edited with every collapsed paste in full. */
  get value(): string {
    return this.#expand(this.#text);
  }

  /** Replaces the text (pastes in it stay collapsed) and puts the cursor at `cursor` (default: the end). */
  setText(text: string, cursor = text.length): void {
    this.#set(text, cursor);
    this.redraw();
  }

  /** Replaces `[from, to)` of {@linkcode LineEditor.text} with `text`; the cursor goes after it. */
  replaceRange(from: number, to: number, text: string): void {
    this.#set(
      this.#text.slice(0, from) + text + this.#text.slice(to),
      from + text.length,
    );
    this.redraw();
  }

  /** The cursor's offset into {@linkcode LineEditor.text}. */
  get cursor(): number {
    return this.#cursor;
  }

  /** Replaces the history (entries oldest first), e.g. once it is loaded. */
  setHistory(entries: readonly string[]): void {
    const atEnd = this.#index === this.#history.length;
    this.#history = [...entries];
    if (atEnd) this.#index = this.#history.length;
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
    this.#pastes.clear();
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
    if (key.kind === "paste" && this.#collapses(key.text)) {
      const mark = String.fromCodePoint(PASTE_BASE + this.#pastes.size);
      this.#pastes.set(mark, key.text.replace(/\r\n?/g, "\n"));
      this.#insert(mark);
      return null;
    }
    if (key.kind !== "key") {
      this.#insert(key.text);
      return null;
    }
    const text = this.#text;
    const at = this.#cursor;
    switch (key.name) {
      case "enter":
        // A backslash before Enter continues the input on a new line.
        if (at > 0 && text[at - 1] === "\\") {
          this.#set(text.slice(0, at - 1) + "\n" + text.slice(at), at);
          this.redraw();
          return null;
        }
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
      case "shift-enter":
        this.#insert("\n");
        return null;
      default:
        return null;
    }
  }

  /** Draws the prompt and text again, with the cursor in place. */
  redraw(): void {
    if (this.#onChange) {
      this.#onChange();
      return;
    }
    const layout = this.layout(this.#out.columns());
    let seq = "\r" + up(this.#row) + "\x1b[J" + layout.text;
    const endRow = layout.rows - 1;
    const endCol = this.#endCol;
    if (layout.cursorRow !== endRow || layout.cursorCol !== endCol) {
      seq += up(endRow - layout.cursorRow) + "\r";
      if (layout.cursorCol > 0) seq += `\x1b[${layout.cursorCol}C`;
    }
    this.#row = layout.cursorRow;
    this.#out.write(seq);
  }

  /** Column where the last {@linkcode LineEditor.layout}'s text ends. */
  #endCol = 0;

  /**
   * Lays the prompt and text out at `columns`: the text to write, the rows
   * it takes and where the cursor goes. Wide characters, newlines (shown as
   * ⏎) and collapsed pastes (shown as `[pasted N lines]`) are placed as the
   * terminal will place them.
   */
  layout(columns: number): EditorLayout {
    columns = Math.max(1, columns);
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
      const paste = isPasteMark(grapheme) ? this.#pastes.get(grapheme) : null;
      const display = paste != null ? pasteLabel(paste) : shown(grapheme);
      shownText += display;
      // Sanitised stand-ins are single symbols or ASCII (`<U+202E>`).
      const parts = display === grapheme ? [display] : [...display];
      parts.forEach((g, i) => {
        const at = place(g);
        if (i === 0 && offset === this.#cursor) cursorAt = at;
      });
    }
    let text = this.#prompt + shownText;
    // Text ending exactly at the right edge leaves the terminal waiting to
    // wrap; move to the next row so the cursor can sit there.
    this.#wrappedEnd = col >= columns;
    if (this.#wrappedEnd) {
      text += "\r\n";
      row++;
      col = 0;
    }
    let [cursorRow, cursorCol] = cursorAt ?? [row, col];
    if (cursorCol >= columns) [cursorRow, cursorCol] = [cursorRow + 1, 0];
    this.#endCol = col;
    return { text, rows: row + 1, cursorRow, cursorCol };
  }

  #submit(): LineEvent {
    const text = this.#expand(this.#text);
    this.#cursor = this.#text.length;
    if (!this.#onChange) {
      this.redraw();
      if (!this.#wrappedEnd) this.#out.write("\r\n");
    }
    if (text !== "" && this.#history.at(-1) !== text) this.#history.push(text);
    this.#index = this.#history.length;
    this.#draft = "";
    this.#text = "";
    this.#cursor = 0;
    this.#row = 0;
    this.#pastes.clear();
    return { type: "submit", text };
  }

  /** Whether a paste is big enough to collapse. */
  #collapses(text: string): boolean {
    if (text.length >= this.#collapseChars) return true;
    let lines = 1;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
      if (++lines >= this.#collapseLines) return true;
    }
    return false;
  }

  /** `text` with each paste placeholder replaced by the paste. */
  #expand(text: string): string {
    if (this.#pastes.size === 0) return text;
    let out = "";
    for (const ch of text) out += this.#pastes.get(ch) ?? ch;
    return out;
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
