/**
 * The coding agent: the Python original's `RLMCodingProgram`, built on the
 * RLM, the six coding tools and a persistent sandbox.
 *
 * @module
 */

import { type Config, DEFAULT_CONFIG } from "../config/fields.ts";
import { type EnvReader, processEnv } from "../config/paths.ts";
import type { LanguageModel } from "../lm/types.ts";
import {
  emptyTotals,
  type EventSink,
  type UsageTotals,
} from "../rlm/events.ts";
import type { ReplFunction } from "../rlm/functions.ts";
import { RLM, type Step } from "../rlm/rlm.ts";
import { Sandbox } from "../sandbox/sandbox.ts";
import { lazyCodingTools, preloadTools } from "../tools/lazy.ts";
import type { ToolContext } from "../tools/types.ts";
import {
  CODING_INSTRUCTIONS,
  codingSignature,
  withProjectInstructions,
} from "./instructions.ts";
import type { InstructionsFile } from "./project_instructions.ts";
import type { ProgramState } from "../program/state.ts";
import type { PushOptions, PushResult } from "../program/hub.ts";
import { buildLm } from "./lms.ts";
import type { Safety, SafetyOptions, SafetySettings } from "./safety_setup.ts";
import type { UndoResult } from "../safety/snapshots.ts";
import {
  toolFunction,
  type UserFunction,
  userFunction,
} from "./tool_functions.ts";

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
export interface CodingAgentOptions extends SafetySettings {
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
}

const TASK_VIEW = { fullUpTo: 20_000 };

function realWorkspace(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    throw new Error(`The workspace folder ${path} does not exist`);
  }
}
const HISTORY_VIEW = { fullUpTo: 30_000 };

/**
 * A coding agent that works in a folder through a sandboxed JavaScript REPL.
 * Conversation history and REPL state are kept across `forward` calls.
 *
 * @example
 * ```ts ignore
 * import { CodingAgent } from "./coding_agent.ts";
 * const agent = new CodingAgent({ config: { lm: "openrouter/openai/gpt-5.2-codex" } });
 * const { answer } = await agent.forward("What does main.ts do?");
 * console.log(answer);
 * await agent.close();
 * ```
 */
export class CodingAgent {
  /** The configuration in force (change it, then call `reloadLms`). */
  config: Config;
  /** The workspace folder. */
  readonly workspace: string;
  /** Earlier turns, oldest first. */
  history: Turn[] = [];
  /** The REPL the model's cells run in; it keeps its state across turns. */
  readonly sandbox: Sandbox;
  #rlm: RLM;
  #functions = new Map<string, ReplFunction>();
  #env: EnvReader;
  #injectedLm?: LanguageModel;
  #injectedSubLm?: LanguageModel;
  #onEvent?: EventSink;
  #currentSink: EventSink | null = null;
  #currentStep = 0;
  #note: string | undefined;
  /** How to build the safety layer (null when `toolContext` replaces it). */
  #safetyOptions: SafetyOptions | null;
  #safety: Promise<Safety> | null = null;
  #turn = 0;
  #instructions: string;
  #projectInstructions: InstructionsFile[];
  /** Parts of a loaded program nanocode does not use, kept for saving. */
  #preserved: ProgramState["preserved"];

  /**
   * Sets up the tools, the sandbox (its process starts on first use) and the
   * models; throws a `TypeError` when a model built from `config` has a bad
   * name or `api_base`.
   */
  constructor(options: CodingAgentOptions = {}) {
    this.config = { ...DEFAULT_CONFIG, ...options.config };
    this.#instructions = options.instructions ?? CODING_INSTRUCTIONS;
    this.#projectInstructions = options.projectInstructions ?? [];
    this.#env = options.env ?? processEnv;
    this.#injectedLm = options.lm;
    this.#injectedSubLm = options.subLm;
    this.#onEvent = options.onEvent;
    this.workspace = realWorkspace(options.workspace ?? Deno.cwd());
    this.#safetyOptions = options.toolContext ? null : {
      workspace: this.workspace,
      config: this.config,
      env: this.#env,
      approver: options.approver,
      permissions: options.permissions,
      addDirs: options.addDirs,
      envAllow: options.envAllow,
      commandEnv: options.commandEnv,
      snapshotsDir: options.snapshotsDir,
      turn: () => this.#turn,
    };
    const context = options.toolContext ??
      (async (signal: AbortSignal, tool: string) =>
        (await this.#loadSafety())!.contextFor(tool, signal));
    for (const tool of lazyCodingTools()) {
      this.#functions.set(
        tool.name,
        toolFunction(tool, (signal) => context(signal, tool.name)),
      );
    }
    this.sandbox = options.sandbox ?? new Sandbox({
      cellTimeout: this.config.cell_timeout,
      maxOutputChars: this.config.max_output_chars,
    });
    const [lm, subLm] = this.#buildLms();
    this.#rlm = new RLM({
      signature: codingSignature(
        withProjectInstructions(this.#instructions, this.#projectInstructions),
      ),
      lm,
      subLm,
      sandbox: this.sandbox,
      functions: [...this.#functions.values()],
      maxIters: this.config.max_iters,
      maxOutputChars: this.config.max_output_chars,
    });
  }

