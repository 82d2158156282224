/**
 * A program folder in the layout the Python original (DSPy 3.1.2 through
 * the `modaic` client) saves, written by hand for tests: the docstring, the
 * filler after DSPy's template marker and all descriptions are our own.
 *
 * @module
 */

/** The Python program's signature docstring (the task instructions). */
export const PYTHON_DOCSTRING =
  "You are a terse coding helper for the café team.\n\nPrefer small diffs; explain each change in one line. ✓";

/** The generate_action instructions as DSPy builds them: docstring, blank line, template. */
export const PYTHON_ACTION_INSTRUCTIONS = `${PYTHON_DOCSTRING}\n\n` +
  "You are tasked with producing the following outputs given the inputs `task`, `history`:\n" +
  "- {answer}\n\n" +
  "Filler standing in for the template's rules: explore first, print what you need, then submit.";

/** `config.json` as the Python original writes it (with `track_trace` and a masked secret). */
export const PYTHON_CONFIG = {
  model: null,
  max_iters: 30,
  lm: "openrouter/anthropic/claude-opus-4.5",
  sub_lm: "openrouter/qwen/qwen-coder",
  api_base: "https://openrouter.ai/api/v1",
  max_tokens: 40000,
  max_output_chars: 90000,
  verbose: true,
  track_usage: true,
  track_trace: false,
  openrouter_api_key: "********",
};

const PY_LM = {
  model: "openrouter/anthropic/claude-opus-4.5",
  model_type: "chat",
  cache: true,
  num_retries: 3,
  temperature: null,
  max_tokens: 40000,
  api_base: "https://openrouter.ai/api/v1",
  track_usage: true,
  api_key: "********",
  reasoning_effort: "high",
};

/** A bootstrapped demo of generate_action. */
export const PYTHON_DEMO = {
  augmented: true,
  variables_info: "task: str = 'list files'",
  repl_history: "(empty)",
  iteration: "1/30",
  reasoning: "Look around first — naïvely.",
  code: "print(glob_files('*'))",
};

/** `program.json` as the Python original writes it (with an extra predictor). */
export const PYTHON_PROGRAM = {
  "agent.generate_action": {
    traces: [],
    train: [],
    demos: [PYTHON_DEMO],
    signature: {
      instructions: PYTHON_ACTION_INSTRUCTIONS,
      fields: [
        { prefix: "Variables Info:", description: "Python-side variables." },
        { prefix: "Repl History:", description: "Python-side history." },
        { prefix: "Iteration:", description: "Python-side counter." },
        { prefix: "Reasoning:", description: "Python-side thinking." },
        { prefix: "Code:", description: "Python-side code.", format: "py" },
      ],
      x_signature_note: "kept",
    },
    lm: PY_LM,
  },
  "agent.extract": {
    traces: [],
    train: [],
    demos: [],
    signature: {
      instructions: `${PYTHON_DOCSTRING}\n\nFiller for the extract template.`,
      fields: [
        { prefix: "Variables Info:", description: "Python-side variables." },
        { prefix: "Repl History:", description: "Python-side history." },
        { prefix: "Answer:", description: "Python-side answer." },
      ],
    },
    lm: null,
  },
  "judge.predict": {
    traces: [],
    train: [{ question: "q", answer: "a" }],
    demos: [],
    signature: {
      instructions: "Judge the answer.",
      fields: [{ prefix: "Question:", description: "The question." }],
    },
    lm: null,
  },
  metadata: {
    dependency_versions: { python: "3.12", dspy: "3.1.2", cloudpickle: "3.1" },
    saved_by: "fixture",
  },
};

/** Python's `json.dumps(value, indent=2)` for ASCII-only data. */
export function pyDump(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\uffff]/g,
    (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"),
  );
}

/** The fixture folder's files. */
export function pythonProgramFiles(): Record<string, string> {
  return {
    "config.json": pyDump(PYTHON_CONFIG),
    "program.json": pyDump(PYTHON_PROGRAM),
  };
}
