/**
 * What a saved nanocode program holds.
 *
 * @module
 */

import { type Config, DEFAULT_CONFIG } from "../config/fields.ts";
import { CODING_INSTRUCTIONS } from "../agent/instructions.ts";
import type { InstructionChange } from "./python_instructions.ts";

/**
 * A program as `config.json` and `program.json` hold it: the config, the
 * task instructions, and whatever a loaded file held that nanocode does
 * not understand (kept so that saving again loses nothing).
 *
 * @example
 * ```ts
 * import type { ProgramState } from "./state.ts";
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * const state: ProgramState = { config: { ...DEFAULT_CONFIG }, instructions: "Fix bugs." };
 * ```
 */
export interface ProgramState {
  /** The config fields. */
  config: Config;
  /**
   * The task instructions (nanocode's `CODING_INSTRUCTIONS` by default),
   * without the REPL rules, which are always added when prompting.
   */
  instructions: string;
  /**
   * The REPL language the loaded instructions were written for: `python`
   * for a program made for DSPy's Python REPL (its Python-specific
   * sentences were then translated or dropped, see `adaptations`). A
   * runtime with Python cells can select itself from this and use
   * `originalInstructions` as written.
   */
  writtenFor?: "python" | "javascript";
  /** The task instructions exactly as the loaded file had them (before any adaptation). */
  originalInstructions?: string;
  /** Sentences loading translated or dropped (shown by `--verbose`). */
  adaptations?: InstructionChange[];
  /** The parsed files as loaded, for the fields nanocode keeps but ignores. */
  preserved?: {
    /** `config.json` as loaded. */
    configJson?: Record<string, unknown>;
    /** `program.json` as loaded (a flat layout moved under `agent.generate_action`). */
    programJson?: Record<string, unknown>;
  };
}

/**
 * A program state with nanocode's defaults, optionally with some config
 * fields changed.
 *
 * @example
 * ```ts
 * import { defaultProgramState } from "./state.ts";
 * console.log(defaultProgramState({ max_iters: 10 }).config.max_iters); // 10
 * ```
 */
export function defaultProgramState(
  config: Partial<Config> = {},
): ProgramState {
  return {
    config: { ...DEFAULT_CONFIG, ...config },
    instructions: CODING_INSTRUCTIONS,
  };
}
