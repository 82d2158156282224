/**
 * `program.json` in the DSPy 3.1.2 state layout of the Python original:
 * one entry per predictor (`agent.generate_action`, `agent.extract`) plus
 * `metadata`, merged into whatever a loaded file held.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import { CODING_INSTRUCTIONS } from "../agent/instructions.ts";
import { REPL_RULES } from "../rlm/prompt.ts";
import { PYTHON } from "../rlm/python_language.ts";
import { VERSION } from "../version.ts";
import { withoutSecrets } from "./secrets.ts";
import type { ProgramState } from "./state.ts";

/** The key of the predictor that writes each cell. */
export const GENERATE_ACTION = "agent.generate_action";
/** The key of the predictor that answers when the cells run out. */
export const EXTRACT = "agent.extract";
/** The DSPy version whose state layout nanocode writes. */
export const DSPY_FORMAT_VERSION = "3.1.2";

/** A signature field as `program.json` lists it (matched by position). */
export interface SavedField {
  /** The field's label in DSPy's prompt, e.g. `Code:`. */
  prefix: string;
  /** What the field holds. */
  description: string;
}

const VARIABLES: SavedField = {
  prefix: "Variables Info:",
  description:
    "The variables the JavaScript REPL holds (task, history and any a cell defined), each with its type, size and a preview.",
};
const HISTORY: SavedField = {
  prefix: "Repl History:",
  description:
    "The cells run so far in this turn: the reasoning and code of each, then what it printed or threw.",
};

/** Fields of `agent.generate_action`: three inputs, then two outputs. */
export const GENERATE_ACTION_FIELDS: readonly SavedField[] = [
  VARIABLES,
  HISTORY,
  {
    prefix: "Iteration:",
    description: "Which cell comes next and how many the turn allows.",
  },
  {
    prefix: "Reasoning:",
    description:
      "What the last output showed and what the next cell should find out or change.",
  },
  {
    prefix: "Code:",
    description:
      "The next cell: JavaScript in one ```js block; call SUBMIT(answer) on its own once the results are in.",
  },
];

/** Fields of `agent.extract`: two inputs, then the answer. */
export const EXTRACT_FIELDS: readonly SavedField[] = [
  VARIABLES,
  HISTORY,
  {
    prefix: "Answer:",
    description:
      "The reply to the user: what was done and found, based on the cells above.",
  },
];

/** The sentence `agent.extract`'s instructions add to the task instructions. */
export const EXTRACT_NOTE =
  "No cells are left to run: from the REPL variables and the cells above, give the best final answer to the task.";

/** The opening of DSPy's RLM action template, which follows the task instructions. */
const DSPY_RLM_OPENING =
  "You are tasked with producing the following outputs given the inputs";
/** The openings of nanocode's REPL rules (older rule texts start the same way). */
const REPL_RULES_OPENINGS = [REPL_RULES, PYTHON.prompt!.rules].map((rules) =>
  rules.split("\n")[0]
);

/** `value` if it is a plain JSON object, else an empty one. */
function object(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? value as Record<string, unknown>
    : {};
}

/** The `lm` entry nanocode writes for `config` (never a key or token). */
function lmState(config: Config): Record<string, unknown> {
  return {
    model: config.lm,
    model_type: "chat",
    cache: true,
    num_retries: 3,
    temperature: null,
    max_tokens: config.max_tokens,
    api_base: config.api_base,
    track_usage: config.track_usage,
  };
}

function predictor(
  saved: Record<string, unknown>,
  fields: readonly SavedField[],
  instructions: string,
  config: Config,
): Record<string, unknown> {
  const signature = object(saved.signature);
  const savedFields = Array.isArray(signature.fields) ? signature.fields : [];
  return {
    traces: [],
    train: [],
    demos: [],
    ...saved,
    signature: {
      ...signature,
      instructions,
      fields: fields.map((f, i) => ({
        ...object(savedFields[i]),
        prefix: f.prefix,
        description: f.description,
      })),
    },
    lm: { ...object(saved.lm), ...lmState(config) },
  };
}

