/**
 * The program of the search child process: the built-in back end's file
 * reading and regular expression matching, run away from the agent's main
 * thread so that a pattern that backtracks for hours costs a process the
 * agent can kill, not the agent itself.
 *
 * Frames (see `frames.ts`) on stdin: one `Q` (JSON: the pattern, hits kept
 * per file and the line limits), then `F` frames (JSON arrays of paths);
 * closing stdin means no more paths. On stdout, one frame per path in
 * order: `H` (JSON `FileHits`) when it matched, `N` when not (or binary,
 * or unreadable); and `.` once a second while busy, so the agent can tell
 * slow progress from one regular expression that never returns.
 *
 * `searchChildMain` must stay self-contained: `search_child.ts` embeds its
 * source text and passes the classes it uses in as arguments.
 *
 * @module
 */

import type { encodeFrameHeader, FrameDecoder } from "../../sandbox/frames.ts";
import type { FileSearch } from "./file_search.ts";
import type { LineLimits, LineSearch } from "./line_search.ts";
import type { compileSearchRegex } from "./search_regex.ts";

/** What the child program is made of. */
export interface SearchChildParts {
  header: typeof encodeFrameHeader;
  FrameDecoder: typeof FrameDecoder;
  LineSearch: typeof LineSearch;
  FileSearch: typeof FileSearch;
  compile: typeof compileSearchRegex;
}

/** The `Q` request that starts a search. */
export interface SearchQuery {
  pattern: string;
  maxHits: number;
  limits: LineLimits;
}

/**
 * Entry point of the search child process.
 *
 * @example
 * ```ts ignore
 * // Embedded as text by search_child.ts, never called in the agent process:
 * const source = `(${searchChildMain})({ header, FrameDecoder, LineSearch, FileSearch, compile });`;
 * ```
 */
export function searchChildMain(parts: SearchChildParts): void {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const stdout = Deno.stdout;
  let files: FileSearch | null = null;
  const queue: string[] = [];
  let next = 0;
  let working = false;
  let ended = false;

  function send(kind: string, text = ""): void {
    const payload = encoder.encode(text);
    const frame = new Uint8Array(5 + payload.length);
    frame.set(parts.header(kind, payload.length));
    frame.set(payload, 5);
    let written = 0;
    while (written < frame.length) {
      written += stdout.writeSync(frame.subarray(written));
    }
  }

  setInterval(() => {
    if (working) send(".");
  }, 1000);

  const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

  async function work(): Promise<void> {
    if (working || !files) return;
    working = true;
    let sliceEnd = performance.now() + 10;
    while (next < queue.length) {
      const path = queue[next++];
      let found = files.search(path);
      if (found instanceof Promise) found = await found;
      if (found && found.total > 0) send("H", JSON.stringify(found));
      else send("N");
      if (performance.now() >= sliceEnd) {
        // Let stdin be read and the heartbeat run.
        await turn();
        sliceEnd = performance.now() + 10;
      }
    }
    queue.length = 0;
    next = 0;
    working = false;
    if (ended) Deno.exit(0);
  }

  async function read(): Promise<void> {
    const frames = new parts.FrameDecoder(1 << 30);
    const buffer = new Uint8Array(1 << 16);
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const frame of frames.push(buffer.slice(0, n))) {
        const body = JSON.parse(decoder.decode(frame.payload));
        if (frame.kind === "Q") {
          const query = body as SearchQuery;
          files = new parts.FileSearch(
            new parts.LineSearch(
              parts.compile(query.pattern),
              query.maxHits,
              query.limits,
            ),
          );
        } else if (frame.kind === "F") {
          for (const path of body as string[]) queue.push(path);
        }
      }
      void work();
    }
    ended = true;
    if (!working) Deno.exit(0);
  }
  void read();
}
