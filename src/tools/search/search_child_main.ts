/**
 * The program of the search child process: the built-in back end's file
 * reading and regular expression matching, run away from the agent's main
 * thread so that a pattern that backtracks for hours costs a process the
 * agent can kill, not the agent itself.
 *
 * Frames (see `frames.ts`) on stdin, for each search in turn: a `Q` (JSON:
 * the pattern, hits kept per file and the line limits), `F` frames (JSON
 * arrays of paths), then an `E` (no more paths). On stdout, `B` frames:
 * JSON arrays with one entry per path, in order: its `FileHits` when it
 * matched, `null` when not (or binary, or unreadable); a `Z` once the paths
 * before an `E` are done; and `.` once a second while busy, so the agent
 * can tell slow progress from one regular expression that never returns.
 * The process ends when stdin closes.
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
  /** Paths queued when each pending `E` arrived. */
  const ends: number[] = [];

  function send(kind: string, text: string): void {
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
    if (working) send(".", "");
  }, 1000);

  // An event loop turn without the 4 ms clamp of nested zero timeouts.
  const channel = new MessageChannel();
  let resumeWork: (() => void) | undefined;
  channel.port1.onmessage = () => resumeWork?.();
  const turn = () =>
    new Promise<void>((resolve) => {
      resumeWork = resolve;
      channel.port2.postMessage(null);
    });

  function finishEnds(): void {
    while (ends.length > 0 && ends[0] <= next) {
      ends.shift();
      send("Z", "");
    }
  }

  async function work(): Promise<void> {
    if (working) return;
    working = true;
    let sliceEnd = performance.now() + 10;
    let batch: unknown[] = [];
    while (next < queue.length) {
      const path = queue[next++];
      let found = files!.search(path);
      if (found instanceof Promise) found = await found;
      batch.push(found && found.total > 0 ? found : null);
      if (performance.now() >= sliceEnd || ends[0] === next) {
        send("B", JSON.stringify(batch));
        batch = [];
        finishEnds();
        // Let stdin be read and the heartbeat run.
        await turn();
        sliceEnd = performance.now() + 10;
      }
    }
    if (batch.length > 0) send("B", JSON.stringify(batch));
    finishEnds();
    working = false;
  }

  async function read(): Promise<void> {
    const frames = new parts.FrameDecoder(1 << 30);
    const buffer = new Uint8Array(1 << 16);
    for (;;) {
      const n = await Deno.stdin.read(buffer);
      if (n === null) break;
      for (const frame of frames.push(buffer.slice(0, n))) {
        if (frame.kind === "Q") {
          const query = JSON.parse(
            decoder.decode(frame.payload),
          ) as SearchQuery;
          files = new parts.FileSearch(
            new parts.LineSearch(
              parts.compile(query.pattern),
              query.maxHits,
              query.limits,
            ),
          );
        } else if (frame.kind === "F") {
          const paths = JSON.parse(decoder.decode(frame.payload)) as string[];
          for (const path of paths) queue.push(path);
        } else if (frame.kind === "E") {
          ends.push(queue.length);
        }
      }
      if (!working) {
        if (next === queue.length) {
          queue.length = 0;
          next = 0;
          ends.fill(0);
        }
        void work();
      }
    }
    Deno.exit(0);
  }
  void read();
}
