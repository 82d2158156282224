/**
 * Streams the answer while the model writes it: when the code block of a
 * reply calls `SUBMIT` with a string literal, the literal's text is decoded
 * as it arrives, so a long answer can be shown before the model has
 * finished it. The block is found as the reply parser finds it (the first
 * fence whose tag runs in the REPL's language), and the literal is read in
 * that language: JavaScript (`js_literal.ts`) or Python
 * (`python_literal.ts`).
 *
 * @module
 */

import type { ReplName } from "../sandbox/types.ts";
import { replLanguage } from "../rlm/python_language.ts";
import { JsLiteralDecoder } from "./js_literal.ts";
import { PythonLiteralDecoder } from "./python_literal.ts";

/** Reads one language's `SUBMIT` string literal out of streaming code. */
export interface LiteralDecoder {
  /** The decoded text so far. */
  readonly text: string;
  /** Whether no more text will come (the literal ended, or the code did). */
  readonly complete: boolean;
  /** Whether a `SUBMIT` call with a string literal was found. */
  readonly found: boolean;
  /**
   * Decodes more: `code` is the block's code so far (it only grows);
   * `ended` says the block is closed or the reply is over.
   */
  feed(code: string, ended: boolean): void;
}

const OPEN_FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+.#-]*)[^`]*$/;

/**
 * Decodes the `SUBMIT` string literal of a streaming reply.
 *
 * @example
 * ```ts
 * import { SubmitLiteralStream } from "./answer_stream.ts";
 * const stream = new SubmitLiteralStream();
 * stream.push("Done.\n```js\nSUBMIT(`# Title\\n\\nfirst");
 * console.log(stream.text); // "# Title\n\nfirst"
 * stream.push(" part`)\n```");
 * console.log(stream.text, stream.complete); // "# Title\n\nfirst part" true
 * const python = new SubmitLiteralStream("python");
 * python.push('```python\nSUBMIT(answer="""# Title\n\nfirst""")\n```\n');
 * console.log(python.text); // "# Title\n\nfirst"
 * ```
 */
export class SubmitLiteralStream {
  #reply = "";
  #tags: ReadonlySet<string>;
  #decoder: LiteralDecoder;
  /** Where the runnable block's code starts, and its fence. */
  #code = -1;
  #fence = "";
  /** Where the code's first line not known to be code starts. */
  #line = 0;
  /** Where the next unscanned line starts (before the code is found). */
  #scanned = 0;
  /** The fence of a non-runnable block being skipped. */
  #skipping = "";

  constructor(repl: ReplName = "js") {
    this.#tags = replLanguage(repl).tags;
    this.#decoder = repl === "python"
      ? new PythonLiteralDecoder()
      : new JsLiteralDecoder();
  }

  /** The decoded literal so far. */
  get text(): string {
    return this.#decoder.text;
  }

  /** Whether the literal has ended (its closing quote, an interpolation, or the block's end). */
  get complete(): boolean {
    return this.#decoder.complete;
  }

  /** Whether a `SUBMIT` literal was found. */
  get found(): boolean {
    return this.#decoder.found;
  }

  /** Adds streamed reply text; returns the newly decoded answer text. */
  push(delta: string): string {
    this.#reply += delta;
    if (this.#decoder.complete) return "";
    if (this.#code < 0 && !this.#findCode()) return "";
    const before = this.#decoder.text.length;
    const { code, ended } = this.#codeSoFar();
    this.#decoder.feed(code, ended);
    return this.#decoder.text.slice(before);
  }

  /** Scans whole lines for the first block whose tag runs. */
  #findCode(): boolean {
    for (
      let end = this.#reply.indexOf("\n", this.#scanned);
      end >= 0;
      end = this.#reply.indexOf("\n", this.#scanned)
    ) {
      const line = this.#reply.slice(this.#scanned, end);
      this.#scanned = end + 1;
      if (this.#skipping) {
        if (closes(line, this.#skipping)) this.#skipping = "";
        continue;
      }
      const open = OPEN_FENCE.exec(line);
      if (!open) continue;
      if (this.#tags.has(open[2].toLowerCase())) {
        this.#code = this.#line = this.#scanned;
        this.#fence = open[1];
        return true;
      }
      this.#skipping = open[1];
    }
    return false;
  }

  /**
   * The block's code so far, up to its closing fence; a last line that may
   * still become the closing fence waits for its newline.
   */
  #codeSoFar(): { code: string; ended: boolean } {
    for (
      let end = this.#reply.indexOf("\n", this.#line);;
      end = this.#reply.indexOf("\n", this.#line)
    ) {
      const line = this.#reply.slice(this.#line, end < 0 ? undefined : end);
      if (closes(line, this.#fence)) {
        return { code: this.#reply.slice(this.#code, this.#line), ended: true };
      }
      if (end < 0) {
        const maybe = new RegExp(`^ {0,3}\\${this.#fence[0]}*\\s*$`);
        const last = maybe.test(line) ? this.#line : this.#reply.length;
        return { code: this.#reply.slice(this.#code, last), ended: false };
      }
      this.#line = end + 1;
    }
  }
}

/** Whether `line` closes a block opened with `fence`. */
function closes(line: string, fence: string): boolean {
  return new RegExp(`^ {0,3}\\${fence[0]}{${fence.length},}\\s*$`).test(
    line,
  );
}

/**
 * Splits streamed markdown into the part that will not change as more text
 * arrives (whole blocks, ending at a blank line outside a code fence) and
 * the rest.
 *
 * @example
 * ```ts
 * import { stableMarkdown } from "./answer_stream.ts";
 * console.log(stableMarkdown("# A\n\nsome text\n\nmore")); // "# A\n\nsome text\n\n"
 * ```
 */
export function stableMarkdown(text: string): string {
  let stable = 0;
  let fence: string | null = null;
  let offset = 0;
  const lines = text.split("\n");
  for (let k = 0; k < lines.length - 1; k++) {
    const line = lines[k];
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) {
      fence = fence === null ? marker : null;
    }
    offset += line.length + 1;
    if (fence === null && line.trim() === "" && k > 0) stable = offset;
  }
  return text.slice(0, stable);
}
