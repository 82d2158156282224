/**
 * The search child process itself: its program (see `search_child_main.ts`)
 * and its lifetime. What one search does with it is `search_child.ts`.
 *
 * @module
 */

import {
  encodeFrame,
  encodeFrameHeader,
  FrameDecoder,
} from "../../sandbox/frames.ts";
import { CLOSED_RUN_FLAGS, isCompiledBinary } from "../../sandbox/bootstrap.ts";
import type { FileHits } from "./backend.ts";
import { FileSearch } from "./file_search.ts";
import { LineSearch } from "./line_search.ts";
import { searchChildMain } from "./search_child_main.ts";
import { compileSearchRegex } from "./search_regex.ts";

/** What a process tells the search using it. */
export interface SearchUser {
  /** Results, one per path, in order. */
  received(batch: (FileHits | null)[]): void;
  /** Every path sent before the end marker is answered. */
  finished(): void;
  /** Something arrived. */
  changed(): void;
  /** The process is gone (`null`: it was gone already). */
  ended(status: Deno.CommandStatus | null): void;
}

/**
 * The argument that makes nanocode itself act as the search child.
 *
 * @example
 * ```ts
 * import { SEARCH_CHILD_FLAG } from "./search_process.ts";
 * console.log(SEARCH_CHILD_FLAG); // "--nanocode-search-child"
 * ```
 */
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

/**
 * One search child process. It outlives a search (a warm process searches
 * much faster than a fresh one) but never keeps the agent alive, and it is
 * killed rather than reused when a search does not finish cleanly.
 */
export class SearchProcess {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  /** The search using the process, if any. */
  user: SearchUser | null = null;
  alive = true;
  lastHeard = performance.now();

  /** Starts the process (as `deno run`, or as this compiled binary). */
  constructor() {
    const compiled = isCompiledBinary();
    // Read access only: the child reads the files the agent's walk found
    // (under a root the policy allowed) and runs a regular expression.
    const args = compiled ? [SEARCH_CHILD_FLAG] : [
      "run",
      ...CLOSED_RUN_FLAGS,
      "--allow-read",
      "data:text/javascript," + encodeURIComponent(childProgram()),
    ];
    this.#child = new Deno.Command(Deno.execPath(), {
      args,
      clearEnv: true,
      env: { NO_COLOR: "1" },
      cwd: "/",
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#writer.closed.catch(() => {});
    const reading = this.#read();
    void Promise.all([this.#child.status, reading]).then(([status]) => {
      this.alive = false;
      this.user?.ended(status);
    });
  }

  /** Sends one frame with a JSON body (`undefined`: an empty one). */
  send(kind: string, body: unknown): void {
    const payload = new TextEncoder().encode(
      body === undefined ? "" : JSON.stringify(body),
    );
    this.#writer.write(encodeFrame(kind, payload)).catch(() => {});
  }

  /** Kills the process (idempotent). */
  kill(): void {
    if (!this.alive) return;
    this.alive = false;
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already gone */ }
  }

  /** Resolves once the process has exited. */
  async gone(): Promise<void> {
    await this.#child.status;
  }

  /** Whether the process keeps the agent alive: only while it searches. */
  busy(yes: boolean): void {
    if (yes) this.#child.ref();
    else this.#child.unref();
  }

  async #read(): Promise<void> {
    const frames = new FrameDecoder(1 << 30);
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.#child.stdout) {
        this.lastHeard = performance.now();
        for (const frame of frames.push(chunk)) {
          if (frame.kind === "B") {
            this.user?.received(
              JSON.parse(decoder.decode(frame.payload)) as (FileHits | null)[],
            );
          } else if (frame.kind === "Z") {
            this.user?.finished();
          }
        }
        this.user?.changed();
      }
    } catch {
      // Killed: the search that used it says why.
    }
  }
}
