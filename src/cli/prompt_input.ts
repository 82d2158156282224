/**
 * The session's input line, used at the prompt and while a turn runs
 * (type-ahead): editing and ↑/↓ history from the line editor, plus `/` and
 * `@` completion menus (Tab accepts), Ctrl-R history search, Shift-Tab to
 * cycle the permission mode, Ctrl-O for the last step in full, Esc, and
 * large pastes collapsed.
 *
 * @module
 */

import { HistorySearch } from "../ui/history_search.ts";
import type { Key } from "../ui/keys.ts";
import { LineEditor } from "../ui/line_editor.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { ScreenUi } from "../ui/screen_ui.ts";
import {
  type Completion,
  completionLines,
  type CompletionSources,
  findCompletion,
} from "./completion.ts";
import type { InputHistory } from "./input_history.ts";

/** What the input line reports to the session. */
export interface PromptActions {
  /** Enter on a line (the text with pastes in full). */
  submit(text: string): void;
  /** Esc with nothing to close (interrupts a turn). */
  escape(): void;
  /** Ctrl-D on an empty line. */
  eof(): void;
  /** Shift-Tab. */
  cycleMode(): void;
  /** Ctrl-O. */
  expand(): void;
}

/**
 * The input line and its menus, drawn in the session's live region.
 *
 * @example
 * ```ts ignore
 * const input = new PromptInput(ui, history, sources, actions);
 * input.attach();
 * const pop = ui.keys.push((key) => input.handle(key));
 * ```
 */
export class PromptInput {
  readonly editor: LineEditor;
  #ui: ScreenUi;
  #history: InputHistory;
  #sources: CompletionSources;
  #actions: PromptActions;
  #completion: Completion | null = null;
  /** The text the completion menu was closed for (Esc); it stays closed until the text changes. */
  #dismissed: string | null = null;
  #search: { state: HistorySearch; original: string } | null = null;

  constructor(
    ui: ScreenUi,
    history: InputHistory,
    sources: CompletionSources,
    actions: PromptActions,
  ) {
    this.#ui = ui;
    this.#history = history;
    this.#sources = sources;
    this.#actions = actions;
    this.editor = new LineEditor({
      out: ui.out,
      prompt: ui.style.bold(ui.style.blue("❯ ")),
      history: history.entries,
      onChange: () => this.refresh(),
    });
  }

  /** Whether a menu or the history search is open (Esc closes it). */
  get busy(): boolean {
    return this.#completion !== null || this.#search !== null;
  }

  /** Shows the input line in the region. */
  attach(): void {
    this.#ui.region.editor = this.editor;
    this.refresh();
  }

  /** Removes the input line and its menus from the region. */
  detach(): void {
    this.#completion = null;
    this.#search = null;
    this.#ui.region.batch(() => {
      this.#ui.region.editor = null;
      this.#ui.region.set("menu", []);
    });
  }

  /** Recomputes the completion menu and draws. */
  refresh(): void {
    const { region, style } = this.#ui;
    if (this.#search) {
      const { state } = this.#search;
      const match = state.match;
      region.batch(() => {
        region.set("menu", [
          style.dim(
            `  search history: ${sanitize(state.query)}_ ${
              match === null && state.query ? "(no match)" : ""
            }· Enter takes it · Ctrl-R older · Esc cancels`,
          ),
        ]);
        region.render();
      });
      return;
    }
    const text = this.editor.text;
    this.#completion = this.#dismissed === text
      ? null
      : findCompletion(text, this.editor.cursor, this.#sources);
    if (this.#dismissed !== text) this.#dismissed = null;
    region.batch(() => {
      region.set(
        "menu",
        this.#completion ? completionLines(this.#completion, style) : [],
      );
      region.render();
    });
  }

  /** Handles one key. */
  handle(key: Key): void {
    if (this.#search) return this.#searchKey(key);
    const completion = this.#completion;
    if (key.kind === "key") {
      switch (key.name) {
        case "tab":
          if (completion) return this.#accept(completion);
          break;
        case "up":
        case "down":
        case "ctrl-p":
        case "ctrl-n":
          if (completion) {
            const step = key.name === "up" || key.name === "ctrl-p" ? -1 : 1;
            const n = completion.items.length;
            completion.selected = (completion.selected + step + n) % n;
            this.#ui.region.set(
              "menu",
              completionLines(completion, this.#ui.style),
            );
            return;
          }
          break;
        case "enter":
          if (completion?.kind === "file") return this.#accept(completion);
          if (completion?.kind === "command") {
            const typed = this.editor.text.trim();
            const chosen = completion.items[completion.selected].insert.trim();
            if (typed !== chosen) {
              this.#accept(completion);
            }
          }
          break;
        case "escape":
          if (completion) {
            this.#dismissed = this.editor.text;
            return this.refresh();
          }
          return this.#actions.escape();
        case "shift-tab":
          return this.#actions.cycleMode();
        case "ctrl-o":
          return this.#actions.expand();
        case "ctrl-r":
          this.#search = {
            state: new HistorySearch(this.#history.entries),
            original: this.editor.text,
          };
          return this.refresh();
        case "ctrl-l":
          this.#ui.out.write("\x1b[2J\x1b[H");
          this.#ui.region.clear();
          return this.refresh();
        case "ctrl-d":
          if (this.editor.text === "") return this.#actions.eof();
          break;
      }
    }
    const event = this.editor.handle(key);
    if (event?.type === "submit") {
      this.#history.add(event.text);
      this.#completion = null;
      this.refresh();
      this.#actions.submit(event.text);
    }
  }

  #accept(completion: Completion): void {
    const item = completion.items[completion.selected];
    this.editor.replaceRange(completion.from, completion.to, item.insert);
    this.#dismissed = this.editor.text;
    this.refresh();
  }

  #searchKey(key: Key): void {
    const search = this.#search!;
    const { state } = search;
    const show = () => {
      this.editor.setText(state.match ?? search.original);
    };
    if (key.kind !== "key") {
      state.type(key.text.replace(/\n/g, " "));
      return show();
    }
    switch (key.name) {
      case "ctrl-r":
        state.older();
        return show();
      case "backspace":
        state.backspace();
        return show();
      case "escape":
      case "ctrl-g":
      case "ctrl-c":
        this.#search = null;
        this.editor.setText(search.original);
        return;
      default:
        // Enter, Tab, arrows: take the match into the line for editing.
        this.#search = null;
        this.editor.setText(state.match ?? search.original);
    }
  }
}
