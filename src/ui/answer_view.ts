/**
 * The answer as the user sees it: rendered markdown after a cyan `⏺`,
 * streamed block by block while the model writes a `SUBMIT` literal, then
 * completed (or printed whole) when the turn ends.
 *
 * @module
 */

import { stableMarkdown, SubmitLiteralStream } from "./answer_stream.ts";
import { renderMarkdown } from "./markdown.ts";
import type { Style } from "./style.ts";
import type { ReplName } from "../sandbox/types.ts";

/** Where an answer view writes. */
export interface AnswerViewOutput {
  print(lines: string[]): void;
  style: Style;
  columns(): number;
  /** The language of the REPL whose cells are read (default `js`). */
  repl?: () => ReplName;
}

/**
 * Renders the turn's answer, streaming it when it can.
 *
 * @example
 * ```ts ignore
 * const view = new AnswerView(output);
 * view.delta(streamedText); // model_delta events of a step
 * view.finish(result.answer);
 * ```
 */
export class AnswerView {
  #o: AnswerViewOutput;
  #stream: SubmitLiteralStream;
  /** Markdown source already rendered. */
  #shown = "";

  constructor(output: AnswerViewOutput) {
    this.#o = output;
    this.#stream = new SubmitLiteralStream(output.repl?.());
  }

  /** Whether part of an answer was streamed in this step. */
  get streaming(): boolean {
    return this.#shown !== "";
  }

  /** A new step begins: its reply is parsed afresh. */
  step(): void {
    this.#stream = new SubmitLiteralStream(this.#o.repl?.());
  }

  /** Reply text of the current step as it streams. */
  delta(text: string): void {
    if (!this.#stream.push(text)) return;
    const decoded = this.#stream.text;
    if (!decoded.startsWith(this.#shown)) return;
    // Whole blocks only: the last one may still grow, or be followed by
    // `+ more` in the code, so it waits for the submitted answer.
    const stable = stableMarkdown(decoded);
    if (stable.length > this.#shown.length && stable.trim()) {
      this.#render(stable.slice(this.#shown.length));
      this.#shown = stable;
    }
  }

  /**
   * The cell ran without submitting what streamed: says so, and forgets it,
   * so the real answer prints whole.
   */
  abandon(): string[] {
    if (!this.#shown) return [];
    this.#shown = "";
    return [
      this.#o.style.yellow(
        "⏺ The cell stopped before SUBMIT ran; the text above was a draft.",
      ),
    ];
  }

  /** Prints the answer, or the part of it not streamed yet. */
  finish(answer: string): void {
    if (this.#shown && answer.startsWith(this.#shown)) {
      const rest = answer.slice(this.#shown.length);
      if (rest.trim()) this.#render(rest);
    } else {
      if (this.#shown) {
        // The code changed the literal (`+ x`, `.format(...)`): say so.
        this.#o.print([
          this.#o.style.yellow(
            "⏺ The submitted answer differs from the draft above:",
          ),
        ]);
      }
      this.#shown = "";
      this.#render(answer);
    }
    this.#shown = "";
  }

  #render(markdown: string): void {
    const width = Math.max(20, this.#o.columns() - 2);
    const text = renderMarkdown(markdown, this.#o.style, width);
    const lines = text.split("\n");
    if (this.#shown === "") {
      lines[0] = `${this.#o.style.cyan("⏺")} ${lines[0]}`;
      for (let i = 1; i < lines.length; i++) lines[i] = `  ${lines[i]}`;
      this.#o.print(["", ...lines]);
    } else {
      this.#o.print(["", ...lines.map((line) => `  ${line}`)]);
    }
  }
}
