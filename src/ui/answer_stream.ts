/**
 * Streams the answer while the model writes it: when the code block of a
 * reply calls `SUBMIT` with a string literal (`SUBMIT("...")`,
 * `SUBMIT('...')`, `` SUBMIT(`...`) `` or `SUBMIT({ answer: "..." })`),
 * the literal's text is decoded as it arrives, so a long answer can be
 * shown before the model has finished it.
 *
 * @module
 */

const FENCE =
  /^ {0,3}(`{3,}|~{3,})[ \t]*(js|javascript|ts|typescript|mjs)?[ \t]*\n/m;
const SUBMIT = /\bSUBMIT\s*\(\s*(?:\{\s*["']?answer["']?\s*:\s*)?(["'`])/;
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
 * ```
 */
export class SubmitLiteralStream {
  #reply = "";
  #code = -1;
  #quote = "";
  #at = -1;
  #text = "";
  #complete = false;

  /** The decoded literal so far. */
  get text(): string {
    return this.#text;
  }

  /** Whether the literal has ended (its closing quote, or a `${` in a template). */
  get complete(): boolean {
    return this.#complete;
  }

  /** Whether a `SUBMIT` literal was found. */
  get found(): boolean {
    return this.#at >= 0;
  }

  /** Adds streamed reply text; returns the newly decoded answer text. */
  push(delta: string): string {
    this.#reply += delta;
    if (this.#complete) return "";
    if (this.#code < 0) {
      const fence = FENCE.exec(this.#reply);
      if (!fence) return "";
      this.#code = fence.index + fence[0].length;
    }
    if (this.#at < 0) {
      const match = SUBMIT.exec(this.#reply.slice(this.#code));
      if (!match) return "";
      this.#quote = match[1];
      this.#at = this.#code + match.index + match[0].length;
    }
    const before = this.#text.length;
    this.#decode();
    return this.#text.slice(before);
  }

  #decode(): void {
    const src = this.#reply;
    let i = this.#at;
    while (i < src.length) {
      const char = src[i];
      if (char === this.#quote) {
        this.#complete = true;
        break;
      }
      if (this.#quote === "`" && char === "$" && src[i + 1] === "{") {
        this.#complete = true;
        break;
      }
      if (this.#quote === "`" && char === "$" && i + 1 >= src.length) break;
      if (char === "\n" && this.#quote !== "`") {
        this.#complete = true;
        break;
      }
      if (char !== "\\") {
        this.#text += char;
        i++;
        continue;
      }
      const escaped = this.#escape(src, i);
      if (escaped === null) break;
      this.#text += escaped.text;
      i = escaped.end;
    }
    this.#at = i;
  }

  /** Decodes the escape at `i`; `null` when it is not all there yet. */
  #escape(src: string, i: number): { text: string; end: number } | null {
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