  /**
   * Starts the sandbox ahead of the first turn (interactive mode calls it
   * while the user types). Optional: `forward` starts it when needed.
   *
   * @throws {Error} when the sandbox process cannot start.
   */
  async warmUp(): Promise<void> {
    await Promise.all([this.sandbox.start(), this.#loadSafety()]);
  }

  /**
   * The safety layer, built on first use (it loads the policy, the file
   * tracker and the snapshot store, which the first model request should
   * not wait for); `null` when a `toolContext` replaces it.
   */
  #loadSafety(): Promise<Safety> | null {
    if (!this.#safetyOptions) return null;
    const options = this.#safetyOptions;
    return this.#safety ??= import("./safety_setup.ts").then((module) =>
      module.setUpSafety(options)
    );
  }

  /** The system prompt the model gets, with the current tools. */
  systemPrompt(): string {
    return this.#rlm.systemPrompt();
  }

  /**
   * Runs one task and returns the answer. An empty task is answered with
   * "No Task Given." without calling the model.
   *
   * @throws {DOMException} `AbortError` when `options.signal` aborts; the
   *   turn is then not added to the history.
   * @throws {Error} when the model server fails after its retries.
   */
  async forward(
    task: string,
    options: ForwardOptions = {},
  ): Promise<ForwardResult> {
    if (!task || !task.trim()) {
      return {
        answer: "No Task Given.",
        trajectory: [],
        usage: emptyTotals(),
        extracted: false,
      };
    }
    // Start the sandbox and load the tools once the model server has the
    // first request: loading them earlier would hold the request back
    // (module evaluation blocks the event loop that sends it).
    this.#turn++;
    let warming = false;
    const warm = () => {
      if (warming) return;
      warming = true;
      this.sandbox.start().catch(() => {});
      preloadTools().catch(() => {});
      this.#loadSafety()?.catch(() => {});
    };
    const sinks = [this.#onEvent, options.onEvent].filter(
      Boolean,
    ) as EventSink[];
    const onEvent: EventSink = (event) => {
      this.#currentStep = event.step;
      if (event.type === "model_start" || event.type === "model_reply") warm();
      for (const sink of sinks) sink(event);
    };
    this.#currentSink = onEvent;
    this.#rlm.maxIters = this.config.max_iters;
    this.#rlm.maxOutputChars = this.config.max_output_chars;
    try {
      const result = await this.#rlm.run(
        { task, history: this.history.map((t) => ({ ...t })) },
        {
          signal: options.signal,
          onEvent,
          views: { task: TASK_VIEW, history: HISTORY_VIEW },
          note: this.#note,
        },
      );
      this.#note = undefined;
      const answer = String(result.outputs.answer ?? "");
      this.history.push({ user: task, answer });
      return {
        answer,
        trajectory: result.trajectory,
        usage: result.usage,
        extracted: result.extracted,
      };
    } finally {
      this.#currentSink = null;
    }
  }

