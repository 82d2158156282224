/**
 * The prompt drawn before the program loads (src/cli/early_prompt.ts), with
 * a scripted terminal: when a launch gets one, what it draws, how keys
 * typed early are echoed and handed to the session, and how the terminal is
 * given back.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import {
  type EarlyPromptDeps,
  mayAskFirst,
  startEarlyPrompt,
} from "../../src/cli/early_prompt.ts";
import { Screen } from "../helpers/screen.ts";

class FakeTerminal {
  written = "";
  raw: boolean[] = [];
  exited: number | null = null;
  columns = 40;
  signals = new Map<string, () => void>();
  stops = 0;
  interrupt: (() => void) | null = null;
  #chunks: (Uint8Array | null)[] = [];
  #reader: ((n: number | null) => void) | null = null;
  #buffer: Uint8Array | null = null;

  constructor(
    public files: string[] = [],
    public tty = { stdin: true, stdout: true },
    public cwd = "/home/u/repo/src",
  ) {}

  type(text: string | null): void {
    this.#chunks.push(text === null ? null : new TextEncoder().encode(text));
    this.#serve();
  }

  #serve(): void {
    if (!this.#reader || this.#chunks.length === 0) return;
    const chunk = this.#chunks.shift()!;
    const reader = this.#reader;
    this.#reader = null;
    if (chunk === null) return reader(null);
    this.#buffer!.set(chunk);
    reader(chunk.length);
  }

  deps(): EarlyPromptDeps {
    return {
      stdin: {
        isTerminal: () => this.tty.stdin,
        setRaw: (mode) => void this.raw.push(mode),
        read: (buffer) => {
          this.#buffer = buffer;
          const pending = new Promise<number | null>((resolve) =>
            this.#reader = resolve
          );
          this.#serve();
          return pending;
        },
      },
      stdout: {
        isTerminal: () => this.tty.stdout,
        writeSync: (bytes) => {
          this.written += new TextDecoder().decode(bytes);
          return bytes.length;
        },
      },
      env: (name) => name === "NO_COLOR" ? "1" : undefined,
      cwd: () => this.cwd,
      columns: () => this.columns,
      exists: (path) => this.files.includes(path),
      onInterrupt: (handler) => {
        this.interrupt = handler;
        return () => this.interrupt = null;
      },
      signals: {
        add: (signal, handler) => void this.signals.set(signal, handler),
        remove: (signal) => void this.signals.delete(signal),
        stopSelf: () => void this.stops++,
      },
      exit: ((code: number) => {
        this.exited = code;
      }) as (code: number) => never,
    };
  }

  screen(): Screen {
    const screen = new Screen(40);
    screen.feed(this.written);
    return screen;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

Deno.test("early prompt: only a plain launch in a terminal with nothing to ask first gets one", () => {
  const none = new FakeTerminal();
  assertEquals(startEarlyPrompt(["fix the bug"], none.deps()), null);
  assertEquals(startEarlyPrompt(["--resume"], none.deps()), null);
  assertEquals(none.written, "");
  for (
    const tty of [{ stdin: false, stdout: true }, {
      stdin: true,
      stdout: false,
    }]
  ) {
    const t = new FakeTerminal([], tty);
    assertEquals(startEarlyPrompt([], t.deps()), null);
    assertEquals(t.written, "");
  }
  // A project config or .mcp.json here or above may lead to the trust
  // question, which keys typed early must never answer: no early prompt.
  for (
    const file of [
      "/home/u/repo/src/.mcp.json",
      "/home/u/repo/.nanocode/config.json",
      "/.mcp.json",
    ]
  ) {
    const t = new FakeTerminal([file]);
    assertEquals(startEarlyPrompt([], t.deps()), null, file);
    assertEquals(t.written, "");
    assertEquals(t.raw, []);
  }
  const gone = new FakeTerminal();
  const deps = gone.deps();
  deps.cwd = () => {
    throw new Deno.errors.NotFound("cwd");
  };
  assertEquals(startEarlyPrompt([], deps), null);
});

Deno.test("early prompt: mayAskFirst looks in every folder up to the root", () => {
  assertEquals(mayAskFirst("/a/b", () => false), false);
  assertEquals(mayAskFirst("/", (p) => p === "/.nanocode/config.json"), true);
  const seen: string[] = [];
  mayAskFirst("/a/b", (p) => (seen.push(p), false));
  assertEquals(seen, [
    "/a/b/.nanocode/config.json",
    "/a/b/.mcp.json",
    "/a/.nanocode/config.json",
    "/a/.mcp.json",
    "/.nanocode/config.json",
    "/.mcp.json",
  ]);
});

Deno.test("early prompt: drawn above the cursor, so a clear of the cursor's row and below keeps it", async () => {
  const t = new FakeTerminal();
  const early = startEarlyPrompt([], t.deps())!;
  assert(early);
  assertEquals(t.raw, [true]);
  // What Deno's progress display writes while it loads modules.
  t.written += "\x1b[0G\x1b[2K\x1b[J";
  t.type("hel");
  await tick();
  t.written += "\x1b[0G\x1b[2K\x1b[J";
  t.type("l\x7f\x7flo");
  await tick();
  assertEquals(t.screen().lines.filter((l) => l.trim()), ["❯ helo"]);
  // Something that is not plain typing stops the echo; the keys are kept.
  t.type("\x1b[D!");
  await tick();
  assertEquals(t.screen().lines.filter((l) => l.trim()), ["❯ helo"]);

  const feed = early.takeOver();
  assertEquals(t.screen().lines.filter((l) => l.trim()), []);
  assert(t.written.endsWith("\x1b[?25h"), "the cursor is shown again");
  const got: string[] = [];
  for (let i = 0; i < 3; i++) {
    got.push(new TextDecoder().decode((await feed.read())!));
  }
  assertEquals(got, ["hel", "l\x7f\x7flo", "\x1b[D!"]);
  const later = feed.read();
  t.type("x");
  assertEquals(new TextDecoder().decode((await later)!), "x");
  t.type(null);
  assertEquals(await feed.read(), null);
  // The session owns the terminal now: closing leaves raw mode alone, and
  // Ctrl-C is the session's to handle.
  early.close();
  assertEquals(t.raw, [true]);
  t.interrupt?.();
  assertEquals(t.exited, null);
});

Deno.test("early prompt: drop() forgets keys read but not taken", async () => {
  const t = new FakeTerminal();
  const early = startEarlyPrompt([], t.deps())!;
  t.type("y");
  await tick();
  const feed = early.takeOver();
  feed.drop();
  const next = feed.read();
  t.type("n");
  assertEquals(new TextDecoder().decode((await next)!), "n");
});

Deno.test("early prompt: close() and Ctrl-C give the terminal back", () => {
  const t = new FakeTerminal();
  const early = startEarlyPrompt([], t.deps())!;
  early.close();
  assertEquals(t.raw, [true, false]);
  assert(t.written.includes("\x1b[?2004l"), "bracketed paste off");
  assert(t.written.includes("\x1b[?25h"), "cursor shown");
  assertEquals(t.screen().lines.filter((l) => l.trim()), []);
  assertEquals(t.interrupt, null, "the Ctrl-C listener is gone");
  assertEquals(t.signals.size, 0, "the Ctrl-Z and fg listeners are gone");

  const u = new FakeTerminal();
  startEarlyPrompt([], u.deps());
  u.interrupt!();
  assertEquals(u.exited, 130);
  assertEquals(u.raw, [true, false]);
  assertEquals(u.screen().lines.filter((l) => l.trim()), []);
});

Deno.test("early prompt: a terminal made narrower while loading keeps the echo on one row", async () => {
  const t = new FakeTerminal();
  const early = startEarlyPrompt([], t.deps())!;
  t.type("hello");
  await tick();
  // The window shrinks to 10 columns (a terminal that does not reflow:
  // what was drawn stays as it is), then more is typed.
  t.columns = 10;
  t.type(" world");
  await tick();
  early.takeOver();
  const screen = new Screen(10);
  screen.feed(t.written);
  assertEquals(screen.lines.filter((l) => l.trim()), [], "rows left behind");
});

Deno.test("early prompt: Ctrl-Z gives the terminal back before stopping, fg takes it again and redraws", async () => {
  const t = new FakeTerminal();
  const early = startEarlyPrompt([], t.deps())!;
  t.type("hel");
  await tick();
  t.signals.get("SIGTSTP")!();
  assertEquals(t.stops, 1);
  assertEquals(t.raw, [true, false]);
  assert(t.written.endsWith("\x1b[?2004l\x1b[?25h"), JSON.stringify(t.written));
  // The shell prints its "Stopped" line and, on fg, the command line.
  t.written += "\r\n[1]+ Stopped   nanocode\r\n$ fg\r\nnanocode\r\n";
  t.signals.get("SIGCONT")!();
  assertEquals(t.raw, [true, false, true]);
  assertEquals(t.screen().lines.filter((l) => l.trim()).at(-1), "❯ hel");
  t.type("lo");
  await tick();
  assertEquals(t.screen().lines.filter((l) => l.trim()).at(-1), "❯ hello");
  // The session has its own handlers once it holds the keyboard.
  early.takeOver();
  assertEquals([...t.signals.keys()].filter((s) => s !== "SIGINT"), []);
});
