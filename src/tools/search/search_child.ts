/**
 * The agent's side of the search child process (see `search_child_main.ts`):
 * starts it with read access to the search root only, sends it paths,
 * receives each path's hits in order, and kills it when the search is
 * aborted or when it stops making progress for longer than the deadline
 * (a pattern that backtracks catastrophically). A Web Worker would not do:
 * in Deno a terminated worker keeps running a busy regular expression.
 *
 * @module
 */

import {
  encodeFrame,
  encodeFrameHeader,
  FrameDecoder,
} from "../../sandbox/frames.ts";
import { isCompiledBinary } from "../../sandbox/bootstrap.ts";
import { LINE_PREVIEW_BYTES, MATCH_BYTE_LIMIT } from "./backend.ts";
import type { FileHits } from "./backend.ts";
import { FileSearch } from "./file_search.ts";
import { LineSearch } from "./line_search.ts";
import { searchChildMain, type SearchQuery } from "./search_child_main.ts";
import { compileSearchRegex } from "./search_regex.ts";

/**
 * Seconds a search may go without progress before it is stopped.
 *
 * @example
 * ```ts
 * import { SEARCH_DEADLINE_MS } from "./search_child.ts";
 * console.log(SEARCH_DEADLINE_MS); // 10000
 * ```
 */
export const SEARCH_DEADLINE_MS = 10_000;

/** The argument that makes nanocode itself act as the search child. */
export const SEARCH_CHILD_FLAG = "--nanocode-search-child";

let cachedProgram: string | undefined;

/** The child program's JavaScript source. */
function childProgram(): string {
  return cachedProgram ??= [
    `const header = (${encodeFrameHeader.toString()});`,
    `const FrameDecoder = (${FrameDecoder.toString()});`,
    `const LineSearch = (${LineSearch.toString()});`,
    `const FileSearch = (${FileSearch.toString()});`,
    `const compile = (${compileSearchRegex.toString()});`,
    `(${searchChildMain.toString()})({ header, FrameDecoder, LineSearch, FileSearch, compile });`,
  ].join("\n");
}

/**
 * Runs the search child in this process (a compiled binary's search mode).
 *
 * @example
 * ```ts ignore
 * if (Deno.args[0] === SEARCH_CHILD_FLAG) runSelfHostedSearchChild();
 * ```
 */
export function runSelfHostedSearchChild(): void {
  searchChildMain({
    header: encodeFrameHeader,
    FrameDecoder,
    LineSearch,
    FileSearch,
    compile: compileSearchRegex,
  });
}

/** Settings of {@linkcode SearchChild.start}. */
export interface SearchChildOptions {
  /** The folder or file searched: the only thing the child may read. */
  root: string;
  pattern: string;
  maxHits: number;
  /** Milliseconds without progress before the search fails (default 10 s). */
  deadlineMs?: number;
  /** Aborting kills the child. */
  signal: AbortSignal;
  /** Called whenever something arrives (a result, the end, a failure). */
  onChange(): void;
}

/** A running search child. */
export class SearchChild {
  /** Results received and not taken yet (null: the path had no hits). */
  #results: (FileHits | null)[] = [];
  #taken = 0;
  /** Paths sent so far. */
  sent = 0;
  /** Paths answered so far. */
  answered = 0;
  /** Why the search failed, once it did. */
  failure: Error | undefined;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #options: SearchChildOptions;
  #lastHeard = performance.now();
  #watchdog: ReturnType<typeof setInterval>;

  private constructor(child: Deno.ChildProcess, options: SearchChildOptions) {
    this.#child = child;
    this.#options = options;
    this.#writer = child.stdin.getWriter();
    this.#writer.closed.catch(() => {});
    const query: SearchQuery = {
      pattern: options.pattern,
      maxHits: options.maxHits,
      limits: {
        previewBytes: LINE_PREVIEW_BYTES,
        matchLimit: MATCH_BYTE_LIMIT,
      },
    };
    this.#send("Q", query);
    const deadline = options.deadlineMs ?? SEARCH_DEADLINE_MS;
    this.#watchdog = setInterval(() => {
      const waiting = this.sent > this.answered;
      if (waiting && performance.now() - this.#lastHeard > deadline) {
        this.#fail(
          new Error(
            `grep_files stopped: the pattern ${
              JSON.stringify(options.pattern)
            } made no progress for ${
              Math.round(deadline / 1000)
            } s, so it likely backtracks catastrophically; simplify it (ripgrep, when installed, has no such problem)`,
          ),
        );
      }
    }, Math.min(250, deadline / 4));
    options.signal.addEventListener(
      "abort",
      () => this.#fail(options.signal.reason),
      { once: true },
    );
    const reading = this.#read();
    void Promise.all([child.status, reading]).then(([status]) => {
      if (this.answered < this.sent || !status.success) {
        this.#fail(
          new Error(
            `The search process ended early (${
              status.signal ?? `exit code ${status.code}`
            })`,
          ),
        );
      }
      clearInterval(this.#watchdog);
      options.onChange();
    });
  }

  /**
   * Starts a search child for `options.pattern` (already checked with
   * `compileSearchRegex`).
   *
   * @example
   * ```ts ignore
   * const child = SearchChild.start({ root, pattern, maxHits: 50, signal, onChange });
   * ```
   */
  static start(options: SearchChildOptions): SearchChild {
    const compiled = isCompiledBinary();
    const args = compiled ? [SEARCH_CHILD_FLAG] : [
      "run",
      "--no-prompt",
      "--no-config",
      "--no-lock",
      "--no-npm",
      "--no-remote",
      "--quiet",
      `--allow-read=${options.root}`,
      "data:text/javascript," + encodeURIComponent(childProgram()),
    ];
    const child = new Deno.Command(Deno.execPath(), {
      args,
      clearEnv: true,
      env: { NO_COLOR: "1" },
      cwd: "/",
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    return new SearchChild(child, options);
  }

  /** Sends paths to search. */
  search(paths: string[]): void {
    this.sent += paths.length;
    this.#send("F", paths);
  }

  /** Says no more paths will come. */
  end(): void {
    this.#writer.close().catch(() => {});
  }

  /** The next result in path order, or `undefined` if none has arrived. */
  take(): FileHits | null | undefined {
    if (this.#taken >= this.#results.length) return undefined;
    const result = this.#results[this.#taken];
    this.#results[this.#taken++] = null;
    if (this.#taken > 1024) {
      this.#results = this.#results.slice(this.#taken);
      this.#taken = 0;
    }
    return result;
  }

  /** Stops the child (idempotent). */
  kill(): void {
    clearInterval(this.#watchdog);
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already gone */ }
  }

  #send(kind: string, body: unknown): void {
    const frame = encodeFrame(
      kind,
      new TextEncoder().encode(JSON.stringify(body)),
    );
    this.#writer.write(frame).catch(() => {});
  }

  #fail(error: Error): void {
    this.failure ??= error;
    this.kill();
    this.#options.onChange();
  }

  async #read(): Promise<void> {
    const frames = new FrameDecoder(1 << 30);
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.#child.stdout) {
        this.#lastHeard = performance.now();
        for (const frame of frames.push(chunk)) {
          if (frame.kind === ".") continue;
          this.answered++;
          this.#results.push(
            frame.kind === "H"
              ? JSON.parse(decoder.decode(frame.payload)) as FileHits
              : null,
          );
        }
        this.#options.onChange();
      }
    } catch {
      // Killed: `failure` says why.
    }
  }
}
