/**
 * Decodes the JavaScript string literal of a streaming `SUBMIT(...)` call:
 * `"..."`, `'...'`, `` `...` `` (up to a `${`), or the `answer` property of
 * `SUBMIT({ answer: "..." })`, as far as it has arrived.
 *
 * @module
 */

import type { LiteralDecoder } from "./answer_stream.ts";

/** Where a JavaScript `SUBMIT` string literal starts (the quote is group 1). */
const HEAD = /\bSUBMIT\s*\(\s*(?:\{\s*["']?answer["']?\s*:\s*)?(["'`])/;

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n",
  t: "\t",
  r: "\r",
  b: "\b",
  f: "\f",
  v: "\v",
  0: "\0",
};

/**
 * Decodes the first `SUBMIT` string literal of streaming JavaScript code.
 *
 * @example
 * ```ts
 * import { JsLiteralDecoder } from "./js_literal.ts";
 * const decoder = new JsLiteralDecoder();
 * decoder.feed("const n = 2\nSUBMIT(`# Done\\n\\nfirst", false);
 * console.log(decoder.text); // "# Done\n\nfirst"
 * decoder.feed("const n = 2\nSUBMIT(`# Done\\n\\nfirst ${n}`)\n", true);
 * console.log(decoder.text, decoder.complete); // "# Done\n\nfirst " true
 * ```
 */
export class JsLiteralDecoder implements LiteralDecoder {
  text = "";
  complete = false;
  found = false;
  #quote = "";
  #at = -1;

  feed(code: string, ended: boolean): void {
    if (this.complete) return;
    if (this.#at < 0) {
      const match = HEAD.exec(code);
      if (!match) {
        this.complete = ended;
        return;
      }
      this.found = true;
      this.#quote = match[1];
      this.#at = match.index + match[0].length;
    }
    this.#decode(code);
    if (ended) this.complete = true;
  }

  #decode(src: string): void {
    let i = this.#at;
    while (i < src.length) {
      const char = src[i];
      if (char === this.#quote) {
        this.complete = true;
        break;
      }
      if (this.#quote === "`" && char === "$" && src[i + 1] === "{") {
        this.complete = true;
        break;
      }
      if (this.#quote === "`" && char === "$" && i + 1 >= src.length) break;
      if (char === "\n" && this.#quote !== "`") {
        this.complete = true;
        break;
      }
      if (char !== "\\") {
        this.text += char;
        i++;
        continue;
      }
      const escaped = escape(src, i);
      if (escaped === null) break;
      this.text += escaped.text;
      i = escaped.end;
    }
    this.#at = i;
  }
}

/** Decodes the escape at `i`; `null` when it is not all there yet. */
function escape(src: string, i: number): { text: string; end: number } | null {
  const next = src[i + 1];
  if (next === undefined) return null;
  if (next in SIMPLE_ESCAPES && !(next === "0" && /\d/.test(src[i + 2]))) {
    return { text: SIMPLE_ESCAPES[next], end: i + 2 };
  }
  if (next === "\n") return { text: "", end: i + 2 };
  if (next === "x") {
    const hex = src.slice(i + 2, i + 4);
    if (hex.length < 2) return null;
    return { text: String.fromCharCode(parseInt(hex, 16) || 0), end: i + 4 };
  }
  if (next === "u") {
    if (src[i + 2] === "{") {
      const close = src.indexOf("}", i + 3);
      if (close < 0) return null;
      const code = parseInt(src.slice(i + 3, close), 16);
      return {
        text: Number.isFinite(code) && code <= 0x10ffff
          ? String.fromCodePoint(code)
          : "",
        end: close + 1,
      };
    }
    const hex = src.slice(i + 2, i + 6);
    if (hex.length < 4) return null;
    return { text: String.fromCharCode(parseInt(hex, 16) || 0), end: i + 6 };
  }
  return { text: next, end: i + 2 };
}
