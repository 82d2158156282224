/**
 * Renders a model's markdown answer for the terminal: headings, emphasis,
 * inline code, fenced code blocks, lists, block quotes, rules and links,
 * with paragraphs word-wrapped to the terminal width. The model's text is
 * untrusted, so every piece is sanitised before it is styled.
 *
 * @module
 */

import { renderTable, tableLength } from "./markdown_table.ts";
import { sanitize } from "./sanitize.ts";
import type { Style } from "./style.ts";
import { displayWidth, graphemeWidth, splitGraphemes } from "./width.ts";

type Mark = "bold" | "italic" | "underline" | "code" | "dim";

/** A stretch of inline text with the styles it carries. */
interface Run {
  text: string;
  marks: readonly Mark[];
}

const FENCE = /^(\s*)(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const BULLET = /^([ \t]*)([-*+])[ \t]+(.*)$/;
const ORDERED = /^([ \t]*)(\d{1,9}[.)])[ \t]+(.*)$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const HARD_BREAK = /(?: {2,}|\\)$/;
const PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const ALNUM = /[\p{L}\p{N}]/u;
const AUTOLINK = /^<((?:https?|ftp):\/\/[^\s<>]+|mailto:[^\s<>]+)>/;
/**
 * How deep emphasis, links and block quotes nest before the rest is shown
 * as written: a hostile answer nesting thousands deep must not exhaust the
 * stack (and lose the answer).
 */
const MAX_NESTING = 16;
/** Longest link label and target looked for: no rescanning a whole answer per `[`. */
const MAX_LABEL = 1000;
const MAX_TARGET = 4000;

function runLength(src: string, at: number, char: string): number {
  let n = 0;
  while (src[at + n] === char) n++;
  return n;
}

/** Index of the backtick run of exactly `n` that closes a code span, or -1. */
function codeClose(src: string, from: number, n: number): number {
  for (let j = src.indexOf("`", from); j >= 0; j = src.indexOf("`", j)) {
    const m = runLength(src, j, "`");
    if (m === n) return j;
    j += m;
  }
  return -1;
}

/** Skips a code span or escape at `j`; returns the next index to look at. */
function skip(src: string, j: number): number {
  if (src[j] === "\\") return j + 2;
  if (src[j] !== "`") return j + 1;
  const n = runLength(src, j, "`");
  const close = codeClose(src, j + n, n);
  return close < 0 ? j + n : close + n;
}

/**
 * `*em*`, `_em_`, `**strong**`, `__strong__` opening at `i`. Openers and
 * closers of the same kind nest; `lastCloser` remembers, per kind, where
 * the last closer is, so hopeless openers are not searched again.
 */
function emphasis(
  src: string,
  i: number,
  char: string,
  lastCloser: Map<string, number>,
) {
  const n = runLength(src, i, char);
  if (/\s/.test(src[i + n] ?? " ")) return undefined;
  if (char === "_" && ALNUM.test(src[i - 1] ?? " ")) return undefined;
  const size = n >= 2 ? 2 : 1;
  const kind = char + size;
  if ((lastCloser.get(kind) ?? Infinity) < i) return undefined;
  let depth = 0;
  let last = -1;
  for (let j = i + n; j < src.length;) {
    if (src[j] !== char) {
      j = skip(src, j);
      continue;
    }
    const m = runLength(src, j, char);
    const fits = size === 2 ? m >= 2 : m !== 2;
    const spaceBefore = /\s/.test(src[j - 1]);
    const spaceAfter = /\s/.test(src[j + m] ?? " ");
    const closes = !spaceBefore &&
      (char === "*" || !ALNUM.test(src[j + m] ?? " "));
    if (fits && closes && depth === 0) {
      const at = j + m - size;
      const mark: Mark = size === 2 ? "bold" : "italic";
      return { inner: src.slice(i + size, at), mark, end: at + size };
    }
    if (fits && closes) [depth, last] = [depth - 1, j];
    else if (fits && spaceBefore && !spaceAfter) depth++;
    j += m;
  }
  lastCloser.set(kind, last);
  return undefined;
}

/** `[label](url)` starting at `i`. */
function link(src: string, i: number) {
  let j = i;
  const labelEnd = Math.min(src.length, i + MAX_LABEL);
  for (let depth = 0; j < labelEnd; j = skip(src, j)) {
    if (src[j] === "[") depth++;
    else if (src[j] === "]" && --depth === 0) break;
  }
  if (j >= labelEnd || src[j + 1] !== "(") return undefined;
  let k = j + 2;
  const targetEnd = Math.min(src.length, k + MAX_TARGET);
  for (let parens = 0; k < targetEnd; k++) {
    if (src[k] === "(") parens++;
    else if (src[k] === ")" && parens-- === 0) break;
  }
  if (k >= targetEnd) return undefined;
  const target = src.slice(j + 2, k).trim();
  const url = (/^<([^>]*)>/.exec(target)?.[1] ?? target.split(/\s+/)[0]) ?? "";
  return { label: src.slice(i + 1, j), url, end: k + 1 };
}

