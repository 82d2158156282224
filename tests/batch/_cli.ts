/**
 * Running `nanocode batch` / `nanocode worker` as real processes in tests.
 *
 * @module
 */

import { baseEnv, MAIN } from "../helpers/cli.ts";

/** A running nanocode process whose output is collected as it comes. */
export interface RunningCli {
  readonly child: Deno.ChildProcess;
  /** stdout so far. */
  stdout(): string;
  /** stderr so far. */
  stderr(): string;
  /**
   * Resolves with the first stdout line (earlier ones included) for which
   * `test` is true, or `""` when the process ends without one. Each line
   * is tested once.
   */
  waitForLine(test: (line: string) => boolean): Promise<string>;
  /** Exit code and all output, once it exits. */
  done: Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * Starts `deno run -A main.ts ...args` in `cwd` with a test home.
 *
 * @example
 * ```ts ignore
 * const run = spawnCli(["batch", "tasks.jsonl"], { cwd, home, env });
 * const { code } = await run.done;
 * ```
 */
export function spawnCli(
  args: string[],
  options: { cwd: string; home: string; env?: Record<string, string> },
): RunningCli {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    cwd: options.cwd,
    clearEnv: true,
    env: {
      ...baseEnv(options.home),
      XDG_CACHE_HOME: `${options.home}/.cache`,
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let err = "";
  let partial = "";
  const lines: string[] = [];
  const watchers: {
    test: (line: string) => boolean;
    resolve(line: string): void;
  }[] = [];
  /** Offers each line to the watchers once. */
  const offer = (line: string) => {
    for (const w of [...watchers]) {
      if (w.test(line)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  const addOut = (text: string) => {
    out += text;
    const parts = (partial + text).split("\n");
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      offer(line);
    }
  };
  const read = async (
    stream: ReadableStream<Uint8Array>,
    add: (text: string) => void,
  ) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      add(decoder.decode(chunk, { stream: true }));
    }
  };
  const reading = Promise.all([
    read(child.stdout, addOut),
    read(child.stderr, (t) => void (err += t)),
  ]);
  const done = (async () => {
    const status = await child.status;
    await reading;
    for (const w of watchers.splice(0)) w.resolve("");
    return { code: status.code, stdout: out, stderr: err };
  })();
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitForLine(test) {
      return new Promise((resolve) => {
        const seen = lines.find(test);
        if (seen !== undefined) resolve(seen);
        else watchers.push({ test, resolve });
      });
    },
    done,
  };
}

/** A promise with its resolve function, for holding scripted replies. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** The JSON lines of a text (non-JSON lines skipped). */
export function jsonLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    try {
      const value = JSON.parse(line);
      if (value && typeof value === "object") out.push(value);
    } catch {
      // not JSON
    }
  }
  return out;
}
