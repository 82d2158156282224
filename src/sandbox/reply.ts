/**
 * Host calls from cell code: running the host function and encoding its
 * reply for the sandbox process.
 *
 * @module
 */

import type { ActiveCell } from "./active_cell.ts";
import type { CellError } from "./types.ts";

/** The reply to one host call: a value, or an error the cell sees. */
export interface HostReply {
  /** Whether the host function returned. */
  ok: boolean;
  /** What it returned or resolved to (ok). */
  value?: unknown;
  /** What it threw (not ok), or why it could not run. */
  error?: CellError;
}

const encoder = new TextEncoder();
const STRING_TAG = new Uint8Array([83]); // "S"
const JSON_TAG = new Uint8Array([74]); // "J"

/**
 * The reply to a call whose cell has ended (or lost its process).
 *
 * @example
 * ```ts
 * import { endedReply } from "./reply.ts";
 * console.log(endedReply().error?.message); // "The cell that made this call ended"
 * ```
 */
export function endedReply(): HostReply {
  return {
    ok: false,
    error: { name: "Error", message: "The cell that made this call ended" },
  };
}

/**
 * The reply to a call of a function the cell was not given.
 *
 * @example
 * ```ts
 * import { missingReply } from "./reply.ts";
 * console.log(missingReply("f").error?.name); // "ReferenceError"
 * ```
 */
export function missingReply(name: string): HostReply {
  return {
    ok: false,
    error: {
      name: "ReferenceError",
      message: `${name} is not available in this REPL`,
    },
  };
}

/**
 * Runs one of the cell's host functions. While it runs, aborting
 * `cell.callAbort` aborts the signal it was given (already aborted when the
 * cell's own signal is); a throw becomes an error reply.
 *
 * @example
 * ```ts ignore
 * const reply = await callHost(cell, "read_file", ["a.ts"]);
 * ```
 */
export async function callHost(
  cell: ActiveCell,
  name: string,
  args: unknown[],
): Promise<HostReply> {
  const abort = new AbortController();
  cell.callAbort = abort;
  if (cell.signal?.aborted) abort.abort();
  let reply: HostReply;
  try {
    const value = await cell.functions[name](args, abort.signal);
    reply = { ok: true, value };
  } catch (error) {
    reply = { ok: false, error: toCellError(error) };
  }
  cell.callAbort = undefined;
  return reply;
}

/**
 * Encodes a host-call reply as frame parts: the call id, then either "S"
 * and the UTF-8 text of a string value (no JSON on the hot path for large
 * text), or "J" and a JSON reply.
 *
 * @example
 * ```ts
 * import { encodeReply } from "./reply.ts";
 * const [id, tag] = encodeReply(7, "f", { ok: true, value: "hi" });
 * console.log(id.length, tag[0]); // 4 83
 * ```
 */
export function encodeReply(
  cid: number,
  name: string,
  reply: HostReply,
): Uint8Array[] {
  const id = new Uint8Array(4);
  new DataView(id.buffer).setUint32(0, cid);
  // (A string with lone surrogates has no UTF-8 form: JSON escapes them.)
  if (
    reply.ok && typeof reply.value === "string" && reply.value.isWellFormed()
  ) {
    return [id, STRING_TAG, encoder.encode(reply.value)];
  }
  let json: string;
  try {
    json = JSON.stringify(reply);
  } catch (error) {
    json = JSON.stringify({
      ok: false,
      error: {
        name: "TypeError",
        message: `${name} returned a value that is not JSON: ${
          (error as Error).message
        }`,
      },
    });
  }
  return [id, JSON_TAG, encoder.encode(json)];
}

/**
 * Turns anything thrown into the error a cell sees.
 *
 * @example
 * ```ts
 * import { toCellError } from "./reply.ts";
 * console.log(toCellError(new RangeError("too big")).name); // "RangeError"
 * ```
 */
export function toCellError(error: unknown): CellError {
  if (error instanceof Error) {
    return { name: error.name || "Error", message: error.message };
  }
  return { name: "Error", message: String(error) };
}
