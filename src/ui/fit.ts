/**
 * Fitting styled text to a width: a line cut at the last grapheme that
 * fits, with an ellipsis, keeping (and closing) its SGR styling.
 *
 * @module
 */

import { displayWidth, graphemeWidth, splitGraphemes } from "./width.ts";

// deno-lint-ignore no-control-regex
const SGR_OR_TEXT = /(\x1b\[[0-9;]*m)|([^\x1b]+)|\x1b/g;

/**
 * `text` (one line, may carry SGR styling) cut to at most `width` columns;
 * a cut line ends with `…` and a style reset.
 *
 * @example
 * ```ts
 * import { fitWidth } from "./fit.ts";
 * console.log(fitWidth("hello world", 8)); // "hello w…"
 * console.log(fitWidth("short", 8)); // "short"
 * ```
 */
export function fitWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  let styled = false;
  for (const [, sgr, plain] of text.matchAll(SGR_OR_TEXT)) {
    if (sgr) {
      out += sgr;
      styled = true;
      continue;
    }
    if (!plain) continue;
    for (const g of splitGraphemes(plain)) {
      const w = graphemeWidth(g);
      if (used + w > width - 1) {
        return out + "…" + (styled ? "\x1b[0m" : "");
      }
      out += g;
      used += w;
    }
  }
  return out;
}

/**
 * `text` (one line, may carry SGR styling) split into rows of at most
 * `width` columns; each row carries on the styling of the one before.
 *
 * @example
 * ```ts
 * import { hardWrap } from "./fit.ts";
 * console.log(hardWrap("abcdef", 4)); // ["abcd", "ef"]
 * ```
 */
export function hardWrap(text: string, width: number): string[] {
  if (width <= 0 || displayWidth(text) <= width) return [text];
  const rows: string[] = [];
  let row = "";
  let used = 0;
  let active = "";
  for (const [, sgr, plain] of text.matchAll(SGR_OR_TEXT)) {
    if (sgr) {
      row += sgr;
      active = sgr === "\x1b[0m" || sgr === "\x1b[m" ? "" : active + sgr;
      continue;
    }
    if (!plain) continue;
    for (const g of splitGraphemes(plain)) {
      const w = graphemeWidth(g);
      if (used + w > width && used > 0) {
        rows.push(active ? `${row}\x1b[0m` : row);
        row = active;
        used = 0;
      }
      row += g;
      used += w;
    }
  }
  rows.push(row);
  return rows;
}