/** Parses inline markdown in `src` into runs (text not yet sanitised). */
function inline(
  src: string,
  marks: readonly Mark[],
  out: Run[],
  depth = 0,
): Run[] {
  const nest = depth < MAX_NESTING;
  let plain = "";
  const codeMarks: Mark[] = [...marks, "code"];
  const lastCloser = new Map<string, number>();
  const dimMarks: Mark[] = [...marks, "dim"];
  const push = (text: string, runMarks = marks) => {
    if (plain) out.push({ text: plain, marks });
    plain = "";
    if (text) out.push({ text, marks: runMarks });
  };
  for (let i = 0; i < src.length;) {
    const char = src[i];
    if (char === "\\" && PUNCTUATION.test(src[i + 1] ?? "")) {
      plain += src[i + 1];
      i += 2;
    } else if (char === "`") {
      const n = runLength(src, i, "`");
      const close = codeClose(src, i + n, n);
      const code = src.slice(i + n, close);
      if (close < 0) plain += "`".repeat(n);
      else push(/^ .*\S.* $/.test(code) ? code.slice(1, -1) : code, codeMarks);
      i = close < 0 ? i + n : close + n;
    } else if (
      nest && (char === "[" || (char === "!" && src[i + 1] === "["))
    ) {
      const found = link(src, char === "!" ? i + 1 : i);
      const { label = "", url = "", end = i + 1 } = found ?? {};
      if (!found) plain += char;
      else if (!label || label === url) push(url);
      else {
        push("");
        inline(label, marks, out, depth + 1);
        if (url) {
          [" (", url, ")"].forEach((t, k) =>
            push(t, k === 1 ? dimMarks : marks)
          );
        }
      }
      i = end;
    } else if (char === "<" && AUTOLINK.test(src.slice(i))) {
      const url = AUTOLINK.exec(src.slice(i))![1];
      plain += url;
      i += url.length + 2;
    } else if (char === "*" || char === "_") {
      const found = nest ? emphasis(src, i, char, lastCloser) : undefined;
      if (found) {
        push("");
        inline(found.inner, [...marks, found.mark], out, depth + 1);
      } else plain += char.repeat(runLength(src, i, char));
      i = found?.end ?? i + runLength(src, i, char);
    } else {
      plain += char;
      i++;
    }
  }
  push("");
  return out;
}

/** Inline markdown as sanitised runs. */
function runs(src: string, marks: readonly Mark[] = []): Run[] {
  return inline(src, marks, []).map((r) => ({ ...r, text: sanitize(r.text) }));
}

function paint(line: Run[], style: Style): string {
  let text = "";
  for (let i = 0; i < line.length;) {
    const marks = line[i].marks;
    let chunk = "";
    for (; i < line.length && line[i].marks.join() === marks.join(); i++) {
      chunk += line[i].text;
    }
    for (const mark of new Set(marks)) {
      chunk = (mark === "code" ? style.cyan : style[mark])(chunk);
    }
    text += chunk;
  }
  return text;
}

/** Word-wraps runs to `width`, the first line after `first`, others `rest`. */
function wrap(
  input: Run[],
  width: number,
  style: Style,
  first = "",
  rest = first,
): string[] {
  const lines: string[] = [];
  let line: Run[] = [];
  let used = 0;
  let prefix = first;
  let room = Math.max(1, width - displayWidth(first));
  const emit = () => {
    lines.push(prefix + paint(line, style));
    line = [];
    used = 0;
    prefix = rest;
    room = Math.max(1, width - displayWidth(rest));
  };
  // Words are runs between whitespace; `space` holds the marks of the gap.
  const words: { pieces: Run[]; space: readonly Mark[] | undefined }[] = [];
  let space: readonly Mark[] | undefined;
  let pieces: Run[] = [];
  for (const run of input) {
    for (const part of run.text.split(/(\s+)/)) {
      if (part === "") continue;
      if (/^\s/.test(part)) {
        if (pieces.length) words.push({ pieces, space });
        pieces = [];
        space = run.marks;
      } else pieces.push({ text: part, marks: run.marks });
    }
  }
  if (pieces.length) words.push({ pieces, space });
  for (const word of words) {
    const size = word.pieces.reduce((n, p) => n + displayWidth(p.text), 0);
    if (used > 0 && used + 1 + size <= room) {
      line.push({ text: " ", marks: word.space ?? [] }, ...word.pieces);
      used += 1 + size;
      continue;
    }
    if (used > 0) emit();
    if (size <= room) {
      line.push(...word.pieces);
      used = size;
      continue;
    }
    for (const piece of word.pieces) {
      for (const g of splitGraphemes(piece.text)) {
        const w = graphemeWidth(g);
        if (used > 0 && used + w > room) emit();
        line.push({ text: g, marks: piece.marks });
        used += w;
      }
    }
  }
  if (line.length || lines.length === 0) emit();
  return lines;
}

interface Paragraph {
  lines: string[];
  /** Prefix of the first line (a list marker) and of the others. */
  first: string;
  rest: string;
}

