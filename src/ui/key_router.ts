/**
 * One reader of the keyboard for the whole session. Keys go to the handler
 * on top of a stack (the input line, an approval menu, a pager); a key
 * typed while no handler listens waits for the next one. Since nothing
 * else ever waits on the input, a prompt that closes (answered, or ended
 * by Ctrl-C) cannot leave a stale reader behind to swallow the next key.
 *
 * @module
 */

import type { KeyInput } from "./input.ts";
import type { Key } from "./keys.ts";

/**
 * Receives keys while it is on top of the stack. `burst` is set on a
 * character a `chars` handler gets when more characters arrived right
 * after it in the same read (typed faster than a read, or pasted without
 * bracketed paste).
 */
export type KeyHandler = (key: Key, burst: boolean) => void;

/**
 * Routes keys from a {@linkcode KeyInput} to the topmost handler.
 *
 * @example
 * ```ts ignore
 * const router = new KeyRouter(input);
 * const pop = router.push((key) => console.log(key));
 * // ... later
 * pop();
 * ```
 */
export class KeyRouter {
  #stack: { handler: KeyHandler; chars: boolean }[] = [];
  #waiting: Key[] = [];
  #ended = false;
  #onEnd: (() => void)[] = [];
  #flushing = false;
  /** When the last key was typed (`performance.now()`), or -Infinity. */
  lastKeyAt = -Infinity;
  /** The last key typed. */
  lastKey: Key | null = null;

  /** Starts reading `input` at once. */
  constructor(input: KeyInput) {
    void this.#pump(input);
  }

  /** Whether the input has ended (stdin closed). */
  get ended(): boolean {
    return this.#ended;
  }

  /** Calls `fn` once the input ends (at once if it has). */
  onEnd(fn: () => void): void {
    if (this.#ended) fn();
    else this.#onEnd.push(fn);
  }

  /**
   * Puts `handler` on top; keys that were waiting go to it first. Returns
   * the function that removes it (wherever it is in the stack by then).
   * With `chars`, typed text arrives one character at a time (a menu or a
   * pager reads single keys; typing fast can deliver "dG" as one text).
   */
  push(handler: KeyHandler, options: { chars?: boolean } = {}): () => void {
    const entry = { handler, chars: options.chars ?? false };
    this.#stack.push(entry);
    queueMicrotask(() => this.#flush());
    return () => {
      const at = this.#stack.lastIndexOf(entry);
      if (at >= 0) this.#stack.splice(at, 1);
      if (this.#stack.length) queueMicrotask(() => this.#flush());
    };
  }

  /** Feeds a key as if it was typed (tests, replays). */
  dispatch(key: Key): void {
    this.#waiting.push(key);
    this.#flush();
  }

  #flush(): void {
    if (this.#flushing) return;
    this.#flushing = true;
    try {
      while (this.#waiting.length && this.#stack.length) {
        let key = this.#waiting.shift()!;
        const top = this.#stack[this.#stack.length - 1];
        let burst = false;
        if (top.chars && key.kind === "text") {
          const [first, ...rest] = [...key.text];
          if (rest.length) {
            this.#waiting.unshift({ kind: "text", text: rest.join("") });
            burst = true;
          }
          key = { kind: "text", text: first };
        }
        try {
          top.handler(key, burst);
        } catch {
          // A failing handler must not stop the keyboard.
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #pump(input: KeyInput): Promise<void> {
    for (;;) {
      const key = await input.next();
      if (key === null) break;
      this.lastKeyAt = performance.now();
      this.lastKey = key;
      this.dispatch(key);
    }
    this.#ended = true;
    for (const fn of this.#onEnd.splice(0)) fn();
  }
}