  /** The functions in the REPL's scope besides the sub-model calls, by name. */
  getTools(): Record<string, ReplFunction> {
    return Object.fromEntries(this.#functions);
  }

  /**
   * Adds or replaces a tool. `doc` is `name(params): description` or just
   * a description; it goes into the prompt's function list.
   */
  setTool(name: string, fn: UserFunction, doc: string): void {
    this.#functions.set(name, userFunction(name, fn, doc));
    this.#rlm.functions = [...this.#functions.values()];
  }

  /** Removes a tool; unknown names are ignored. */
  removeTool(name: string): void {
    this.#functions.delete(name);
    this.#rlm.functions = [...this.#functions.values()];
  }

  /** Rebuilds the models from `config` (after changing `config.lm`, say). */
  reloadLms(): void {
    const [lm, subLm] = this.#buildLms();
    this.#rlm.lm = lm;
    this.#rlm.subLm = subLm;
  }

  /** The task instructions (what a saved program carries); setting them updates the prompt. */
  get instructions(): string {
    return this.#instructions;
  }

  set instructions(text: string) {
    this.#instructions = text;
    this.#rlm.signature = codingSignature(
      withProjectInstructions(text, this.#projectInstructions),
    );
  }

  /** The program as it would be saved: config, task instructions, preserved fields. */
  programState(): ProgramState {
    return {
      config: { ...this.config },
      instructions: this.#instructions,
      preserved: this.#preserved,
    };
  }

  /**
   * Saves the program (`config.json` and `program.json` in the DSPy layout
   * the Python original uses) to a folder. No API key is ever written.
   *
   * @example
   * ```ts ignore
   * await agent.savePrecompiled("./my-program");
   * ```
   */
  async savePrecompiled(dir: string): Promise<void> {
    const { savePrecompiled } = await import("../program/precompiled.ts");
    await savePrecompiled(dir, this.programState());
  }

  /**
   * Pushes the program to the Modaic hub (`owner/name`), replacing only the
   * files nanocode owns. Needs `MODAIC_TOKEN`.
   *
   * @example
   * ```ts ignore
   * await agent.pushToHub("me/nanocode", { commitMessage: "tune prompt", branch: "main" });
   * ```
   */
  async pushToHub(
    repo: string,
    options: PushOptions = {},
  ): Promise<PushResult> {
    const { pushToHub } = await import("../program/precompiled.ts");
    return await pushToHub(repo, this.programState(), options);
  }

  /**
   * Builds an agent from a saved program: a local folder or a hub
   * repository `owner/name` at a revision (branch, tag or commit). The
   * program's config applies, then `options.config` on top; its saved
   * instructions replace the task instructions.
   *
   * @example
   * ```ts ignore
   * const agent = await CodingAgent.fromPrecompiled("me/nanocode", { rev: "prod", config: { max_iters: 20 } });
   * ```
   */
  static async fromPrecompiled(
    pathOrRepo: string,
    options: CodingAgentOptions & { rev?: string } = {},
  ): Promise<CodingAgent> {
    const { loadPrecompiled } = await import("../program/precompiled.ts");
    const state = await loadPrecompiled(pathOrRepo, {
      config: options.config,
      rev: options.rev,
    });
    const agent = new CodingAgent({
      ...options,
      config: state.config,
      instructions: state.instructions,
    });
    agent.#preserved = state.preserved;
    return agent;
  }

  /**
   * Restores the workspace's files as they were before the last turn that
   * changed any (changes made by `run_bash` included); `null` when there is
   * nothing to undo or snapshots are off.
   */
  async undo(): Promise<UndoResult | null> {
    const safety = await this.#loadSafety();
    return safety ? await safety.undo() : null;
  }

  /** Changes the permission mode for the calls that follow. */
  setPermissionMode(mode: Config["permission_mode"]): void {
    this.config.permission_mode = mode;
    void this.#safety?.then((safety) => {
      safety.policy.mode = mode;
    }, () => {});
  }

  /**
   * Continues an earlier conversation: `history` comes back, REPL variables
   * do not (the sandbox is fresh), and the model is told so on the next turn.
   */
  async resume(history: Turn[]): Promise<void> {
    this.history = history.map((t) => ({ ...t }));
    await this.sandbox.reset();
    this.#note = history.length
      ? "This session was resumed: `history` holds the earlier turns, but REPL variables and functions from before are gone."
      : undefined;
  }

  /** Forgets the conversation and resets the REPL (all variables go). */
  async clearHistory(): Promise<void> {
    this.history = [];
    this.#note = undefined;
    await this.sandbox.reset();
  }

  /** Stops the sandbox process. */
  async close(): Promise<void> {
    await this.sandbox.close();
  }

  /** Same as {@linkcode CodingAgent.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #buildLms(): [LanguageModel, LanguageModel] {
    const onRetry = (
      info: { attempt: number; delayMs: number; reason: string },
    ) =>
      this.#currentSink?.({ type: "retry", step: this.#currentStep, ...info });
    const lm = this.#injectedLm ??
      buildLm(this.config, this.config.lm, this.#env, onRetry);
    const subLm = this.#injectedSubLm ??
      buildLm(this.config, this.config.sub_lm, this.#env, onRetry);
    return [lm, subLm];
  }
}
