/**
 * The prompt drawn the moment `nanocode` starts, before the rest of the
 * program has loaded: a plain launch in a terminal shows `❯` as soon as
 * Deno runs the entry module, and keys typed while the session loads are
 * echoed and kept, so nothing typed early is lost. The session then takes
 * the keyboard over with those keys (they reach its input line as if typed
 * there) and draws its banner and prompt in place of this one.
 *
 * Only a launch that cannot ask anything before its prompt gets one: no
 * arguments (so no `--program`, `--config`, `--resume` picker or task),
 * stdin and stdout both terminals, and no `.nanocode/config.json` or
 * `.mcp.json` in the current folder or above it, the files that can make
 * nanocode ask whether to trust a folder. Keys typed before that question
 * must never answer it, and here none can be buffered when it comes.
 *
 * This module loads with `main.ts`, so it imports nothing that `--version`
 * would pay for.
 *
 * @module
 */

import { colorWanted, createStyle } from "../ui/style.ts";
import {
  processSignals,
  type SignalHub,
  watchTerminal,
} from "../ui/terminal_signals.ts";

/** A source of raw bytes from the terminal, read once by one reader. */
export interface ByteFeed {
  /** The next chunk typed, or `null` when input has ended. */
  read(): Promise<Uint8Array | null>;
  /** Drops the chunks read but not yet taken. */
  drop(): void;
}

/** The early prompt while it is on the screen or holds the keyboard. */
export interface EarlyPrompt {
  /** Erases the drawn prompt and what it echoed; keys stay buffered. */
  clear(): void;
  /**
   * Hands the keyboard over: the prompt is erased, and the feed yields the
   * keys typed so far, then every later one. The terminal stays in cbreak
   * mode; the new owner restores it.
   */
  takeOver(): ByteFeed;
  /** Erases the prompt and gives the terminal back, unless it was taken over. */
  close(): void;
}

/** What the early prompt reads, writes and checks (the real process by default). */
export interface EarlyPromptDeps {
  stdin: {
    isTerminal(): boolean;
    setRaw(mode: boolean, options?: { cbreak: boolean }): void;
    read(buffer: Uint8Array): Promise<number | null>;
  };
  stdout: { isTerminal(): boolean; writeSync(bytes: Uint8Array): number };
  env(name: string): string | undefined;
  cwd(): string;
  columns(): number;
  /** Whether something exists at `path` (a file, folder or link). */
  exists(path: string): boolean;
  /** Runs `handler` on Ctrl-C until the returned function is called. */
  onInterrupt(handler: () => void): () => void;
  /** Ctrl-Z, `fg` and resizes, until the session takes the keyboard. */
  signals: SignalHub;
  exit(code: number): never;
}

/** Files whose presence may lead to a question before the prompt. */
const QUESTION_FILES = [".nanocode/config.json", ".mcp.json"];

/**
 * Whether `dir` or a folder above it holds a file that could make nanocode
 * ask before its prompt. Unreadable means "maybe": yes.
 *
 * @example
 * ```ts
 * const none = () => false;
 * console.log(mayAskFirst("/a/b", none)); // false
 * console.log(mayAskFirst("/a/b", (p) => p === "/a/.mcp.json")); // true
 * ```
 */
export function mayAskFirst(
  dir: string,
  exists: (path: string) => boolean,
): boolean {
  for (let at = dir;;) {
    const base = at.endsWith("/") ? at : `${at}/`;
    if (QUESTION_FILES.some((name) => exists(base + name))) return true;
    const up = at.slice(0, at.lastIndexOf("/")) || "/";
    if (up === at) return false;
    at = up;
  }
}

function lstatExists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch (error) {
    return !(error instanceof Deno.errors.NotFound);
  }
}

function realDeps(): EarlyPromptDeps {
  return {
    stdin: Deno.stdin,
    stdout: Deno.stdout,
    env: (name) => Deno.env.get(name),
    cwd: () => Deno.cwd(),
    columns: () => {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return 80;
      }
    },
    exists: lstatExists,
    onInterrupt(handler) {
      Deno.addSignalListener("SIGINT", handler);
      return () => Deno.removeSignalListener("SIGINT", handler);
    },
    signals: processSignals,
    exit: (code) => Deno.exit(code),
  };
}

/**
 * Draws the prompt and starts keeping keys, when this launch may have one
 * (see the module doc); `null` otherwise.
 *
 * @example
 * ```ts ignore
 * const early = startEarlyPrompt(Deno.args);
 * const { main } = await import("./main.ts");
 * Deno.exit(await main(Deno.args, undefined, early ?? undefined));
 * ```
 */