/**
 * The object `program.json` holds for `state`: nanocode's values merged
 * into the preserved file (other predictors, demos, extra keys and
 * metadata stay), with every key naming a secret removed.
 * `metadata.dependency_versions` gets only DSPy's own keys (DSPy's loader
 * looks each saved key up among its installed versions); nanocode's and
 * Deno's versions go to `metadata.nanocode`.
 *
 * @example
 * ```ts
 * import { programJson } from "./program_json.ts";
 * import { defaultProgramState } from "./state.ts";
 * const json = programJson(defaultProgramState());
 * console.log(Object.keys(json)); // ["agent.generate_action", "agent.extract", "metadata"]
 * ```
 */
export function programJson(state: ProgramState): Record<string, unknown> {
  const { metadata, ...saved } = state.preserved?.programJson ?? {};
  const meta = object(metadata);
  const out = {
    ...saved,
    [GENERATE_ACTION]: predictor(
      object(saved[GENERATE_ACTION]),
      GENERATE_ACTION_FIELDS,
      `${state.instructions}\n\n${
        state.config.repl === "python" ? PYTHON.prompt!.rules : REPL_RULES
      }`,
      state.config,
    ),
    [EXTRACT]: predictor(
      object(saved[EXTRACT]),
      EXTRACT_FIELDS,
      `${state.instructions}\n\n${EXTRACT_NOTE}`,
      state.config,
    ),
    metadata: {
      ...meta,
      dependency_versions: {
        ...object(meta.dependency_versions),
        dspy: DSPY_FORMAT_VERSION,
      },
      nanocode: {
        ...object(meta.nanocode),
        version: VERSION,
        deno: Deno.version.deno,
      },
    },
  };
  return withoutSecrets(out);
}

/**
 * Checks a loaded `program.json` and brings it to the nested layout: a
 * flat single-predictor file (the predictor's object at the top level)
 * becomes the `agent.generate_action` entry, its `metadata` staying on top.
 *
 * @throws {TypeError} naming `source` when the file is not a JSON object.
 * @example
 * ```ts
 * import { normalizeProgramJson } from "./program_json.ts";
 * const flat = { demos: [], signature: { instructions: "Hi.", fields: [] }, lm: null };
 * console.log(Object.keys(normalizeProgramJson(flat, "program.json"))); // ["agent.generate_action"]
 * ```
 */
export function normalizeProgramJson(
  raw: unknown,
  source: string,
): Record<string, unknown> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new TypeError(`Invalid ${source}: expected a JSON object`);
  }
  const program = raw as Record<string, unknown>;
  const flat = "signature" in program &&
    typeof program.signature === "object" && program.signature !== null;
  if (!flat) return program;
  const { metadata, ...predictor } = program;
  return metadata === undefined
    ? { [GENERATE_ACTION]: predictor }
    : { [GENERATE_ACTION]: predictor, metadata };
}

/**
 * The task instructions in a (normalized) `program.json`: the text of
 * `agent.generate_action`'s instructions before nanocode's REPL rules or
 * before DSPy's RLM template (which follows the signature's docstring and
 * a blank line), else the whole text. Empty or missing instructions give
 * nanocode's `CODING_INSTRUCTIONS`.
 *
 * @example
 * ```ts
 * import { taskInstructions } from "./program_json.ts";
 * const signature = { instructions: "Be brief.\n\nYou are tasked with producing the following outputs given the inputs `task`:" };
 * console.log(taskInstructions({ "agent.generate_action": { signature } })); // "Be brief."
 * ```
 */
export function taskInstructions(program: Record<string, unknown>): string {
  const text = object(object(program[GENERATE_ACTION]).signature).instructions;
  if (typeof text !== "string") return CODING_INSTRUCTIONS;
  let task = text;
  for (const marker of [...REPL_RULES_OPENINGS, DSPY_RLM_OPENING]) {
    const at = text.indexOf(marker);
    if (at >= 0) {
      task = text.slice(0, at).replace(/\n\n$/, "");
      break;
    }
  }
  return task.trim() === "" ? CODING_INSTRUCTIONS : task;
}
