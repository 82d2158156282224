/**
 * Makes untrusted text safe to print on a terminal. Text from the model,
 * from files, file names and command output may carry escape sequences
 * (colour changes, cursor moves, OSC 52 clipboard writes, OSC 8 links,
 * title changes), other control characters, bidirectional overrides that
 * reorder what is shown, or invisible zero-width characters. Each is shown
 * visibly and inertly instead.
 *
 * @module
 */

const ESC = 0x1b;

/** Visible stand-ins for C0 controls: U+2400 block ("␀".."␟"). */
function c0(code: number): string {
  return String.fromCharCode(0x2400 + code);
}

// Bidi embedding/override/isolate controls and marks.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// Zero-width and other invisible format characters.
const INVISIBLE = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff]/;

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}

/**
 * Neutralises `text` for display: newline and tab pass; ESC becomes "␛"
 * (so `\x1b[31m` shows as `␛[31m` and does nothing), other C0 controls and
 * DEL become their U+2400 symbols, C1 controls show as `<U+009B>`, bidi
 * controls and zero-width characters show as `<U+202E>`.
 *
 * @example
 * ```ts
 * import { sanitize } from "./sanitize.ts";
 * console.log(sanitize("\x1b]52;c;aGk=\x07ok")); // "␛]52;c;aGk=␇ok"
 * ```
 */
export function sanitize(text: string): string {
  let out = "";
  let plainFrom = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let replacement: string | undefined;
    if (code < 0x20) {
      if (code === 0x0a || code === 0x09) continue;
      replacement = code === ESC ? "\u241b" : c0(code);
    } else if (code === 0x7f) {
      replacement = "\u2421";
    } else if (code >= 0x80 && code <= 0x9f) {
      replacement = `<U+${hex(code)}>`;
    } else if (code >= 0x61c) {
      const ch = text[i];
      if (BIDI.test(ch) || INVISIBLE.test(ch)) replacement = `<U+${hex(code)}>`;
    }
    if (replacement !== undefined) {
      out += text.slice(plainFrom, i) + replacement;
      plainFrom = i + 1;
    }
  }
  return plainFrom === 0 ? text : out + text.slice(plainFrom);
}
