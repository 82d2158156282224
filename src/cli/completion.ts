/**
 * Completions at the input line: `/` at the start offers the slash
 * commands, `@` offers the workspace's files (fuzzy), both as a small menu
 * below the input that Tab (or Enter) accepts.
 *
 * @module
 */

import { fuzzyFilter } from "../ui/fuzzy.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Style } from "../ui/style.ts";

/** One offered completion. */
export interface CompletionItem {
  /** What the menu shows. */
  label: string;
  /** The text that replaces the typed token. */
  insert: string;
  /** Dim text after the label. */
  hint?: string;
}

/** Completions for the token at the cursor. */
export interface Completion {
  kind: "command" | "file";
  /** The token's range in the text. */
  from: number;
  to: number;
  items: CompletionItem[];
  selected: number;
}

/** Where completions come from. */
export interface CompletionSources {
  /** Slash commands: name (with `/`) and help. */
  commands(): { name: string; help: string }[];
  /** Workspace files (relative paths), or `null` while they are being listed. */
  files(): string[] | null;
}

const MAX_ITEMS = 8;

/**
 * The completions for `text` with the cursor at `cursor`, or `null`.
 *
 * @example
 * ```ts
 * import { findCompletion } from "./completion.ts";
 * const sources = { commands: () => [{ name: "/help", help: "the commands" }], files: () => ["src/main.ts"] };
 * console.log(findCompletion("/he", 3, sources)?.items[0].insert); // "/help "
 * console.log(findCompletion("look at @mai", 12, sources)?.items[0].insert); // "@src/main.ts "
 * ```
 */
export function findCompletion(
  text: string,
  cursor: number,
  sources: CompletionSources,
): Completion | null {
  const before = text.slice(0, cursor);
  const command = /^\/([\w-]*)$/.exec(before);
  if (command) {
    const query = command[1].toLowerCase();
    const items = sources.commands()
      .filter((c) => c.name.slice(1).startsWith(query))
      .slice(0, MAX_ITEMS)
      .map((c) => ({ label: c.name, insert: `${c.name} `, hint: c.help }));
    return items.length
      ? { kind: "command", from: 0, to: cursor, items, selected: 0 }
      : null;
  }
  const mention = /(^|\s)@([^\s@]*)$/.exec(before);
  if (!mention) return null;
  const files = sources.files();
  const from = cursor - mention[2].length - 1;
  let end = cursor;
  while (end < text.length && !/\s/.test(text[end])) end++;
  if (files === null) {
    return {
      kind: "file",
      from,
      to: end,
      items: [{ label: "listing files…", insert: text.slice(from, end) }],
      selected: 0,
    };
  }
  const items = fuzzyFilter(mention[2], files, MAX_ITEMS).map((path) => ({
    label: `@${path}`,
    insert: `@${path} `,
  }));
  return items.length
    ? { kind: "file", from, to: end, items, selected: 0 }
    : null;
}

/** Text on one menu row: a newline or tab in a file name shows as ␊ or ␉. */
function row(text: string): string {
  return sanitize(text).replace(/\n/g, "\u240a").replace(/\t/g, "\u2409");
}

/**
 * The menu lines of a completion, the selected item marked.
 *
 * @example
 * ```ts ignore
 * region.set("menu", completionLines(completion, style));
 * ```
 */
export function completionLines(
  completion: Completion,
  style: Style,
): string[] {
  return completion.items.map((item, i) => {
    const label = row(item.label);
    const hint = item.hint ? `  ${style.dim(row(item.hint))}` : "";
    return i === completion.selected
      ? `  ${style.cyan(`❯ ${label}`)}${hint}`
      : `    ${label}${hint}`;
  });
}
