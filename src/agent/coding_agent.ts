/**
 * The coding agent: the Python original's `RLMCodingProgram`, built on the
 * RLM, the six coding tools and a persistent sandbox.
 *
 * @module
 */

import { type Config, DEFAULT_CONFIG } from "../config/fields.ts";
import { type EnvReader, processEnv } from "../config/paths.ts";
import type { LanguageModel } from "../lm/types.ts";
import type { EventSink } from "../rlm/events.ts";
import type { ReplFunction } from "../rlm/functions.ts";
import { RLM } from "../rlm/rlm.ts";
import { Sandbox } from "../sandbox/sandbox.ts";
import { replLanguage } from "../rlm/python_language.ts";
import { preloadTools } from "../tools/lazy.ts";
import {
  CODING_INSTRUCTIONS,
  codingSignature,
  withProjectInstructions,
} from "./instructions.ts";
import type { InstructionsFile } from "./project_instructions.ts";
import type { InstructionChange } from "../program/python_instructions.ts";
import { AgentProgram } from "./agent_program.ts";
import { LazySafety, safetyOptions } from "./lazy_safety.ts";
import { LazyMcp } from "./lazy_mcp.ts";
import { type UserCommand, userCommandFor } from "./user_command.ts";
import { reportingContext } from "./tool_reporting.ts";
import { joinNotes, PLAN_MODE_NOTE } from "./plan_mode.ts";
import { compactHistory, type CompactResult } from "./compact.ts";
import { programConfigFor } from "../trust/program.ts";
import { forRepl } from "../program/program_repl.ts";
import { environmentLine } from "./environment.ts";
import { buildLms } from "./lms.ts";
import { loadProgram } from "./program_files.ts";
import type { UndoOptions, UndoPlan, UndoResult } from "../undo/types.ts";
import { codingToolFunctions } from "./tool_functions.ts";
import { ToolRegistry } from "./tool_registry.ts";
import { VerboseReporter } from "./verbose_log.ts";
import { traceTurn } from "./trace_spans.ts";
import { noTaskResult, turnSink } from "./turn_events.ts";
import { realWorkspace } from "./workspace.ts";
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
 * Like the Python original, `forward` is stateless by default: each call
 * starts with an empty `history` and a fresh REPL. Pass
 * `conversation: true` (or set {@linkcode CodingAgent.conversation}) to
 * keep a conversation: then history and REPL state carry over from one
 * `forward` to the next, as in the interactive CLI.
 *
 * @example One task at a time
 * ```ts ignore
 * import { CodingAgent } from "./coding_agent.ts";
 * const agent = new CodingAgent({ config: { lm: "openrouter/openai/gpt-5.2-codex" } });
 * const { answer } = await agent.forward("What does main.ts do?");
 * console.log(answer);
 * await agent.close();
 * ```
 *
 * @example A conversation
 * ```ts ignore
 * import { CodingAgent } from "./coding_agent.ts";
 * await using agent = new CodingAgent({ conversation: true });
 * await agent.forward("Find the failing test.");
 * await agent.forward("Now fix it."); // sees the first turn in `history`, and its variables
 * ```
 */
export class CodingAgent extends AgentProgram {
  /** The workspace folder. */
  readonly workspace: string;
  /**
   * Earlier turns of the conversation, oldest first (stays empty unless
   * {@linkcode CodingAgent.conversation} is on).
   */
  history: Turn[] = [];
  /**
   * Whether `forward` keeps a conversation: history and REPL state carry
   * over to the next call. Off by default (each call is independent).
   */
  conversation: boolean;
  /** The REPL the model's cells run in; it keeps its state across turns. */
  readonly sandbox: Sandbox;
  #rlm: RLM;
  /** Where `config.verbose` writes. */
  #verbose: VerboseReporter;
  /** Whether cells ran since the REPL was last fresh. */
  #replUsed = false;
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
  #projectInstructions: InstructionsFile[];
  /** The MCP servers (started by the first turn). */
  #mcp: LazyMcp;
  #mcpFunctions: ReplFunction[] = [];
  /** The registry's tools as last put into effect (MCP functions come after). */
  #toolFunctions: ReplFunction[] = [];

