/**
 * Keyboard input from the terminal: cbreak mode (keys arrive one by one,
 * Ctrl-C still raises SIGINT), decoded into keys.
 *
 * @module
 */

import { type Key, KeyDecoder } from "./keys.ts";

/** A source of keys. */
export interface KeyInput {
  /** The next key, or `null` when input has ended. */
  next(): Promise<Key | null>;
  /** Drops keys typed so far (e.g. while a turn ran). */
  discard(): void;
  /** Restores the terminal. */
  close(): void;
  /** Gives the terminal back as it was (before the process stops on Ctrl-Z). */
  pause?(): void;
  /** Takes the terminal again (after `fg`): raw keys, bracketed paste. */
  resume?(): void;
}

/**
 * Reads keys from the process's stdin, which must be a terminal.
 *
 * @example
 * ```ts ignore
 * const input = new TerminalInput();
 * const key = await input.next();
 * input.close();
 * ```
 */
export class TerminalInput implements KeyInput {
  #decoder = new KeyDecoder();
  #queue: Key[] = [];
  #waiters: ((key: Key | null) => void)[] = [];
  #ended = false;
  #closed = false;

  constructor() {
    this.resume();
    void this.#pump();
  }

  resume(): void {
    Deno.stdin.setRaw(true, { cbreak: true });
    // Bracketed paste: pasted text arrives marked, so newlines in it do not submit.
    Deno.stdout.writeSync(new TextEncoder().encode("\x1b[?2004h"));
  }

  pause(): void {
    try {
      Deno.stdout.writeSync(new TextEncoder().encode("\x1b[?2004l"));
      Deno.stdin.setRaw(false);
    } catch {
      // not a terminal any more
    }
  }

  async #pump(): Promise<void> {
    const buffer = new Uint8Array(4096);
    try {
      for (;;) {
        const n = await Deno.stdin.read(buffer);
        if (n === null) break;
        for (const key of this.#decoder.push(buffer.subarray(0, n))) {
          this.#deliver(key);
        }
      }
    } catch {
      // stdin closed
    }
    this.#ended = true;
    for (const waiter of this.#waiters.splice(0)) waiter(null);
  }

  #deliver(key: Key): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(key);
    else this.#queue.push(key);
  }

  next(): Promise<Key | null> {
    const key = this.#queue.shift();
    if (key) return Promise.resolve(key);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  discard(): void {
    this.#queue = [];
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.pause();
  }
}
