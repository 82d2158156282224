/**
 * The search back end used when ripgrep is not installed: a pure Deno walk
 * and JavaScript regular expressions.
 *
 * @module
 */

import type { FileHits, GrepRequest, SearchBackend } from "./backend.ts";
import { FileSearch } from "./file_search.ts";
import { LineSearch } from "./line_search.ts";
import { walkTree } from "./walk.ts";

/** Paths the walk may find ahead of the search before it waits. */
const MAX_PENDING_FILES = 8192;
/** Longest stretch (ms) of synchronous file reading between event loop turns. */
const SLICE_MS = 10;

/**
 * Lists and searches files without external programs, with the same file
 * selection as ripgrep. Patterns are JavaScript regular expressions, tried
 * with the `u` flag first; a leading `(?i)`/`(?s)`/`(?m)` is turned into
 * flags and ASCII POSIX classes like `[[:alpha:]]` are expanded. Lines are matched without their `\r\n`/`\n` ending. Files with a
 * UTF-16 byte order mark are decoded, other bytes as UTF-8 (invalid bytes
 * become U+FFFD); files containing a NUL character are skipped.
 *
 * @example
 * ```ts
 * for await (const file of builtinSearch.grep({ root: "/ws", pattern: "TODO", maxHitsPerFile: 50 })) {
 *   console.log(file.path, file.total);
 * }
 * ```
 */
export const builtinSearch: SearchBackend = {
  kind: "builtin",
  async listFiles(root, signal) {
    const files: string[] = [];
    await walkTree(root, (paths) => {
      for (const path of paths) files.push(path);
    }, signal);
    return files;
  },
  grep(request) {
    return grepFiles(request);
  },
};

/**
 * Compiles a search pattern for the built-in back end, or throws an
 * `Error` like `Invalid regex "a(": ...`.
 *
 * @example
 * ```ts
 * compileSearchRegex("(?i)todo").test("TODO"); // true
 * ```
 */
export function compileSearchRegex(pattern: string): RegExp {
  if (pattern.includes("\n")) {
    throw new Error(
      `Invalid regex ${
        JSON.stringify(pattern)
      }: a line break cannot match; grep_files searches one line at a time`,
    );
  }
  let source = pattern.replace(
    /\[:(\w+):\]/g,
    (whole, name: string, at: number, all: string) =>
      (all[at - 1] === "[" || all.slice(at - 2, at) === ":]") &&
        POSIX_CLASSES[name]
        ? POSIX_CLASSES[name]
        : whole,
  );
  let flags = "";
  const inline = /^\(\?([ims]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    flags = [...new Set(inline[1])].join("");
  }
  try {
    return new RegExp(source, `${flags}u`);
  } catch {
    try {
      return new RegExp(source, flags);
    } catch (error) {
      throw new Error(
        `Invalid regex ${JSON.stringify(pattern)}: ${(error as Error).message}`,
      );
    }
  }
}

/** ASCII POSIX classes (`[[:alpha:]]`), which ripgrep supports and JavaScript does not. */
const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

async function* grepFiles(request: GrepRequest): AsyncGenerator<FileHits> {
  const files = new FileSearch(
    new LineSearch(
      compileSearchRegex(request.pattern),
      request.maxHitsPerFile,
    ),
  );
  const stop = new AbortController();
  const signal = request.signal
    ? AbortSignal.any([request.signal, stop.signal])
    : stop.signal;
  const pending: string[] = [];
  let walked = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  let paused: (() => void)[] = [];
  const resumeWalk = () => {
    const waiting = paused;
    paused = [];
    for (const resume of waiting) resume();
  };
  signal.addEventListener("abort", notify);
  // The walk reads folders concurrently in the background and queues the
  // files it finds (pausing when far ahead); they are searched one by one.
  walkTree(request.root, (paths) => {
    for (const path of paths) {
      if (!request.include || request.include(path)) pending.push(path);
    }
    notify();
    return pending.length > MAX_PENDING_FILES
      ? new Promise<void>((resolve) => paused.push(resolve))
      : undefined;
  }, signal).then(
    () => walked = true,
    (error) => failure = { error },
  ).finally(notify);
  try {
    let sliceEnd = performance.now() + SLICE_MS;
    while (true) {
      const path = pending.pop();
      if (path === undefined) {
        request.signal?.throwIfAborted();
        if (failure) throw failure.error;
        if (walked) return;
        await new Promise<void>((resolve) => wake = resolve);
        sliceEnd = performance.now() + SLICE_MS;
        continue;
      }
      if (paused.length > 0 && pending.length <= MAX_PENDING_FILES / 2) {
        resumeWalk();
      }
      let file = files.search(path);
      if (file instanceof Promise) {
        file = await file;
        sliceEnd = performance.now() + SLICE_MS;
      }
      if (file !== null && file.total > 0) yield file;
      // Small files are read synchronously: let the event loop run now and then.
      if (performance.now() >= sliceEnd) {
        await nextTask();
        request.signal?.throwIfAborted();
        sliceEnd = performance.now() + SLICE_MS;
      }
    }
  } finally {
    stop.abort();
    resumeWalk();
    signal.removeEventListener("abort", notify);
  }
}

/** Resolves after the event loop has had a turn (timers, I/O callbacks). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
