/**
 * The records of a session file: one JSON object per line, appended as
 * things happen.
 *
 * @module
 */

import type { Usage } from "../lm/types.ts";
import type { UsageTotals } from "../rlm/events.ts";

/** The first line of every session file. */
export interface SessionHeader {
  type: "session";
  /** Session id, also the file name without `.jsonl`. */
  id: string;
  /** The folder the session works in. */
  cwd: string;
  /** ISO time the session started. */
  created: string;
  /** nanocode version that wrote it. */
  version: string;
  /** The main model at the start. */
  lm: string;
}

/** Any line of a session file. */
export type SessionRecord =
  | SessionHeader
  /** A user turn began. */
  | { type: "user"; turn: number; text: string; ts: string }
  /** A chat message sent to or received from the model. */
  | { type: "message"; turn: number; role: string; content: string; ts: string }
  /** One step: the code that ran and what the model was shown. */
  | {
    type: "step";
    turn: number;
    step: number;
    reasoning: string;
    code?: string;
    observation: string;
    ts: string;
  }
  /** A tool call, journaled before the tool runs. */
  | {
    type: "tool_call";
    turn: number;
    step: number;
    id: number;
    name: string;
    args: unknown[];
    ts: string;
  }
  /** How a tool call ended. */
  | {
    type: "tool_result";
    turn: number;
    id: number;
    ok: boolean;
    output: string;
    ts: string;
  }
  /** Sub-model prompts sent (with `track_trace`). */
  | {
    type: "sub_lm_call";
    turn: number;
    step: number;
    id: number;
    prompts: string[];
    ts: string;
  }
  /** Sub-model answers received (with `track_trace`). */
  | {
    type: "sub_lm_result";
    turn: number;
    id: number;
    answers: string[];
    durationMs: number;
    ts: string;
  }
  /** Usage of one model call. */
  | { type: "usage"; turn: number; model: string; usage: Usage; ts: string }
  /** The turn's answer. */
  | {
    type: "answer";
    turn: number;
    text: string;
    usage: UsageTotals;
    extracted: boolean;
    ts: string;
  }
  /** The turn ended without an answer. */
  | { type: "interrupted"; turn: number; ts: string }
  | { type: "failed"; turn: number; error: string; ts: string }
  /** The conversation was cleared (`/c`). */
  | { type: "cleared"; ts: string }
  /** The model was switched (`/model`). */
  | { type: "model"; lm: string; ts: string }
  /** Earlier turns were summarised (`/compact`): `history` replaces them. */
  | {
    type: "compacted";
    turns: number;
    history: { user: string; answer: string }[];
    ts: string;
  };
