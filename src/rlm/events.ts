/**
 * The typed event stream an RLM run emits. A UI renders these without
 * knowing anything about the loop; headless `stream-json` output prints
 * them one per line.
 *
 * @module
 */

import type { ChatMessage, Usage } from "../lm/types.ts";
import type { CellResult } from "../sandbox/types.ts";

/** Running totals of model usage within a turn. */
export interface UsageTotals extends Usage {
  /** Calls to the main model. */
  lmCalls: number;
  /** Calls to the sub-model (`llm_query`, one per prompt). */
  subLmCalls: number;
}

/** Every event, discriminated by `type`. */
export type RlmEvent =
  /** A message was added to the chat (system, user or assistant), as sent. */
  | {
    type: "message";
    step: number;
    role: ChatMessage["role"];
    content: string;
  }
  /** A new iteration begins: the model is about to be asked for a cell. */
  | { type: "step_start"; step: number; maxSteps: number }
  /** The model server accepted the request and is answering. */
  | { type: "model_start"; step: number }
  /** Text of the model's reply as it streams in. */
  | { type: "model_delta"; step: number; text: string }
  /** The model's whole reply, split into reasoning and code. */
  | { type: "model_reply"; step: number; text: string; reasoning: string }
  /** The code about to run. */
  | { type: "code"; step: number; code: string }
  /** Text the cell printed, as it printed it. */
  | { type: "cell_output"; step: number; text: string }
  /** What the model will see about the cell it wrote. */
  | {
    type: "observation";
    step: number;
    text: string;
    result?: CellResult;
  }
  /** A tool function was called from the cell. */
  | {
    type: "tool_call";
    step: number;
    id: number;
    name: string;
    args: unknown[];
  }
  /** A tool function returned or threw. */
  | {
    type: "tool_result";
    step: number;
    id: number;
    name: string;
    ok: boolean;
    /** The returned text (ok) or the error message (not ok). */
    output: string;
    durationMs: number;
  }
  /** Output a running tool (a command) printed so far, as it arrives. */
  | { type: "tool_output"; step: number; id: number; text: string }
  /** A tool is about to change a file (after any approval): its text before and after. */
  | {
    type: "file_change";
    step: number;
    id: number;
    /** The path as the model gave it. */
    path: string;
    /** The file's text before, or `null` for a new file. */
    before: string | null;
    after: string;
  }
  /** A long tool call reported progress (MCP progress notifications). */
  | {
    type: "tool_progress";
    step: number;
    /** The id of its `tool_call`. */
    id: number;
    name: string;
    /** Work done so far. */
    progress: number;
    /** Total work, when known. */
    total?: number;
    /** What the tool says it is doing. */
    message?: string;
  }
  /** Sub-model prompts were sent (`llm_query` or `llm_query_batched`). */
  | {
    type: "sub_lm_call";
    step: number;
    id: number;
    prompts: string[];
  }
  /** Sub-model answers came back (failed items start with "[ERROR]"). */
  | {
    type: "sub_lm_result";
    step: number;
    id: number;
    answers: string[];
    durationMs: number;
  }
  /** The model submitted valid outputs; the turn ends. */
  | { type: "submit"; step: number; outputs: Record<string, unknown> }
  /** Usage of one model call, and the turn's totals so far. */
  | {
    type: "usage";
    step: number;
    model: string;
    usage: Usage;
    total: UsageTotals;
  }
  /** The model server is being retried after a failure. */
  | {
    type: "retry";
    step: number;
    attempt: number;
    delayMs: number;
    reason: string;
    /** Which model: the main one or the sub-model (`llm_query`). */
    source?: "lm" | "sub_lm";
    /** The server asked to slow down (HTTP 429). */
    rateLimited?: boolean;
    /** The wait the server asked for (`Retry-After`). */
    retryAfterMs?: number;
    /** The reply broke off mid-way: text streamed so far is void. */
    discarded?: boolean;
  }
  /** Something worth one dim line: a limit lowered, a fallback taken, a prompt cut. */
  | { type: "notice"; step: number; code: string; message: string }
  /** Older observations were replaced by stubs to fit the context window. */
  | {
    type: "context_elided";
    step: number;
    /** The cells whose output became a stub (their output stays in `_out[n]`). */
    cells: number[];
    /** Estimated prompt tokens before and after. */
    tokensBefore: number;
    tokensAfter: number;
  }
  /** The model refused the task; the turn ends with an error. */
  | { type: "refusal"; step: number; text: string }
  /** The iteration budget ran out; outputs are extracted from the trajectory. */
  | { type: "extract"; step: number; reason: string }
  /** Something failed; `fatal` ends the turn. */
  | { type: "error"; step: number; message: string; fatal: boolean };

/** A listener for RLM events. */
export type EventSink = (event: RlmEvent) => void;

/** Zero usage totals. */
export function emptyTotals(): UsageTotals {
  return {
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    lmCalls: 0,
    subLmCalls: 0,
  };
}

/**
 * Adds one call's usage to running totals (in place) and returns them.
 *
 * @example
 * ```ts
 * import { addUsage, emptyTotals } from "./events.ts";
 * const totals = addUsage(emptyTotals(), { promptTokens: 5, completionTokens: 2, cachedTokens: 0 }, "lm");
 * console.log(totals.lmCalls); // 1
 * ```
 */
export function addUsage(
  totals: UsageTotals,
  usage: Usage,
  kind: "lm" | "sub_lm",
): UsageTotals {
  totals.promptTokens += usage.promptTokens;
  totals.completionTokens += usage.completionTokens;
  totals.cachedTokens += usage.cachedTokens;
  if (usage.cost !== undefined) totals.cost = (totals.cost ?? 0) + usage.cost;
  if (kind === "lm") totals.lmCalls++;
  else totals.subLmCalls++;
  return totals;
}
