/**
 * Drives the real CLI through a pseudo-terminal (util-linux `script`), so
 * tests see what a user's screen would show and can send real keys and
 * Ctrl-C (which the terminal turns into a real SIGINT).
 *
 * @module
 */

import { baseEnv, MAIN } from "./cli.ts";
import { replay, type Screen } from "./screen.ts";

/** Removes escape sequences, turning the output into plain screen text. */
export function plain(text: string): string {
  return text
    // deno-lint-ignore no-control-regex
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "")
    // deno-lint-ignore no-control-regex
    .replace(/\x1b\][^\x07]*\x07/g, "")
    .replace(/\r\n/g, "\n")
    .replace(/\r/g, "\n");
}

/** A CLI process on a pseudo-terminal. */
export interface PtySession extends AsyncDisposable {
  /** Everything the terminal received so far (raw, with escape codes). */
  readonly output: string;
  /** Types text into the terminal. */
  send(text: string): Promise<void>;
  /** Waits until the plain screen text after `from` contains `what`; returns its index. */
  waitFor(
    what: string | RegExp,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<number>;
  /** Waits for the process to end (killing it after `timeoutMs`, default 30 s); returns its exit code. */
  exit(timeoutMs?: number): Promise<number>;
  /** The screen a terminal of this size shows after the output so far (scrollback included). */
  screen(): Screen;
  /** Waits until the screen text (rows joined by newlines) satisfies `test`; returns it. */
  waitForScreen(
    test: (text: string, screen: Screen) => boolean,
    options?: { timeoutMs?: number; what?: string },
  ): Promise<string>;
  /** Waits until the raw output (escape codes included) contains `what`; returns its index. */
  waitForRaw(what: string, options?: { timeoutMs?: number }): Promise<number>;
  /** The process id of the program (not of `script`). */
  pid(): number | null;
  /** Changes the terminal's size (the program gets SIGWINCH). */
  resize(columns: number, rows?: number): Promise<void>;
}

/** Options of {@linkcode startPty}. */
export interface PtyOptions {
  cwd: string;
  env?: Record<string, string>;
  home?: string;
  columns?: number;
  rows?: number;
  /**
   * Start an interactive bash (job control on) instead of nanocode; type
   * {@linkcode nanocodeCommand} into it.
   */
  shell?: boolean;
  /** Extra deno flags before main.ts. */
  denoFlags?: string[];
}

/**
 * The output a terminal that honours synchronized updates (mode 2026, which
 * nanocode's live region uses) has drawn: an update still being written is
 * held back until it ends, so a test never sees a frame half redrawn.
 */
function shown(output: string): string {
  const open = output.lastIndexOf("\x1b[?2026h");
  return open !== -1 && output.indexOf("\x1b[?2026l", open) === -1
    ? output.slice(0, open)
    : output;
}

/** The shell command line that runs nanocode (for a `shell` pty). */
export function nanocodeCommand(
  args: string[] = [],
  denoFlags = ["-A"],
): string {
  return [Deno.execPath(), "run", ...denoFlags, MAIN, ...args].map(quote)
    .join(" ");
}

/** The first descendant of `script` that is a deno process (the program). */
function programPid(scriptPid: number): number | null {
  const queue = [scriptPid];
  while (queue.length) {
    const pid = queue.shift()!;
    let children: string;
    try {
      children = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`);
    } catch {
      continue;
    }
    for (const child of children.trim().split(/\s+/).filter(Boolean)) {
      try {
        const exe = Deno.readLinkSync(`/proc/${child}/exe`);
        if (exe === Deno.execPath()) return Number(child);
      } catch { /* gone */ }
      queue.push(Number(child));
    }
  }
  return null;
}

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Starts `deno run -A main.ts ...args` on a pseudo-terminal.
 *
 * @example
 * ```ts ignore
 * await using pty = await startPty([], { cwd: dir.path, env });
 * await pty.waitFor("❯");
 * await pty.send("/q\r");
 * ```
 */
export function startPty(args: string[], options: PtyOptions): PtySession {
  const command = options.shell
    ? "bash --norc --noprofile -i"
    : nanocodeCommand(args, options.denoFlags);
  const shell = `stty cols ${options.columns ?? 100} rows ${
    options.rows ?? 40
  }; exec ${command}`;
  const child = new Deno.Command("script", {
    args: ["-qfec", shell, "/dev/null"],
    cwd: options.cwd,
    clearEnv: true,
    env: {
      ...baseEnv(options.home ?? options.cwd),
      NO_COLOR: "",
      TERM: "xterm-256color",
      PS1: "$ ",
      ...options.env,
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  let output = "";
  const decoder = new TextDecoder();
  const listeners = new Set<() => void>();
  const reading = (async () => {
    for await (const chunk of child.stdout) {
      output += decoder.decode(chunk, { stream: true });
      for (const listener of listeners) listener();
    }
  })();
  const stderr = new Response(child.stderr).text();
  const status = child.status;
  let exited = false;
  status.then(() => {
    exited = true;
    for (const listener of listeners) listener();
  });

  /** Resolves with `check()`'s value once it has one; rejects on exit or timeout. */
  const until = <T>(
    check: () => T | undefined,
    timeoutMs: number,
    what: string,
    shown: () => string,
  ) =>
    new Promise<T>((resolve, reject) => {
      const test = () => {
        const value = check();
        if (value !== undefined) {
          done();
          resolve(value);
        } else if (exited) {
          done();
          reject(
            new Error(`process ended before ${what}; screen:\n${shown()}`),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; screen:\n${shown()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        listeners.delete(test);
      };
      listeners.add(test);
      test();
    });
  const columns = options.columns ?? 100;
  const screen = () => replay(shown(output), columns);
  return {
    get output() {
      return output;
    },
    screen,
    pid() {
      return programPid(child.pid);
    },
    async resize(columns, rows = options.rows ?? 40) {
      const pid = programPid(child.pid);
      if (pid === null) throw new Error("the program is not running");
      const tty = Deno.readLinkSync(`/proc/${pid}/fd/0`);
      const out = await new Deno.Command("stty", {
        args: ["-F", tty, "cols", String(columns), "rows", String(rows)],
      }).output();
      if (!out.success) {
        throw new Error(`stty failed: ${new TextDecoder().decode(out.stderr)}`);
      }
    },
    waitForScreen(test, { timeoutMs = 20_000, what = "the screen" } = {}) {
      return until(
        () => {
          const current = screen();
          const text = current.lines.join("\n");
          return test(text, current) ? text : undefined;
        },
        timeoutMs,
        what,
        () => screen().lines.slice(-60).join("\n"),
      );
    },
    waitForRaw(what, { timeoutMs = 20_000 } = {}) {
      return until(
        () => {
          const index = output.indexOf(what);
          return index === -1 ? undefined : index;
        },
        timeoutMs,
        `output holding ${JSON.stringify(what)}`,
        () => plain(output).slice(-3000),
      );
    },
    async send(text) {
      await writer.write(new TextEncoder().encode(text));
    },
    waitFor(what, { from = 0, timeoutMs = 20_000 } = {}) {
      return until(
        () => {
          const screen = plain(output).slice(from);
          const index = typeof what === "string"
            ? screen.indexOf(what)
            : screen.search(what);
          return index === -1 ? undefined : from + index;
        },
        timeoutMs,
        `showing ${what}`,
        () => plain(output).slice(-3000),
      );
    },
    async exit(timeoutMs = 30_000) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* gone */ }
          reject(
            new Error(
              `the program did not exit; screen:\n${
                plain(output).slice(-2000)
              }`,
            ),
          );
        }, timeoutMs);
      });
      try {
        return (await Promise.race([status, late])).code;
      } finally {
        clearTimeout(timer);
      }
    },
    async [Symbol.asyncDispose]() {
      try {
        await writer.close();
      } catch { /* already closed */ }
      if (!exited) {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }
      await Promise.all([status, reading, stderr]);
    },
  };
}
