/**
 * The search back end used when ripgrep is not installed: a pure Deno walk
 * and JavaScript regular expressions.
 *
 * @module
 */

import type { FileHits, GrepRequest, SearchBackend } from "./backend.ts";
import { SearchChild } from "./search_child.ts";
import { compileSearchRegex } from "./search_regex.ts";
import { walkTree } from "./walk.ts";
export { compileSearchRegex };

/** Paths the walk may find ahead of the search before it waits. */
const MAX_PENDING_FILES = 8192;

/**
 * Lists and searches files without external programs, with the same file
 * selection as ripgrep. Patterns are JavaScript regular expressions, tried
 * with the `u` flag first; a leading `(?i)`/`(?s)`/`(?m)` is turned into
 * flags and ASCII POSIX classes like `[[:alpha:]]` are expanded. Lines are matched without their `\r\n`/`\n` ending. Files with a
 * UTF-16 byte order mark are decoded, other bytes as UTF-8 (invalid bytes
 * become U+FFFD); files containing a NUL character are skipped.
 *
 * Files are read and matched in a child process with read access only
 * (see `search_child.ts`): a search that makes no progress
 * for `request.deadlineMs` (default 10 s) fails with a message naming the
 * pattern, and an abort stops it at once.
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

async function* grepFiles(request: GrepRequest): AsyncGenerator<FileHits> {
  compileSearchRegex(request.pattern); // an invalid pattern throws here
  const stop = new AbortController();
  const signal = request.signal
    ? AbortSignal.any([request.signal, stop.signal])
    : stop.signal;
  let wake: (() => void) | undefined;
  const notify = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  // Files are read and matched in a child process: a pattern that
  // backtracks for hours costs a process, killed at the deadline or on
  // Ctrl-C, never the agent's main thread.
  const child = SearchChild.start({
    pattern: request.pattern,
    maxHits: request.maxHitsPerFile,
    deadlineMs: request.deadlineMs,
    signal,
    onChange: notify,
  });
  let walked = false;
  let failure: { error: unknown } | undefined;
  let paused: (() => void)[] = [];
  const resumeWalk = () => {
    const waiting = paused;
    paused = [];
    for (const resume of waiting) resume();
  };
  // The walk reads folders concurrently in the background and sends the
  // files it finds to the child (pausing when far ahead).
  walkTree(request.root, (paths) => {
    const chosen = request.include ? paths.filter(request.include) : paths;
    if (chosen.length > 0) child.search(chosen);
    return child.sent - child.answered > MAX_PENDING_FILES
      ? new Promise<void>((resolve) => paused.push(resolve))
      : undefined;
  }, signal).then(
    () => {
      walked = true;
      child.end();
    },
    (error) => failure = { error },
  ).finally(notify);
  try {
    while (true) {
      const file = child.take();
      if (file !== undefined) {
        if (file !== null) yield file;
        if (
          paused.length > 0 &&
          child.sent - child.answered <= MAX_PENDING_FILES / 2
        ) {
          resumeWalk();
        }
        continue;
      }
      request.signal?.throwIfAborted();
      if (child.failure) throw child.failure;
      if (failure) throw failure.error;
      if (walked && child.done) return;
      await new Promise<void>((resolve) => wake = resolve);
    }
  } finally {
    await child.close();
    stop.abort();
    resumeWalk();
  }
}
