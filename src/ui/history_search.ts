/**
 * Reverse incremental search over the input history (Ctrl-R): type to
 * narrow, Ctrl-R again for an older match.
 *
 * @module
 */

/**
 * The state of one search.
 *
 * @example
 * ```ts
 * import { HistorySearch } from "./history_search.ts";
 * const search = new HistorySearch(["npm test", "git status", "npm run lint"]);
 * search.type("npm");
 * console.log(search.match); // "npm run lint"
 * search.older();
 * console.log(search.match); // "npm test"
 * ```
 */
export class HistorySearch {
  readonly #entries: readonly string[];
  query = "";
  /** Index of the current match in the entries, or -1. */
  #at = -1;

  constructor(entries: readonly string[]) {
    this.#entries = entries;
    this.#at = entries.length - 1;
  }

  /** The entry that matches, or `null`. */
  get match(): string | null {
    return this.#at >= 0 && this.#matches(this.#at)
      ? this.#entries[this.#at]
      : null;
  }

  /** Adds typed text to the query and finds the newest match. */
  type(text: string): void {
    this.query += text;
    this.#find(this.#entries.length - 1);
  }

  /** Removes the last character of the query. */
  backspace(): void {
    this.query = [...this.query].slice(0, -1).join("");
    this.#find(this.#entries.length - 1);
  }

  /** Moves to the next older match (stays when there is none). */
  older(): void {
    const before = this.#at;
    this.#find(this.#at - 1);
    if (this.#at < 0) this.#at = before;
  }

  #matches(i: number): boolean {
    return this.#entries[i].toLowerCase().includes(this.query.toLowerCase());
  }

  #find(from: number): void {
    let i = from;
    // Skip entries equal to the current match so Ctrl-R moves on.
    const current = this.#at >= 0 ? this.#entries[this.#at] : null;
    while (i >= 0) {
      if (
        this.#matches(i) && !(from < this.#at && this.#entries[i] === current)
      ) {
        break;
      }
      i--;
    }
    this.#at = i;
  }
}
