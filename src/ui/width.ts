/**
 * How many terminal columns text takes: East Asian wide characters and
 * emoji take two, combining marks and zero-width characters none, and the
 * SGR colour sequences our own styling adds nothing.
 *
 * @module
 */

// deno-lint-ignore no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;
// Created on first use: building a segmenter loads ICU data (~10 ms), which
// start-up should not pay before the prompt shows.
let segmenter: Intl.Segmenter | undefined;
const segments = (text: string) =>
  (segmenter ??= new Intl.Segmenter()).segment(text);

const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff]/u;
const EMOJI = /\p{Emoji_Presentation}/u;
// Text whose characters are all single code units that combine with nothing.
const SIMPLE =
  /^[^\p{M}\p{Cf}\p{Emoji_Presentation}\ud800-\udfff\u1160-\u11ff\u200d\ufe0e\ufe0f]*$/u;
const EMOJI_BASE = /\p{Emoji}/u;

// East Asian Wide and Fullwidth ranges (emoji are found by property).
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2329, 0x232a],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18aff],
  [0x1b000, 0x1b2ff],
  [0x1f200, 0x1f2ff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function isWide(code: number): boolean {
  for (const [from, to] of WIDE) {
    if (code < from) return false;
    if (code <= to) return true;
  }
  return false;
}

/**
 * Columns one grapheme cluster takes: 0, 1 or 2.
 *
 * @example
 * ```ts
 * import { graphemeWidth } from "./width.ts";
 * console.log(graphemeWidth("漢"), graphemeWidth("e\u0301")); // 2 1
 * ```
 */
export function graphemeWidth(grapheme: string): number {
  const code = grapheme.codePointAt(0) ?? 0;
  if (grapheme.length === 1 && code >= 0x20 && code < 0x7f) return 1;
  if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return 0;
  if (ZERO.test(grapheme)) return 0;
  if (code < 0x1100) return 1;
  if (isWide(code) || EMOJI.test(grapheme)) return 2;
  if (grapheme.includes("\ufe0f") && EMOJI_BASE.test(grapheme)) return 2;
  return 1;
}

/**
 * Splits text into user-perceived characters (grapheme clusters).
 *
 * @example
 * ```ts
 * import { splitGraphemes } from "./width.ts";
 * console.log(splitGraphemes("ae\u0301").length); // 2
 * ```
 */
export function splitGraphemes(text: string): string[] {
  // In ASCII only CR LF forms a cluster.
  if (!/[\r\u0080-\uffff]/.test(text)) return text.split("");
  // Nothing combines: each character is its own cluster (no ICU needed).
  if (!text.includes("\r") && SIMPLE.test(text)) return [...text];
  const out: string[] = [];
  for (const { segment } of segments(text)) out.push(segment);
  return out;
}

/**
 * Removes the SGR sequences (`\x1b[...m`) that styling adds.
 *
 * @example
 * ```ts
 * import { stripSgr } from "./width.ts";
 * console.log(stripSgr("\x1b[1mhi\x1b[22m")); // "hi"
 * ```
 */
export function stripSgr(text: string): string {
  return text.includes("\x1b") ? text.replace(SGR, "") : text;
}

/**
 * Columns `text` takes on a terminal, ignoring SGR styling.
 *
 * @example
 * ```ts
 * import { displayWidth } from "./width.ts";
 * console.log(displayWidth("\x1b[1m漢字\x1b[22m ok")); // 7
 * ```
 */
export function displayWidth(text: string): number {
  const plain = stripSgr(text);
  if (/^[\x20-\x7e]*$/.test(plain)) return plain.length;
  if (SIMPLE.test(plain)) {
    // One code unit per character, none combining: no segmentation needed.
    let width = 0;
    for (const ch of plain) width += graphemeWidth(ch);
    return width;
  }
  let width = 0;
  for (const { segment } of segments(plain)) {
    width += graphemeWidth(segment);
  }
  return width;
}
