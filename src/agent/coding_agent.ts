/**
 * The coding agent: the Python original's `RLMCodingProgram`, built on the
 * RLM, the six coding tools and a persistent sandbox.
 *
 * @module
 */

import { type Config, DEFAULT_CONFIG } from "../config/fields.ts";
import { type EnvReader, processEnv } from "../config/paths.ts";
import type { LanguageModel } from "../lm/types.ts";
import { emptyTotals, type EventSink } from "../rlm/events.ts";
import type { ReplFunction } from "../rlm/functions.ts";
import { RLM } from "../rlm/rlm.ts";
import { Sandbox } from "../sandbox/sandbox.ts";
import { preloadTools } from "../tools/lazy.ts";
import {
  CODING_INSTRUCTIONS,
  codingSignature,
  withProjectInstructions,
} from "./instructions.ts";
import type { InstructionsFile } from "./project_instructions.ts";
import type { ProgramState } from "../program/state.ts";
import type { PushOptions, PushResult } from "../program/hub.ts";
import { LazySafety, safetyOptions } from "./lazy_safety.ts";
import { type UserCommand, userCommandFor } from "./user_command.ts";
import { programConfigFor } from "../trust/program.ts";
import { environmentLine } from "./environment.ts";
import { buildLms } from "./lms.ts";
import {
  loadProgram,
  programState,
  pushProgram,
  saveProgram,
} from "./program_files.ts";
import { reportingContext } from "./tool_reporting.ts";
import { realWorkspace } from "./workspace.ts";
import { joinNotes, PLAN_MODE_NOTE } from "./plan_mode.ts";
import { compactHistory, type CompactResult } from "./compact.ts";
import type { UndoOptions, UndoPlan, UndoResult } from "../undo/types.ts";
import {
  codingToolFunctions,
  type UserFunction,
  userFunction,
} from "./tool_functions.ts";
import type {
  CodingAgentOptions,
  ForwardOptions,
  ForwardResult,
  Turn,
} from "./types.ts";

