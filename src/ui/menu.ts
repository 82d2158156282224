/**
 * A numbered choice menu: ↑/↓ (or Ctrl-P/Ctrl-N) move the highlight, Enter
 * picks it, a digit picks that option at once, an option's letter picks it
 * (`y`, `n`), Esc cancels.
 *
 * @module
 */

import type { Key } from "./keys.ts";
import type { Style } from "./style.ts";

/** One option of a {@linkcode Menu}. */
export interface MenuChoice {
  /** What the option says (already safe to print). */
  label: string;
  /** A letter that picks it (case-insensitive). */
  letter?: string;
  /** Dim text after the label. */
  hint?: string;
}

/** What a key did to a menu: picked an option, cancelled, or nothing final. */
export type MenuResult = { pick: number } | { cancel: true } | null;

/**
 * A menu's state and its keys.
 *
 * @example
 * ```ts
 * import { Menu } from "./menu.ts";
 * import { createStyle } from "./style.ts";
 * const menu = new Menu([{ label: "Yes", letter: "y" }, { label: "No", letter: "n" }]);
 * console.log(menu.lines(createStyle(false))); // ["❯ 1. Yes", "  2. No"]
 * console.log(menu.handle({ kind: "key", name: "enter" })); // { pick: 0 }
 * ```
 */
export class Menu {
  readonly choices: readonly MenuChoice[];
  /** The highlighted option. */
  selected: number;

  constructor(choices: MenuChoice[], selected = 0) {
    if (choices.length === 0) throw new RangeError("A menu needs options");
    this.choices = choices;
    this.selected = Math.min(Math.max(0, selected), choices.length - 1);
  }

  /** The options as lines, the highlighted one marked with `❯`. */
  lines(style: Style, first = 0, count = this.choices.length): string[] {
    return this.choices.slice(first, first + count).map((choice, k) => {
      const i = first + k;
      const number = this.choices.length > 9
        ? `${i + 1}.`.padStart(3)
        : `${i + 1}.`;
      const text = `${number} ${choice.label}`;
      const hint = choice.hint ? ` ${style.dim(choice.hint)}` : "";
      return i === this.selected
        ? `${style.cyan(`❯ ${text}`)}${hint}`
        : `  ${text}${hint}`;
    });
  }

  /** Handles one key. */
  handle(key: Key): MenuResult {
    if (key.kind === "key") {
      switch (key.name) {
        case "up":
        case "ctrl-p":
        case "shift-tab":
          this.selected = (this.selected + this.choices.length - 1) %
            this.choices.length;
          return null;
        case "down":
        case "ctrl-n":
        case "tab":
          this.selected = (this.selected + 1) % this.choices.length;
          return null;
        case "enter":
          return { pick: this.selected };
        case "escape":
          return { cancel: true };
        default:
          return null;
      }
    }
    if (key.kind !== "text") return null;
    // Only a single typed character picks: a burst of text is not an answer.
    const text = key.text.trim();
    if ([...text].length !== 1) return null;
    if (/^[1-9]$/.test(text) && Number(text) <= this.choices.length) {
      return { pick: Number(text) - 1 };
    }
    const letter = this.choices.findIndex((c) =>
      c.letter?.toLowerCase() === text.toLowerCase()
    );
    return letter >= 0 ? { pick: letter } : null;
  }
}