/** A paragraph's source lines, wrapped; hard breaks start a new line. */
function paragraph(para: Paragraph, width: number, style: Style): string[] {
  const { lines, first, rest } = para;
  const text = lines.map((line, i) =>
    i < lines.length - 1 && HARD_BREAK.test(line)
      ? line.replace(HARD_BREAK, "").trim() + "\n"
      : line.trim() + " "
  ).join("");
  return text.trim().split("\n").flatMap((part, k) =>
    wrap(runs(part), width, style, k ? rest : first, rest)
  );
}

function indentOf(line: string): number {
  return /^[ \t]*/.exec(line)![0].replace(/\t/g, "    ").length;
}

/** Renders block-level markdown lines. */
function blocks(
  src: string[],
  style: Style,
  width: number,
  depth = 0,
): string[] {
  const out: string[] = [];
  let para: Paragraph | undefined;
  const list: { indent: number; rest: string }[] = [];
  let itemRest = "";
  let blank = false;
  const flush = () => {
    if (para) out.push(...paragraph(para, width, style));
    para = undefined;
  };
  for (let i = 0; i < src.length; i++) {
    const line = src[i];
    const wasBlank = blank;
    blank = line.trim() === "";
    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const indent = fence[1].length;
      if (indent === 0) list.length = 0;
      const [char, size] = [fence[2][0], fence[2].length];
      const closer = new RegExp(`^\\s*\\${char}{${size},}\\s*$`);
      let end = src.findIndex((l, k) => k > i && closer.test(l));
      if (end < 0) end = src.length;
      const pad = " ".repeat(2 + indent);
      if (fence[3]) out.push(pad + style.dim(sanitize(fence[3])));
      for (const code of src.slice(i + 1, end)) {
        const body = code.replace(new RegExp(`^ {0,${indent}}`), "");
        out.push(pad + sanitize(body.replace(/\t/g, "    ")));
      }
      i = end;
      continue;
    }
    if (blank) {
      flush();
      if (out.length && out[out.length - 1] !== "") out.push("");
      continue;
    }
    const table = tableLength(src, i);
    if (table > 0) {
      flush();
      list.length = 0;
      const cell = (text: string, w: number, header: boolean) =>
        wrap(runs(text, header ? ["bold"] : []), w, style);
      out.push(...renderTable(src.slice(i, i + table), style, width, cell));
      i += table - 1;
      continue;
    }
    const heading = HEADING.exec(line);
    const item = BULLET.exec(line) ?? ORDERED.exec(line);
    if (
      RULE.test(line) || heading || QUOTE.test(line) || TABLE_ROW.test(line)
    ) {
      flush();
      list.length = 0;
    }
    if (RULE.test(line)) {
      out.push(style.dim("─".repeat(Math.max(1, Math.min(width, 80)))));
    } else if (heading) {
      const marks: Mark[] = heading[1].length === 1
        ? ["bold", "underline"]
        : ["bold"];
      out.push(...wrap(runs(heading[2] ?? "", marks), width, style));
    } else if (QUOTE.test(line)) {
      const quoted: string[] = [];
      for (; i < src.length && QUOTE.test(src[i]); i++) {
        quoted.push(QUOTE.exec(src[i])![1]);
      }
      i--;
      // Deeper than that (or narrower), the rest shows as written.
      const inside = depth < MAX_NESTING && width > 12
        ? blocks(quoted, style, width - 2, depth + 1)
        : paragraph({ lines: quoted, first: "", rest: "" }, width - 2, style);
      for (const inner of inside) {
        out.push(inner ? style.dim("│ ") + inner : style.dim("│"));
      }
    } else if (TABLE_ROW.test(line)) {
      out.push(...wrap(runs(line.trim()), width, style));
    } else if (item) {
      flush();
      const indent = indentOf(item[1]);
      while (list.length && list[list.length - 1].indent > indent) list.pop();
      if (list.at(-1)?.indent === indent) list.pop();
      const marker = /\d/.test(item[2]) ? item[2] : "•";
      // A nested item starts under its parent item's text.
      const lead = `${list.at(-1)?.rest ?? ""}${marker} `;
      itemRest = " ".repeat(displayWidth(lead));
      list.push({ indent, rest: itemRest });
      para = { lines: [item[3]], first: lead, rest: itemRest };
    } else if (para && !wasBlank) {
      para.lines.push(line);
    } else if (list.length && indentOf(line) >= 2) {
      flush();
      para = { lines: [line], first: itemRest, rest: itemRest };
    } else {
      flush();
      list.length = 0;
      para = { lines: [line], first: "", rest: "" };
    }
  }
  flush();
  while (out[out.length - 1] === "") out.pop();
  return out;
}

/**
 * Renders markdown `text` as terminal lines no wider than `width` (code
 * blocks excepted), without a trailing newline. With `style.enabled` false
 * the result is plain text with the markdown markers removed.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./markdown.ts";
 * import { createStyle } from "./style.ts";
 * const text = renderMarkdown("# Done\n\n- **fixed** `a.ts`", createStyle(false), 80);
 * console.log(text); // "Done\n\n• fixed a.ts"
 * ```
 */
export function renderMarkdown(
  text: string,
  style: Style,
  width: number,
): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return blocks(lines, style, Math.max(1, width)).join("\n");
}
