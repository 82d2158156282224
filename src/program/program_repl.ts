/**
 * Which REPL a loaded program was written for, and its instructions for the
 * REPL in force. A program the Python original saved (DSPy's RLM, whose
 * cells are Python run by Pyodide) was written for a Python REPL; one
 * nanocode saved names its REPL in `config.json` (`repl`). Loading adapts
 * Python-REPL instructions to JavaScript (`python_instructions.ts`); with
 * Python cells they are used as written.
 *
 * @module
 */

import type { ReplName } from "../sandbox/types.ts";
import type { ProgramState } from "./state.ts";

/** The opening of DSPy's RLM action template, after the task instructions. */
const DSPY_TEMPLATE = /You are tasked with producing the following outputs/;
/** Words only a Python REPL's instructions use. */
const PYTHON_WORDS = /\bPython\b|\bPyodide\b|\bdef \w+\(|```python\b/;

function object(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

/**
 * Whether a loaded program's instructions were written for DSPy's Python
 * REPL: loading found them speaking of Python (`writtenFor`), or its
 * `program.json` was not saved by nanocode and its action instructions
 * carry DSPy's RLM template, or its code field is Python.
 *
 * @example
 * ```ts
 * import { writtenForPython } from "./program_repl.ts";
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * const programJson = {
 *   "agent.generate_action": { signature: { instructions: "Fix bugs.\n\nYou are tasked with producing the following outputs given the inputs `task`:" } },
 *   metadata: { dependency_versions: { python: "3.12", dspy: "3.1.2" } },
 * };
 * console.log(writtenForPython({ config: { ...DEFAULT_CONFIG }, instructions: "Fix bugs.", preserved: { programJson } })); // true
 * ```
 */
export function writtenForPython(state: ProgramState): boolean {
  if (state.writtenFor === "python") return true;
  const program = object(state.preserved?.programJson);
  if (Object.keys(program).length === 0) return false;
  if (object(program.metadata).nanocode !== undefined) return false;
  const action = object(object(program["agent.generate_action"]).signature);
  const text = typeof action.instructions === "string"
    ? action.instructions
    : "";
  const fields = Array.isArray(action.fields) ? action.fields : [];
  const codeField = fields.map(object).find((f) => f.prefix === "Code:");
  return DSPY_TEMPLATE.test(text) || PYTHON_WORDS.test(text) ||
    codeField?.format === "py" ||
    PYTHON_WORDS.test(String(codeField?.description ?? ""));
}

/**
 * The program as a REPL of `repl` uses it: with Python cells, the task
 * instructions exactly as the program wrote them (no sentence adapted to
 * JavaScript); with JavaScript cells, as loaded.
 *
 * @example
 * ```ts
 * import { forRepl } from "./program_repl.ts";
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * const state = { config: { ...DEFAULT_CONFIG }, instructions: "Write JavaScript code.", originalInstructions: "Write Python code.", adaptations: [] };
 * console.log(forRepl(state, "python").instructions); // "Write Python code."
 * ```
 */
export function forRepl<
  T extends Pick<
    ProgramState,
    "instructions" | "originalInstructions" | "adaptations"
  >,
>(state: T, repl: ReplName): T {
  if (repl !== "python" || state.originalInstructions === undefined) {
    return state;
  }
  return {
    ...state,
    instructions: state.originalInstructions,
    adaptations: [],
  };
}
