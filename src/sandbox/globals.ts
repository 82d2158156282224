/**
 * The globals cells see (such as `task`), and which of them the sandbox
 * process has yet to receive.
 *
 * @module
 */

/**
 * Globals by name, each marked pending until it is sent with a cell.
 *
 * @example
 * ```ts
 * import { CellGlobals } from "./globals.ts";
 * const globals = new CellGlobals();
 * globals.set({ task: "Fix the bug" });
 * console.log(globals.takePending()); // { task: "Fix the bug" }
 * console.log(globals.takePending()); // {}
 * ```
 */
export class CellGlobals {
  #values: Record<string, unknown> = {};
  #pending = new Set<string>();

  /** Sets globals and marks them pending. */
  set(values: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(values)) {
      this.#values[name] = value;
      this.#pending.add(name);
    }
  }

  /** Marks every global pending (a fresh process has none of them). */
  markAllPending(): void {
    for (const name of Object.keys(this.#values)) {
      this.#pending.add(name);
    }
  }

  /** The pending globals, by name; none is pending afterwards. */
  takePending(): Record<string, unknown> {
    const globals: Record<string, unknown> = {};
    for (const name of this.#pending) {
      globals[name] = this.#values[name];
    }
    this.#pending.clear();
    return globals;
  }
}