  /**
   * Sets up the tools, the sandbox (its process starts on first use) and the
   * models; throws a `TypeError` when a model built from `config` has a bad
   * name or `api_base`.
   */
  constructor(options: CodingAgentOptions = {}) {
    super(
      { ...DEFAULT_CONFIG, ...options.config },
      options.instructions ?? CODING_INSTRUCTIONS,
    );
    this.#projectInstructions = options.projectInstructions ?? [];
    this.#env = options.env ?? processEnv;
    this.#injected = { lm: options.lm, subLm: options.subLm };
    this.#onEvent = options.onEvent;
    this.conversation = options.conversation ?? false;
    this.#verbose = new VerboseReporter(options.verboseOutput, this.#env);
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
    const tools = new ToolRegistry(
      codingToolFunctions(context),
      codingSignature().inputs.map((f) => f.name),
    );
    this.useTools(tools);
    this.#mcp = new LazyMcp(options, {
      lookup: this.#env,
      commandEnv: options.commandEnv,
      envAllow: options.envAllow,
      cwd: this.workspace,
      context,
      onToolsChanged: () => this.#setMcpFunctions(this.#mcp.functions()),
    });
    this.sandbox = options.sandbox ?? new Sandbox({
      cellTimeout: this.config.cell_timeout,
      maxOutputChars: this.config.max_output_chars,
      cwd: this.workspace,
      repl: this.config.repl,
    });
    const [lm, subLm] = this.#buildLms();
    this.#rlm = new RLM({
      signature: codingSignature(
        withProjectInstructions(this.instructions, this.#projectInstructions),
      ),
      lm,
      subLm,
      sandbox: this.sandbox,
      functions: this.#toolFunctions = tools.functions(),
      maxIters: this.config.max_iters,
      maxOutputChars: this.config.max_output_chars,
      subLmConcurrency: this.config.sub_lm_concurrency,
      environment: environmentLine(this.workspace),
      language: replLanguage(this.sandbox.repl),
    });
  }

  /**
   * Gets ready for the first turn (interactive mode calls it while the user
   * types): starts the sandbox, loads the tools and the safety layer, builds
   * the model client. Sends nothing to the model server. Optional: `forward`
   * does what is still missing.
   *
   * @throws {Error} when the sandbox process cannot start.
   */
  async warmUp(): Promise<void> {
    this.#rlm.lm.prepare?.();
    await Promise.all([
      this.sandbox.start(),
      this.#safety.load(),
      preloadTools(),
    ]);
  }

  /** The main model's context window in tokens, when known (listed or learnt). */
  contextWindow(): number | undefined {
    return this.#rlm.lm.budget?.().window;
  }

  /** How the policy judges a command the user runs (`!cmd`), and its context; `null` without a safety layer. */
  async userCommand(
    command: string,
    signal: AbortSignal,
    onOutput?: (text: string) => void,
  ): Promise<UserCommand | null> {
    const safety = await this.#safety.load();
    return safety ? userCommandFor(safety, command, signal, onOutput) : null;
  }

  /** Summarises `history` into one turn (REPL state stays); `null` when empty. Throws when the model fails. */
  async compact(signal?: AbortSignal): Promise<CompactResult | null> {
    if (this.history.length === 0) return null;
    const result = await compactHistory(this.#rlm.lm, this.history, signal);
    this.history = result.history;
    return result;
  }

  /** The system prompt the model gets, with the current tools. */
  systemPrompt(): string {
    return this.#rlm.systemPrompt();
  }

  /**
   * Runs one task and returns the answer ("No Task Given." for an empty
   * one, without calling the model). It starts from an empty `history` and
   * a fresh REPL unless {@linkcode CodingAgent.conversation} is on. With
   * `config.verbose`, each step goes to standard error (or `verboseOutput`).
   *
   * @throws {DOMException} `AbortError` when `options.signal` aborts; the
   *   turn is then not added to the history.
   * @throws {Error} when the model server fails after its retries.
   */
  async forward(
    task: string,
    options: ForwardOptions = {},
  ): Promise<ForwardResult> {
    if (!task || !task.trim()) return noTaskResult();
    // Start the sandbox and load the tools once the model server has the
    // first request: loading them earlier would hold the request back
    // (module evaluation blocks the event loop that sends it).
    this.#turn++;
    this.#task = task;
    if (!this.conversation && this.#replUsed) {
      this.#replUsed = false;
      await this.sandbox.reset();
    }
    const verbose = this.#verbose.sink(this.config.verbose);
    const trace = this.config.track_trace
      ? traceTurn(task, this.config)
      : undefined;
    const onEvent = turnSink({
      onEvent: (event) => {
        this.#currentStep = event.step;
        if (event.type === "code") this.#replUsed = true;
      },
      onModelAnswering: () => {
        this.sandbox.start().catch(() => {});
        preloadTools().catch(() => {});
        this.#safety.load()?.catch(() => {});
      },
    }, [this.#onEvent, options.onEvent, verbose, trace?.sink]);
    this.#currentSink = onEvent;
    this.#rlm.maxIters = this.config.max_iters;
    this.#rlm.maxOutputChars = this.config.max_output_chars;
    this.#rlm.subLmConcurrency = this.config.sub_lm_concurrency;
    try {
      if (this.#mcp.enabled) {
        // The servers start now: the sandbox can start meanwhile.
        this.sandbox.start().catch(() => {});
        this.#safety.load()?.catch(() => {});
      }
      const mcp = await this.#mcp.prepare(options.signal);
      if (mcp) {
        for (const message of mcp.failures) {
          onEvent({ type: "error", step: 0, message, fatal: false });
        }
        this.#setMcpFunctions(mcp.functions);
      }
      const history = this.conversation ? this.history : [];
      const result = await this.#rlm.run(
        { task, history: history.map((t) => ({ ...t })) },
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
      if (this.conversation) this.history.push({ user: task, answer });
      trace?.answered(answer, result.usage);
      return {
        answer,
        trajectory: result.trajectory,
        usage: result.usage,
        extracted: result.extracted,
      };
    } catch (error) {
      trace?.failed(error);
      throw error;
    } finally {
      this.#currentSink = null;
      // What the turn left, so later changes by others are told apart.
      await this.#safety.finishTurn(this.#turn);
    }
  }

  #setMcpFunctions(functions: ReplFunction[]): void {
    this.#mcpFunctions = functions;
    this.#rlm.functions = [...this.#toolFunctions, ...functions];
  }

  /** Rebuilds the models from `config` (after changing `config.lm`, say). */
  override reloadLms(): void {
    const [lm, subLm] = this.#buildLms();
    this.#rlm.lm = lm;
    this.#rlm.subLm = subLm;
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
    const loaded = await loadProgram(pathOrRepo, { rev: options.rev });
    // Instructions and model choices, never policy or another endpoint.
    const config = programConfigFor(
      pathOrRepo,
      loaded,
      options.config ?? {},
      DEFAULT_CONFIG,
      options.env ?? processEnv,
    );
    const state = forRepl(loaded, config.repl);
    const agent = new CodingAgent({
      ...options,
      config,
      instructions: state.instructions,
    });
    agent.keep(state.preserved);
    agent.reportAdaptations(state.adaptations ?? []);
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
   * Continues an earlier conversation (turning
   * {@linkcode CodingAgent.conversation} on): `history` comes back, REPL
   * variables do not (the sandbox is fresh), and the model is told so on
   * the next turn.
   */
  async resume(history: Turn[], sessionId?: string): Promise<void> {
    this.conversation = true;
    this.history = history.map((t) => ({ ...t }));
    // Undo follows the resumed session; turn numbers continue its own.
    if (sessionId) this.#safety.setSession(sessionId);
    this.#turn = Math.max(this.#turn, history.length);
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

  /** Stops the sandbox process, background snapshot work, the command sandbox's temporary folder and the MCP servers. */
  async close(): Promise<void> {
    await this.#safety.close();
    await Promise.all([this.sandbox.close(), this.#mcp.close()]);
  }

  /** Same as {@linkcode CodingAgent.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Puts the current tools into the REPL's scope and the prompt. */
  protected override applyTools(functions: ReplFunction[]): void {
    this.#toolFunctions = functions;
    this.#rlm.functions = [...functions, ...this.#mcpFunctions];
  }

  /** Puts new task instructions into the prompt. */
  protected override applyInstructions(text: string): void {
    this.#rlm.signature = codingSignature(
      withProjectInstructions(text, this.#projectInstructions),
    );
  }

  /** With `config.verbose`, says which sentences of a loaded program were adapted. */
  protected override reportAdaptations(changes: InstructionChange[]): void {
    this.#verbose.programNotes(this.config.verbose, changes);
  }

  #buildLms(): [LanguageModel, LanguageModel] {
    const onRetry = (
      info: { attempt: number; delayMs: number; reason: string },
    ) =>
      this.#currentSink?.({ type: "retry", step: this.#currentStep, ...info });
    return buildLms(this.config, this.#env, this.#injected, onRetry);
  }
}
