/**
 * Word wrapping for plain lines (messages, commands, output): breaks at
 * spaces, never inside a word unless the word alone is wider than the line.
 *
 * @module
 */

import { displayWidth, graphemeWidth, splitGraphemes } from "./width.ts";

/**
 * `text` (one line, unstyled) wrapped to `width` columns; the first row
 * starts with `first`, the others with `rest`.
 *
 * @example
 * ```ts
 * import { wrapLine } from "./wrap.ts";
 * console.log(wrapLine("the quick brown fox", 12, "", "  ")); // ["the quick", "  brown fox"]
 * ```
 */
export function wrapLine(
  text: string,
  width: number,
  first = "",
  rest = first,
): string[] {
  const rows: string[] = [];
  let prefix = first;
  const lead = /^\s*/.exec(text)![0];
  let row = lead;
  let used = displayWidth(lead);
  let fresh = true;
  const room = () => Math.max(1, width - displayWidth(prefix));
  const emit = () => {
    rows.push(prefix + row);
    prefix = rest;
    row = "";
    used = 0;
    fresh = true;
  };
  for (const word of text.slice(lead.length).split(/ +/)) {
    if (word === "") continue;
    const size = displayWidth(word);
    if (!fresh && used + 1 + size <= room()) {
      row += ` ${word}`;
      used += 1 + size;
      continue;
    }
    if (!fresh) emit();
    fresh = false;
    if (used + size <= room()) {
      row += word;
      used += size;
      continue;
    }
    for (const g of splitGraphemes(word)) {
      const w = graphemeWidth(g);
      if (used > 0 && used + w > room()) {
        emit();
        fresh = false;
      }
      row += g;
      used += w;
    }
  }
  if (row !== "" || rows.length === 0) rows.push(prefix + row);
  return rows;
}

/**
 * Each line of `text` wrapped (see {@linkcode wrapLine}), joined by newlines.
 *
 * @example
 * ```ts
 * import { wrapText } from "./wrap.ts";
 * console.log(wrapText("a b c\nd", 3)); // "a b\nc\nd"
 * ```
 */
export function wrapText(
  text: string,
  width: number,
  first = "",
  rest = first,
): string {
  return text.split("\n").flatMap((line, i) =>
    wrapLine(line, width, i === 0 ? first : rest, rest)
  ).join("\n");
}