export function startEarlyPrompt(
  argv: readonly string[],
  deps: EarlyPromptDeps = realDeps(),
): EarlyPrompt | null {
  if (argv.length > 0) return null;
  if (!deps.stdin.isTerminal() || !deps.stdout.isTerminal()) return null;
  let cwd: string;
  try {
    cwd = deps.cwd();
  } catch {
    return null; // the folder is gone: the program says so
  }
  if (mayAskFirst(cwd, deps.exists)) return null;

  const encoder = new TextEncoder();
  const write = (text: string) => {
    const bytes = encoder.encode(text);
    let written = 0;
    while (written < bytes.length) {
      written += deps.stdout.writeSync(bytes.subarray(written));
    }
  };
  const style = createStyle(colorWanted(true, deps.env));
  const prompt = style.bold(style.blue("❯ "));
  // The cursor waits, hidden, on the row below the prompt: Deno clears the
  // row it is on and everything under it while it loads modules (its
  // progress display), which must not take the prompt with it. Bracketed
  // paste goes on as the session has it, so a paste made now keeps its
  // newlines when the session decodes it.
  let drawn = true;
  let echoing = true;
  let typed = "";
  const draw = () => {
    deps.stdin.setRaw(true, { cbreak: true });
    write(`\x1b[?2004h${drawn ? `\x1b[?25l${prompt}${typed}\r\n` : ""}`);
  };
  draw();
  // Echoes plain typing; anything else (a control key, an escape sequence,
  // a paste, a character wider than one column) waits for the session. So
  // does typing that would not fit on the row (the window may have been
  // made narrower since the prompt was drawn).
  const echo = (chunk: Uint8Array) => {
    const before = typed;
    const room = Math.max(0, deps.columns() - 4);
    for (const byte of chunk) {
      if (byte === 0x7f) typed = typed.slice(0, -1);
      else if (byte >= 0x20 && byte < 0x7f && typed.length < room) {
        typed += String.fromCharCode(byte);
      } else {
        echoing = false;
        break;
      }
    }
    if (typed !== before) {
      write(`\x1b[A\r\x1b[2K${prompt}${typed}\r\x1b[B`);
    }
  };

  const chunks: Uint8Array[] = [];
  const reader: { waiting?: (chunk: Uint8Array | null) => void } = {};
  let ended = false;
  (async () => {
    const buffer = new Uint8Array(4096);
    try {
      for (;;) {
        const n = await deps.stdin.read(buffer);
        if (n === null) break;
        const chunk = buffer.slice(0, n);
        if (drawn && echoing) echo(chunk);
        const take = reader.waiting;
        if (take) {
          reader.waiting = undefined;
          take(chunk);
        } else {
          chunks.push(chunk);
        }
      }
    } catch {
      // stdin closed
    }
    ended = true;
    reader.waiting?.(null);
  })();

  let taken = false;
  let closed = false;
  const ERASE = "\r\x1b[2K\x1b[A\r\x1b[J";
  const clear = () => {
    if (!drawn) return;
    drawn = false;
    write(`${ERASE}\x1b[?25h`);
  };
  const restore = () => {
    try {
      write("\x1b[?2004l\x1b[?25h");
      deps.stdin.setRaw(false);
    } catch {
      // not a terminal any more
    }
  };
  // Ctrl-Z gives the shell its terminal as it was (cooked, cursor shown);
  // `fg` takes it again and draws the prompt anew, with what was typed.
  const stopSignals = watchTerminal({
    onSuspend: () => {
      if (drawn) write(ERASE);
      restore();
    },
    onResume: draw,
    onResize: () => {},
  }, deps.signals);
  const close = () => {
    clear();
    if (taken || closed) return;
    closed = true;
    stopInterrupt();
    stopSignals();
    restore();
  };
  // Ctrl-C while loading quits, with the terminal given back. Once the
  // session has the keyboard, its own handler decides (the listener stays:
  // removing Deno's last one would not bring the default action back).
  const stopInterrupt = deps.onInterrupt(() => {
    if (taken) return;
    close();
    deps.exit(130);
  });

  return {
    clear,
    close,
    takeOver() {
      clear();
      taken = true;
      stopSignals();
      return {
        read() {
          const chunk = chunks.shift();
          if (chunk) return Promise.resolve(chunk);
          if (ended) return Promise.resolve(null);
          return new Promise((resolve) => reader.waiting = resolve);
        },
        drop() {
          chunks.length = 0;
        },
      };
    },
  };
}
