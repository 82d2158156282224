/**
 * The program side of a coding agent, as the Python original's
 * `RLMCodingProgram` on `PrecompiledProgram`: its config, task
 * instructions and tools, and saving, pushing and loading its state.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import type { PushOptions, PushResult } from "../program/hub.ts";
import type { InstructionChange } from "../program/python_instructions.ts";
import type { ProgramState } from "../program/state.ts";
import { forRepl } from "../program/program_repl.ts";
import type { ReplFunction } from "../rlm/functions.ts";
import type { UserFunction } from "./tool_functions.ts";
import type { ToolCallable, ToolRegistry } from "./tool_registry.ts";
import {
  loadProgramJson,
  programState,
  pushProgram,
  saveProgram,
} from "./program_files.ts";

/**
 * A program: configuration, task instructions, tools, and whatever a
 * loaded program held that nanocode keeps for saving. `CodingAgent`
 * extends it; subclasses say how new tools, instructions and models take
 * effect.
 *
 * @example
 * ```ts ignore
 * await agent.loadState("./tuned/program.json");
 * await agent.savePrecompiled("./my-program");
 * ```
 */
export abstract class AgentProgram {
  /** The configuration in force (change it, then call `reloadLms`). */
  config: Config;
  #instructions: string;
  /** Parts of a loaded program nanocode does not use, kept for saving. */
  #preserved: ProgramState["preserved"];
  #tools: ToolRegistry | undefined;

  /** Starts with `config` and the task `instructions`. */
  constructor(config: Config, instructions: string) {
    this.config = config;
    this.#instructions = instructions;
  }

  /** The task instructions (what a saved program carries); setting them updates the prompt. */
  get instructions(): string {
    return this.#instructions;
  }

  set instructions(text: string) {
    this.#instructions = text;
    this.applyInstructions(text);
  }

  /** The tools (set by the subclass once it can build them). */
  protected useTools(tools: ToolRegistry): void {
    this.#tools = tools;
  }

  #registry(): ToolRegistry {
    if (!this.#tools) throw new Error("The agent's tools are not set up yet");
    return this.#tools;
  }

  /**
   * The tools as callable functions, by name, as the Python original's
   * `get_tools()`: `await agent.getTools().read_file("a.ts")`. A built-in
   * tool runs through the agent's policy and approvals, as from a cell; a
   * tool added with {@linkcode AgentProgram.setTool} is the function given.
   *
   * @example
   * ```ts ignore
   * const { grep_files } = agent.getTools();
   * console.log(await grep_files("TODO", "src"));
   * ```
   */
  getTools(): Record<string, ToolCallable> {
    return this.#registry().callables();
  }

  /**
   * Adds or replaces a tool. `doc` is optional: `name(params): description`
   * or just a description; without it, the prompt shows the call form read
   * from the function's parameters and a description made from its name.
   *
   * @throws {TypeError} for a reserved name (`SUBMIT`, `print`, `llm_query`,
   *   `llm_query_batched`, `task`, `history`, or a REPL global such as
   *   `console`), a name that is not an identifier, or a non-function.
   * @example
   * ```ts ignore
   * agent.setTool("count_lines", (path: string) => Deno.readTextFileSync(path).split("\n").length);
   * ```
   */
  setTool(name: string, fn: UserFunction, doc?: string): void {
    this.#registry().set(name, fn, doc);
    this.applyTools(this.#registry().functions());
  }

  /** Removes a tool; unknown names are ignored. */
  removeTool(name: string): void {
    this.#registry().remove(name);
    this.applyTools(this.#registry().functions());
  }

  /** Puts the current tools into effect (the REPL's scope and the prompt). */
  protected abstract applyTools(functions: ReplFunction[]): void;

  /** Puts new task instructions into effect (the prompt). */
  protected abstract applyInstructions(text: string): void;

  /** Tells the user what loading changed in a program's instructions. */
  protected abstract reportAdaptations(changes: InstructionChange[]): void;

  /** Rebuilds the models from `config` (after changing `config.lm`, say). */
  abstract reloadLms(): void;

  /** Keeps a loaded program's files for saving (merged with what is kept already). */
  protected keep(preserved: ProgramState["preserved"]): void {
    this.#preserved = { ...this.#preserved, ...preserved };
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
   * files nanocode owns. Needs `MODAIC_TOKEN`. The hub gets nanocode's
   * `config.json` and `program.json` (with the REPL rules for JavaScript
   * cells), never code: a program pushed from nanocode loads in nanocode
   * (`--program`, `fromPrecompiled`), not in Python's `AutoProgram`, which
   * needs the Python code and `auto_classes.json` of a Python push.
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
   * Loads a saved `program.json` (or the one in a folder) into this agent,
   * as the Python original's `load_state`: its task instructions replace
   * the current ones and its other entries are kept for saving, while the
   * models stay those of `config` (the original's LM fix: the config's
   * models win over the `lm` entries saved in the file). Instructions
   * written for DSPy's Python REPL are adapted; with `config.verbose`, what
   * changed is printed.
   *
   * @throws {Deno.errors.NotFound} when there is no such file.
   * @throws {SyntaxError} when the file is not valid JSON.
   * @example
   * ```ts ignore
   * await agent.loadState("./my-program/program.json");
   * ```
   */
  async loadState(path: string): Promise<void> {
    const state = forRepl(await loadProgramJson(path), this.config.repl);
    this.instructions = state.instructions;
    this.keep(state.preserved);
    this.reportAdaptations(state.adaptations ?? []);
    this.reloadLms();
  }
}
