/**
 * Keyboard input from the terminal: cbreak mode (keys arrive one by one,
 * Ctrl-C still raises SIGINT), decoded into keys.
 *
 * @module
 */

import { type Key, KeyDecoder } from "./keys.ts";
import { flushTerminalInput, type InputFlusher } from "./tty_flush.ts";
import type { ByteFeed } from "../cli/early_prompt.ts";

/** A source of keys. */
export interface KeyInput {
  /** The next key, or `null` when input has ended. */
  next(): Promise<Key | null>;
  /** Drops keys typed so far, read or still in the terminal's buffer. */
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
  #pumping = false;

  #flush: InputFlusher;
  #feed: ByteFeed | undefined;

  /**
   * `flush` drops the terminal's unread input (default: `tcflush`). `feed`
   * is a reader of stdin that started earlier (the early prompt's), whose
   * buffered keys come first; without one, stdin is read here.
   */
  constructor(flush: InputFlusher = flushTerminalInput, feed?: ByteFeed) {
    this.#flush = flush;
    this.#feed = feed;
    this.resume();
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
        let chunk: Uint8Array | null;
        if (this.#feed) chunk = await this.#feed.read();
        else {
          const n = await Deno.stdin.read(buffer);
          chunk = n === null ? null : buffer.subarray(0, n);
        }
        if (chunk === null) break;
        for (const key of this.#decoder.push(chunk)) this.#deliver(key);
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
    // Reading starts with the first request for a key, so a discard() before
    // it leaves no read in flight that took keys typed earlier.
    if (!this.#pumping) {
      this.#pumping = true;
      void this.#pump();
    }
    const key = this.#queue.shift();
    if (key) return Promise.resolve(key);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  discard(): void {
    this.#flush();
    this.#feed?.drop();
    this.#queue = [];
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.pause();
  }
}
