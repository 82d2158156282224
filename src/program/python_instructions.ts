/**
 * Task instructions written for DSPy's Python REPL, made to fit nanocode's
 * JavaScript one: sentences that name Python as the cells' language are
 * translated, sentences that only make sense in Python (pip, Pyodide,
 * f-strings, Python imports) and DSPy's list of the Python tools'
 * signatures are dropped, and every change is reported.
 *
 * @module
 */

/** One sentence that loading changed. */
export interface InstructionChange {
  /** `translated` (rewritten for JavaScript) or `dropped`. */
  kind: "translated" | "dropped";
  /** The sentence as the program had it. */
  before: string;
  /** The sentence as nanocode uses it (absent when dropped). */
  after?: string;
}

/** What {@linkcode adaptPythonInstructions} gives back. */
export interface AdaptedInstructions {
  /** The instructions for the JavaScript REPL. */
  text: string;
  /** The sentences changed, in order. */
  changes: InstructionChange[];
  /** `python` when the text was written for a Python REPL, else `javascript`. */
  writtenFor: "python" | "javascript";
}

/** Sentences that only make sense with Python cells. */
const PYTHON_ONLY: readonly RegExp[] = [
  /\bpip3? install\b/i,
  /\bpyodide\b/i,
  /\bf-strings?\b/i,
  /\b(?:list|dict|set) comprehensions?\b/i,
  /\bpython(?:'s)? standard librar(?:y|ies)\b/i,
  /\bstandard librar(?:y|ies): (?:re|json|collections|math)\b/i,
  /`?\bimport (?:re|json|os|sys|math|collections|itertools|subprocess|pathlib)\b`?/,
  /`?\bfrom [a-z_.]+ import \w/,
  /\b__name__\b|\bif __name__\b/,
  /\bpython3?\s+-c\b/i,
];

/**
 * The heading of the tool list DSPy's RLM appends to its instructions,
 * and one line of that list (`- \`name(a: str) -> str\` - what it does`):
 * Python signatures that contradict the tool docs nanocode gives.
 */
const DSPY_TOOLS_HEADING =
  "Additional tools available (use these instead of standard library equivalents):";
const DSPY_TOOL_LINE = /^- `[A-Za-z_]\w*\([^`]*\)(?: -> [^`]+)?` - /;

/** Rewrites that turn a Python-REPL sentence into a JavaScript-REPL one. */
const TRANSLATIONS: readonly [RegExp, string][] = [
  [/\b(?:standard|plain|pure|regular) python code\b/gi, "JavaScript code"],
  [/\bpython code\b/gi, "JavaScript code"],
  [
    /\bpython (repl|sandbox|interpreter|environment|cells?|snippets?)\b/gi,
    "JavaScript $1",
  ],
  [/\bwrite python\b/gi, "write JavaScript"],
  [/\b(in|with|using) python\b/gi, "$1 JavaScript"],
  [/```(?:python|py)\b/g, "```js"],
  [/\b([a-z_]\w*)=True\b/g, "$1=true"],
  [/\b([a-z_]\w*)=False\b/g, "$1=false"],
  [/`None`/g, "`null`"],
];

/** Splits a line into sentences, keeping each one's trailing space. */
function sentences(line: string): string[] {
  return line.match(/[^.!?]+(?:[.!?]+(?=\s|$)\s*|[.!?]+|$)|[.!?]+\s*/g) ??
    [line];
}

/**
 * Adapts task instructions written for DSPy's Python REPL to nanocode's
 * JavaScript REPL. Text that does not mention Python comes back unchanged
 * with `writtenFor: "javascript"`.
 *
 * @example
 * ```ts
 * import { adaptPythonInstructions } from "./python_instructions.ts";
 * const adapted = adaptPythonInstructions(
 *   "Standard Python code you write runs in a sandbox. Use f-strings for output.",
 * );
 * console.log(adapted.text); // "JavaScript code you write runs in a sandbox."
 * console.log(adapted.changes.map((c) => c.kind)); // ["translated", "dropped"]
 * ```
 */
export function adaptPythonInstructions(text: string): AdaptedInstructions {
  const writtenFor =
    /\bpython\b|\bpyodide\b/i.test(text) || text.includes(DSPY_TOOLS_HEADING)
      ? "python"
      : "javascript";
  if (writtenFor === "javascript") return { text, changes: [], writtenFor };
  const changes: InstructionChange[] = [];
  let inToolList = false;
  const lines = text.split("\n").map((line) => {
    const trimmed = line.trim();
    inToolList = trimmed === DSPY_TOOLS_HEADING ||
      (inToolList && DSPY_TOOL_LINE.test(trimmed));
    if (inToolList) {
      changes.push({ kind: "dropped", before: trimmed });
      return null;
    }
    if (line.trim() === "") return line;
    const indent = line.match(/^\s*/)![0];
    const kept = sentences(line.slice(indent.length)).flatMap((sentence) => {
      const trimmed = sentence.trim();
      if (PYTHON_ONLY.some((pattern) => pattern.test(trimmed))) {
        changes.push({ kind: "dropped", before: trimmed });
        return [];
      }
      let after = sentence;
      for (const [pattern, replacement] of TRANSLATIONS) {
        after = after.replace(pattern, replacement);
      }
      if (after !== sentence) {
        changes.push({
          kind: "translated",
          before: trimmed,
          after: after.trim(),
        });
      }
      return [after];
    });
    return kept.length ? indent + kept.join("").trimEnd() : null;
  }).filter((line): line is string => line !== null);
  return { text: lines.join("\n").trim(), changes, writtenFor };
}

/**
 * One line per change, for `--verbose`: `translated: "..." → "..."` or
 * `dropped: "..."`.
 *
 * @example
 * ```ts
 * import { describeChanges } from "./python_instructions.ts";
 * console.log(describeChanges([{ kind: "dropped", before: "Use f-strings." }])); // ['dropped: "Use f-strings."']
 * ```
 */
export function describeChanges(changes: InstructionChange[]): string[] {
  return changes.map((change) =>
    change.kind === "dropped"
      ? `dropped: ${JSON.stringify(change.before)}`
      : `translated: ${JSON.stringify(change.before)} → ${
        JSON.stringify(change.after)
      }`
  );
}
