/**
 * What an {@linkcode RLM} is configured with, what one run takes and what
 * it produces.
 *
 * @module
 */

import type { ChatMessage, LanguageModel } from "../lm/types.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import type { EventSink, UsageTotals } from "./events.ts";
import type { ReplFunction } from "./functions.ts";
import type { VariableView } from "./prompt.ts";
import type { ReplLanguage } from "./repl_language.ts";
import type { Signature } from "./signature.ts";

/** Settings of an {@linkcode RLM}. */
export interface RlmOptions {
  /** The named inputs and outputs and the task instructions. */
  signature: Signature;
  /** The model that writes the cells. */
  lm: LanguageModel;
  /** The model behind `llm_query`; defaults to `lm`. */
  subLm?: LanguageModel;
  /** The REPL the cells run in; it keeps its state across runs. */
  sandbox: Sandbox;
  /** Functions (tools) in the REPL's scope besides the sub-model calls. */
  functions?: ReplFunction[];
  /** Cells per run before the extract call. Default 50. */
  maxIters?: number;
  /** Sub-model prompts per run. Default 50. */
  maxLlmCalls?: number;
  /** Characters of one observation; head and tail are kept. Default 100000. */
  maxOutputChars?: number;
  /** Stream the model's replies (for `model_delta` events). Default true. */
  stream?: boolean;
  /** Most `llm_query_batched` prompts in flight at once (halved on HTTP 429). Default 32. */
  subLmConcurrency?: number;
  /**
   * Replace older observations with stubs pointing at `_out[n]` when the
   * chat nears the model's window. Default true.
   */
  elision?: boolean;
  /** The language the REPL runs, for the reply parser. Default JavaScript. */
  language?: ReplLanguage;
  /** The working directory and platform, shown in the system prompt. */
  environment?: string;
}

/** One iteration of a run. */
export interface Step {
  /** The iteration number, from 1. */
  step: number;
  /** The model's text before its code block. */
  reasoning: string;
  /** The code that ran, if any. */
  code?: string;
  /** What the model was shown about the cell. */
  observation: string;
}

/** Options of one {@linkcode RLM.run}. */
export interface RunOptions {
  /** Aborting ends the run with an `AbortError`. */
  signal?: AbortSignal;
  /** Receives every event of this run. */
  onEvent?: EventSink;
  /** How much of each input the first message shows, by input name. */
  views?: Record<string, VariableView>;
  /** A note for the model, added to the first user message. */
  note?: string;
}

/** What a run produced. */
export interface RlmResult {
  /** The output fields, validated against the signature. */
  outputs: Record<string, unknown>;
  /** Reasoning, code and observation of each step. */
  trajectory: Step[];
  /** Tokens, cost and call counts of the run, main model and sub-model together. */
  usage: UsageTotals;
  /** True when the outputs came from the extract call, not from SUBMIT. */
  extracted: boolean;
  /** The whole chat, in order, as sent to the model. */
  messages: ChatMessage[];
}