const TASK_VIEW = { fullUpTo: 20_000 };

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
  #functions: Map<string, ReplFunction>;
  #env: EnvReader;
  /** Models given in the options (instead of built from `config`). */
  #injected: { lm?: LanguageModel; subLm?: LanguageModel };
  #onEvent?: EventSink;
  #currentSink: EventSink | null = null;
  #currentStep = 0;
  #note: string | undefined;
  /** The safety layer, built on first use (none when `toolContext` replaces it). */
  #safety: LazySafety;
  #turn = 0;
  #task: string | undefined;
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
    this.#injected = { lm: options.lm, subLm: options.subLm };
    this.#onEvent = options.onEvent;
    this.workspace = realWorkspace(options.workspace ?? Deno.cwd());
    this.#safety = new LazySafety(
      options.toolContext ? null : safetyOptions(options, {
        workspace: this.workspace,
        config: this.config,
        env: this.#env,
        turn: () => this.#turn,
        task: () => this.#task,
      }),
    );
    const context = options.toolContext ??
      reportingContext(() => this.#safety.load()!, () => this.#currentSink);
    this.#functions = codingToolFunctions(context);
    this.sandbox = options.sandbox ?? new Sandbox({
      cellTimeout: this.config.cell_timeout,
      maxOutputChars: this.config.max_output_chars,
      cwd: this.workspace,
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
      subLmConcurrency: this.config.sub_lm_concurrency,
      environment: environmentLine(this.workspace),
    });
  }

  /**
   * Starts the sandbox ahead of the first turn (interactive mode calls it
   * while the user types). Optional: `forward` starts it when needed.
   *
   * @throws {Error} when the sandbox process cannot start.
   */
  async warmUp(): Promise<void> {
    await Promise.all([this.sandbox.start(), this.#safety.load()]);
  }

  /**
   * What a command the user typed themselves (`!cmd`) meets: the policy's
   * verdict and the context `run_bash` runs it in; `null` without a safety
   * layer (a `toolContext` option replaced it).
   */
  async userCommand(
    command: string,
    signal: AbortSignal,
    onOutput?: (text: string) => void,
  ): Promise<UserCommand | null> {
    const safety = await this.#safety.load();
    return safety ? userCommandFor(safety, command, signal, onOutput) : null;
  }

  /** The main model's context window in tokens, when its server told or it was learnt. */
  contextWindow(): number | undefined {
    return this.#rlm.lm.budget?.().window;
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
    this.#task = task;
    let warming = false;
    const warm = () => {
      if (warming) return;
      warming = true;
      this.sandbox.start().catch(() => {});
      preloadTools().catch(() => {});
      this.#safety.load()?.catch(() => {});
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
    this.#rlm.subLmConcurrency = this.config.sub_lm_concurrency;
    try {
      const result = await this.#rlm.run(
        { task, history: this.history.map((t) => ({ ...t })) },
        {
          signal: options.signal,
          onEvent,
          views: { task: TASK_VIEW, history: HISTORY_VIEW },
          note: joinNotes(
            this.#note,
            this.config.permission_mode === "plan" ? PLAN_MODE_NOTE : undefined,
            options.note,
          ),
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
      // What the turn left, so later changes by others are told apart.
      await this.#safety.finishTurn(this.#turn);
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
    return programState(this.config, this.#instructions, this.#preserved);
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
    await saveProgram(dir, this.programState());
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
    return await pushProgram(repo, this.programState(), options);
  }

  /**
   * Builds an agent from a saved program: a local folder or a hub
   * repository `owner/name` at a revision (branch, tag or commit). The
   * program's config applies, then `options.config` on top; its saved
   * instructions replace the task instructions. A program never sets the
   * permission mode, and one that would send requests (or a key) to
   * another endpoint than `options.config` names throws before any
   * request is made.
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
    const state = await loadProgram(pathOrRepo, { rev: options.rev });
    const agent = new CodingAgent({
      ...options,
      // Instructions and model choices, never policy or another endpoint.
      config: programConfigFor(
        pathOrRepo,
        state,
        options.config ?? {},
        DEFAULT_CONFIG,
        options.env ?? processEnv,
      ),
      instructions: state.instructions,
    });
    agent.#preserved = state.preserved;
    return agent;
  }

  /**
   * What {@linkcode CodingAgent.undo} would do now: the files the session's
   * last turn changed that would be put back or removed, and those changed
   * again since (kept unless `overwrite`). `null` when this session has
   * nothing to undo or snapshots are off.
   *
   * @example
   * ```ts ignore
   * const plan = await agent.planUndo();
   * if (plan && confirm(`restore ${plan.restore.length} files?`)) await agent.undo({ plan });
   * ```
   */
  async planUndo(): Promise<UndoPlan | null> {
    return await this.#safety.plan("undo");
  }

  /**
   * Undoes this session's last turn not yet undone (changes made by
   * `run_bash`, and to `.git`, included); files changed after that turn
   * are kept unless `options.overwrite`. `null` when there is nothing to
   * undo or snapshots are off.
   */
  async undo(options: UndoOptions = {}): Promise<UndoResult | null> {
    return await this.#safety.apply("undo", options);
  }

  /** What {@linkcode CodingAgent.redo} would do now; `null` when there is no undo to redo. */
  async planRedo(): Promise<UndoPlan | null> {
    return await this.#safety.plan("redo");
  }

  /** Reverses this session's last undo (files changed since are kept unless `options.overwrite`). */
  async redo(options: UndoOptions = {}): Promise<UndoResult | null> {
    return await this.#safety.apply("redo", options);
  }

  /** Changes the permission mode for the calls that follow. */
  setPermissionMode(mode: Config["permission_mode"]): void {
    this.config.permission_mode = mode;
    this.#safety.setMode(mode);
  }

  /**
   * Continues an earlier conversation: `history` comes back, REPL variables
   * do not (the sandbox is fresh), and the model is told so on the next turn.
   */
  async resume(history: Turn[], sessionId?: string): Promise<void> {
    this.history = history.map((t) => ({ ...t }));
    // Undo follows the resumed session; turn numbers continue its own.
    if (sessionId) this.#safety.setSession(sessionId);
    this.#turn = Math.max(this.#turn, history.length);
    await this.sandbox.reset();
    this.#note = history.length
      ? "This session was resumed: `history` holds the earlier turns, but REPL variables and functions from before are gone."
      : undefined;
  }

  /**
   * Summarises the conversation so far into one turn of `history` (REPL
   * variables stay); `null` when there is nothing to compact.
   *
   * @throws {Error} when the model call fails (the history is then unchanged).
   */
  async compact(signal?: AbortSignal): Promise<CompactResult | null> {
    if (this.history.length === 0) return null;
    const result = await compactHistory(this.#rlm.lm, this.history, signal);
    this.history = result.history;
    return result;
  }

  /** Forgets the conversation and resets the REPL (all variables go). */
  async clearHistory(): Promise<void> {
    this.history = [];
    this.#note = undefined;
    await this.sandbox.reset();
  }

  /** Stops the sandbox process and background snapshot work. */
  async close(): Promise<void> {
    await this.#safety.close();
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
    return buildLms(this.config, this.#env, this.#injected, onRetry);
  }
}
