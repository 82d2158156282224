/**
 * Decodes the Python string literal of a streaming `SUBMIT(...)` call, as
 * far as it has arrived: `'...'`, `"..."`, `'''...'''`, `"""..."""`, raw
 * (`r"..."`), `u"..."` and f-strings (their text up to the first `{expr}`),
 * adjacent literals concatenated (`SUBMIT("a" "b")`, across lines), and the
 * keyword and dict forms `SUBMIT(answer="...")`, `SUBMIT({"answer": "..."})`.
 * Escapes are decoded whole or not at all; `\N{name}` ends the stream (the
 * rest appears when `SUBMIT` has run).
 *
 * @module
 */

import type { LiteralDecoder } from "./answer_stream.ts";

/** Where a Python `SUBMIT` argument starts with a string literal. */
const HEAD =
  /\bSUBMIT\s*\(\s*(?:answer\s*=\s*|\{\s*(["'])answer\1\s*:\s*)?(?=[rRuUfFbB]{0,2}["'])/;
/** A valid string prefix (bytes are not text, so they do not stream). */
const PREFIX = /^(?:[rRuUfF]|[rR][fF]|[fF][rR])?$/;
const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\n": "",
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

interface Literal {
  quote: string;
  raw: boolean;
  f: boolean;
}

/** What decoding at a position gave: text and the next position, `wait` for more, or `stop`. */
type Step = { text: string; end: number } | "wait" | "stop";

/**
 * Decodes the first `SUBMIT` string argument of streaming Python code.
 *
 * @example
 * ```ts
 * import { PythonLiteralDecoder } from "./python_literal.ts";
 * const decoder = new PythonLiteralDecoder();
 * decoder.feed('SUBMIT("""# Done\n\nfirst\\t', false);
 * console.log(decoder.text); // "# Done\n\nfirst\t"
 * decoder.feed('SUBMIT("""# Done\n\nfirst\\tpart"""\n  f" of {n}")', true);
 * console.log(decoder.text, decoder.complete); // "# Done\n\nfirst\tpart of " true
 * ```
 */
export class PythonLiteralDecoder implements LiteralDecoder {
  text = "";
  complete = false;
  found = false;
  #at = -1;
  #literal: Literal | null = null;

  feed(code: string, ended: boolean): void {
    if (this.complete) return;
    if (this.#at < 0) {
      const match = HEAD.exec(code);
      if (!match) {
        this.complete = ended;
        return;
      }
      this.found = true;
      this.#at = match.index + match[0].length;
    }
    while (!this.complete) {
      const step = this.#literal ? this.#inside(code) : this.#between(code);
      if (step === "wait") break;
      if (step === "stop") this.complete = true;
      else {
        this.text += step.text;
        this.#at = step.end;
      }
    }
    if (ended) this.complete = true;
  }

  /** Outside a literal: skips space, comments and line joins; opens the next literal. */
  #between(src: string): Step {
    const i = this.#at;
    const char = src[i];
    if (char === undefined) return "wait";
    if (/[ \t\f\r\n]/.test(char)) return { text: "", end: i + 1 };
    if (char === "#") {
      const end = src.indexOf("\n", i);
      return end < 0 ? "wait" : { text: "", end };
    }
    if (char === "\\") {
      if (i + 1 >= src.length) return "wait";
      return src[i + 1] === "\n" ? { text: "", end: i + 2 } : "stop";
    }
    const prefix = /^[A-Za-z_0-9]*/.exec(src.slice(i, i + 3))![0];
    const q = i + prefix.length;
    if (q >= src.length) return "wait";
    // Anything else (`)`, `,`, `+ x`, `.format(...)`) ends the literal text.
    if (!`'"`.includes(src[q]) || !PREFIX.test(prefix)) return "stop";
    const quote = src[q];
    // `"` then `""` or `"` alone: an empty string or a triple quote.
    const seen = src[q + 1] === quote ? 3 : 2;
    if (q + seen > src.length) return "wait";
    const triple = src[q + 1] === quote && src[q + 2] === quote;
    this.#literal = {
      quote: triple ? quote.repeat(3) : quote,
      raw: /r/i.test(prefix),
      f: /f/i.test(prefix),
    };
    return { text: "", end: q + this.#literal.quote.length };
  }

  /** Inside a literal: decodes up to its end, a placeholder or what has not arrived. */
  #inside(src: string): Step {
    const literal = this.#literal!;
    let i = this.#at;
    let text = "";
    while (i < src.length) {
      const char = src[i];
      if (char === literal.quote[0]) {
        const end = src.slice(i, i + literal.quote.length);
        if (end === literal.quote) {
          this.#literal = null;
          return { text, end: i + end.length };
        }
        if (literal.quote.startsWith(end) && i + end.length >= src.length) {
          break;
        }
      } else if (char === "\n" && literal.quote.length === 1) return "stop";
      else if (literal.f && (char === "{" || char === "}")) {
        if (i + 1 >= src.length) break;
        // `{{` and `}}` are braces; a placeholder ends what can be shown.
        if (src[i + 1] !== char) return text ? { text, end: i } : "stop";
        text += char;
        i += 2;
        continue;
      } else if (char === "\\") {
        const escaped = literal.raw ? rawEscape(src, i) : escape(src, i);
        if (escaped === "stop") return text ? { text, end: i } : "stop";
        if (escaped === "wait") break;
        text += escaped.text;
        i = escaped.end;
        continue;
      }
      text += char;
      i++;
    }
    return text ? { text, end: i } : "wait";
  }
}

/** In a raw string a backslash stays, and the next character is kept as written. */
function rawEscape(src: string, i: number): Step {
  return i + 1 >= src.length
    ? "wait"
    : { text: src.slice(i, i + 2), end: i + 2 };
}

/** Decodes the escape at `i` of a Python string. */
function escape(src: string, i: number): Step {
  const next = src[i + 1];
  if (next === undefined) return "wait";
  if (next in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[next], end: i + 2 };
  if (/[0-7]/.test(next)) {
    const digits = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4))![0];
    if (digits.length < 3 && i + 1 + digits.length >= src.length) return "wait";
    return {
      text: String.fromCharCode(parseInt(digits, 8)),
      end: i + 1 + digits.length,
    };
  }
  const width = HEX_DIGITS[next];
  if (width) {
    const hex = src.slice(i + 2, i + 2 + width);
    if (!/^[0-9a-fA-F]*$/.test(hex)) return "stop"; // a SyntaxError in Python
    if (hex.length < width) return "wait";
    const code = parseInt(hex, 16);
    return code > 0x10ffff
      ? "stop"
      : { text: String.fromCodePoint(code), end: i + 2 + width };
  }
  // `\N{name}` needs Unicode's name table: the answer shows it once submitted.
  if (next === "N") return "stop";
  return { text: `\\${next}`, end: i + 2 }; // unknown escapes stay as written
}
