/**
 * A spinner with elapsed time for the line below the output, and an
 * {@linkcode Output} wrapper that keeps it out of the way of other text.
 *
 * @module
 */

import type { Style } from "./style.ts";
import type { Output } from "./terminal.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Shows `⠋ Thinking… 3.2s` on the current line while work is under way.
 * On a non-terminal output it draws nothing.
 *
 * @example
 * ```ts ignore
 * const spinner = new Spinner(stderrOutput(), style);
 * spinner.start("Thinking");
 * // ... later
 * spinner.stop();
 * ```
 */
export class Spinner {
  #out: Output;
  #style: Style;
  #label = "";
  #started = 0;
  #frame = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #shown = false;
  #hint: string;
  /** While set (the cursor is mid-line), the spinner does not draw. */
  hold = false;

  constructor(out: Output, style: Style, hint = "Ctrl-C to interrupt") {
    this.#out = out;
    this.#style = style;
    this.#hint = hint;
  }

  /** Whether the spinner is running. */
  get active(): boolean {
    return this.#timer !== undefined;
  }

  /** Starts (or relabels) the spinner; the clock runs from the first start. */
  start(label: string): void {
    this.#label = label;
    if (!this.#out.isTerminal) return;
    if (this.#timer === undefined) {
      this.#started = performance.now();
      this.#timer = setInterval(() => this.draw(), 80);
    }
    this.draw();
  }

  /** Stops and erases the spinner. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.clear();
  }

  /** Erases the spinner line (it comes back on the next draw). */
  clear(): void {
    if (this.#shown) {
      this.#out.write("\r\x1b[K");
      this.#shown = false;
    }
  }

  /** Draws the current frame. */
  draw(): void {
    if (this.#timer === undefined || this.hold) return;
    const seconds = ((performance.now() - this.#started) / 1000).toFixed(1);
    const frame = FRAMES[this.#frame++ % FRAMES.length];
    const text = `${frame} ${this.#label}… ${seconds}s`;
    const hint = this.#hint ? `  (${this.#hint})` : "";
    const width = this.#out.columns() - 1;
    const line = (text + hint).length <= width
      ? text + this.#style.dim(hint)
      : text.slice(0, width);
    this.#out.write(`\r${this.#style.cyan(line)}\x1b[K`);
    this.#shown = true;
  }
}

/**
 * An output that erases the spinner before each write and redraws it after
 * a complete line, so spinner and text never mix.
 *
 * @example
 * ```ts ignore
 * const out = new SpinnerOutput(stderrOutput(), spinner);
 * out.write("⏺ Read(a.ts)\n");
 * ```
 */
export class SpinnerOutput implements Output {
  constructor(readonly inner: Output, readonly spinner: Spinner) {}

  get isTerminal(): boolean {
    return this.inner.isTerminal;
  }

  columns(): number {
    return this.inner.columns();
  }

  write(text: string): void {
    if (!text) return;
    this.spinner.clear();
    this.inner.write(text);
    this.spinner.hold = !text.endsWith("\n");
    this.spinner.draw();
  }
}
