/**
 * What a {@linkcode CodingAgent} is configured with, what one turn takes
 * and what it returns.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import type { LanguageModel } from "../lm/types.ts";
import type { EventSink, UsageTotals } from "../rlm/events.ts";
import type { Step } from "../rlm/types.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import type { ToolContext } from "../tools/types.ts";
import type { InstructionsFile } from "./project_instructions.ts";
import type { SafetySettings } from "./safety_setup.ts";
import type { McpSettings } from "../mcp/session.ts";

/** One earlier turn of the conversation, as cells see it in `history`. */
export interface Turn {
  /** The task the user gave in that turn. */
  user: string;
  /** The agent's answer to it. */
  answer: string;
}

/** What `forward` returns. */
export interface ForwardResult {
  /** The agent's answer: the `answer` output, as a string. */
  answer: string;
  /** Reasoning, code and observation of each step. */
  trajectory: Step[];
  /** Tokens, cost and call counts of this turn, main model and sub-model together. */
  usage: UsageTotals;
  /** True when the answer came from the extract call after `max_iters`. */
  extracted: boolean;
}

/** Options of {@linkcode CodingAgent}. */
export interface CodingAgentOptions extends SafetySettings, McpSettings {
  /** Config fields; missing ones take the defaults. */
  config?: Partial<Config>;
  /** The folder tools work in (relative paths, `run_bash`'s cwd). Default: the current folder. */
  workspace?: string;
  /** The main model; default built from `config.lm`. */
  lm?: LanguageModel;
  /** The sub-model; default built from `config.sub_lm`. */
  subLm?: LanguageModel;
  /** Where API keys are read from. Default: the process environment. */
  env?: EnvReader;
  /** The REPL; default a new {@linkcode Sandbox} with `config.cell_timeout`. */
  sandbox?: Sandbox;
  /** Receives every event of every turn. */
  onEvent?: EventSink;
  /**
   * Keep a conversation: each `forward` sees the earlier turns in
   * `history` and the REPL variables they left, and is added to
   * `agent.history`. Default `false`: every `forward` is independent, as
   * in the Python original (the CLI turns it on).
   */
  conversation?: boolean;
  /**
   * Where `config.verbose` writes each step (reasoning, code, output, tool
   * calls, sub-model queries and results). Default: standard error. `null`
   * turns it off (for callers that render the events themselves, like the
   * CLI).
   */
  verboseOutput?: ((text: string) => void) | null;
  /**
   * Task instructions at the top of the system prompt (the part a saved
   * program carries). Default {@linkcode CODING_INSTRUCTIONS}.
   */
  instructions?: string;
  /** Project instructions (AGENTS.md files) added after the task instructions; not saved with a program. */
  projectInstructions?: InstructionsFile[];
  /**
   * Builds the tool context for each call, replacing the safety layer
   * entirely (tests, embedders with their own policy).
   */
  toolContext?: (
    signal: AbortSignal,
    tool: string,
  ) => ToolContext | Promise<ToolContext>;
}

/** Options of one {@linkcode CodingAgent.forward} call. */
export interface ForwardOptions {
  /** Aborting ends the turn with an `AbortError`; the turn is not added to the history. */
  signal?: AbortSignal;
  /** Receives this turn's events (besides the agent's `onEvent`). */
  onEvent?: EventSink;
  /** A note for the model in this turn's first message (mentioned files, say). */
  note?: string;
}
