/**
 * What one cell prints, inside the sandbox's worker: the head is sent to the
 * agent as it is printed (in batches, so a loop of tiny prints is a few
 * messages, not thousands), the part past the cap keeps only its tail, and
 * the number of characters dropped in between is counted.
 *
 * `createCellOutput` must stay self-contained (no imports, no outer
 * references): `bootstrap.ts` embeds its source text in the worker.
 *
 * @module
 */

/** A cell's printed text, as the worker keeps it. */
export interface CellOutput {
  /** Adds printed text. */
  write(text: string): void;
  /** Sends the batch of head text printed so far, if any. */
  flush(): void;
  /** Flushes, and returns the tail and how much was dropped before it. */
  end(): { omitted: number; tail: string };
}

/** The timer functions the batching uses (the worker's own). */
export interface OutputTimers {
  setTimeout(callback: () => void, delay: number): unknown;
  clearTimeout(id: number): void;
}

/**
 * Creates the output of one cell: up to `cap` characters of head, sent
 * through `emit` in batches of at most `batchChars` characters and at most
 * `batchMs` apart; then up to `cap` characters of tail.
 *
 * @example
 * ```ts
 * import { createCellOutput } from "./worker_output.ts";
 * const sent: string[] = [];
 * const out = createCellOutput(5, (text) => sent.push(text), globalThis);
 * out.write("hello world");
 * console.log(out.end(), sent); // { omitted: 1, tail: "world" } [ "hello" ]
 * ```
 */
export function createCellOutput(
  cap: number,
  emit: (text: string) => void,
  timers: OutputTimers,
  batchChars = 8192,
  batchMs = 20,
): CellOutput {
  let headChars = 0;
  let pending = "";
  let lastSent = -Infinity;
  let timer: unknown;
  let tail: string[] = [];
  let tailChars = 0;
  let past = 0;

  function flush(): void {
    if (timer !== undefined) {
      timers.clearTimeout(timer as number);
      timer = undefined;
    }
    if (!pending) return;
    const text = pending;
    pending = "";
    lastSent = performance.now();
    emit(text);
  }

  function write(text: string): void {
    if (headChars < cap) {
      const room = cap - headChars;
      const part = text.length <= room ? text : text.slice(0, room);
      pending += part;
      headChars += part.length;
      if (
        pending.length >= batchChars || performance.now() - lastSent >= batchMs
      ) {
        flush();
      } else if (timer === undefined) {
        timer = timers.setTimeout(flush, batchMs);
      }
      if (part.length === text.length) return;
      text = text.slice(part.length);
    }
    past += text.length;
    if (text.length >= cap) {
      tail = [text.slice(text.length - cap)];
      tailChars = cap;
      return;
    }
    tail.push(text);
    tailChars += text.length;
    while (tailChars - tail[0].length >= cap) {
      tailChars -= tail.shift()!.length;
    }
  }

  function end(): { omitted: number; tail: string } {
    flush();
    const kept = tail.join("").slice(-cap);
    return { omitted: past - kept.length, tail: kept };
  }

  return { write, flush, end };
}
