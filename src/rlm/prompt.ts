/**
 * The RLM's prompt: a system message (task instructions, the REPL rules and
 * the functions in scope) and a first user message (the variables). Later
 * messages are the model's replies and the observations, appended in order
 * and never rewritten, so a provider's prefix cache keeps applying.
 *
 * @module
 */

import type { Field, Signature } from "./signature.ts";
import type { ReplLanguage } from "./repl_language.ts";
import { submitSignature, typeName } from "./signature.ts";

/** A function in the REPL's scope, as the prompt documents it. */
export interface FunctionDoc {
  /** Call form, e.g. `read_file(path, offset?, limit?)`. */
  signature: string;
  /** What it does, one line. */
  description: string;
  /** What it returns, e.g. `string[] of paths`. */
  returns?: string;
  /** What a failure looks like. */
  fails?: string;
  /** `false`: callable but not in the list (documented elsewhere). */
  listed?: boolean;
}

/** Limits the prompt mentions. */
export interface PromptLimits {
  maxIters: number;
  maxLlmCalls: number;
  maxOutputChars: number;
}

/**
 * The REPL rules, in the model's terms. Exported so saved programs can keep
 * or replace the task instructions while these stay in force.
 */
export const REPL_RULES =
  `You work by writing JavaScript that runs in a persistent REPL, one cell per reply.
- Each reply: a few lines of reasoning, then exactly one \`\`\`js code block. You then see what the cell printed, its last expression's value and any error, and write the next cell.
- Top-level declarations (const, let, function, class) persist across cells and turns; declaring a name again is fine. Top-level await works; TypeScript annotations are accepted.
- The REPL itself has no file, network or process access: use the functions below for anything outside it.
- Print only what you need to see; long output is cut in the middle.
- Finish by calling SUBMIT in a cell of its own, after you have seen the results you rely on. Code after SUBMIT does not run.`;

/** Renders the functions section. */
function functionLines(functions: FunctionDoc[]): string {
  return functions.filter((f) => f.listed !== false).map((f) =>
    `- ${f.signature}${f.returns ? ` → ${f.returns}` : ""}: ${f.description}${
      f.fails ? ` Fails: ${f.fails}` : ""
    }`
  ).join("\n");
}

function outputLine(outputs: Field[]): FunctionDoc {
  const params = outputs.map((f) =>
    `${f.name} (${f.type ?? "any"})${f.description ? `: ${f.description}` : ""}`
  ).join("; ");
  return {
    signature: submitSignature(outputs),
    description: `ends the turn with your result. ${params}`,
    fails:
      "a wrong type or a missing value is reported in the next observation, and the turn goes on.",
  };
}

/**
 * Builds the system message.
 *
 * @example
 * ```ts
 * import { systemPrompt } from "./prompt.ts";
 * const text = systemPrompt(
 *   { instructions: "Answer questions.", inputs: [{ name: "task" }], outputs: [{ name: "answer", type: "string" }] },
 *   [{ signature: "read_file(path)", description: "file text" }],
 *   { maxIters: 10, maxLlmCalls: 5, maxOutputChars: 1000 },
 * );
 * console.log(text.includes("SUBMIT(answer)")); // true
 * ```
 */
export function systemPrompt(
  signature: Signature,
  functions: FunctionDoc[],
  limits: PromptLimits,
  environment?: string,
  language?: ReplLanguage,
): string {
  const own = language?.prompt;
  const all = [
    ...functions,
    outputLine(signature.outputs),
  ].map((fn) => own ? own.doc(fn) : fn);
  all.push(
    own?.printDoc ?? {
      signature: "print(...values)",
      description: "shows values (console.log works too).",
    },
  );
  const heading = own?.functionsHeading ??
    "Functions in scope (synchronous; a failure throws an Error you can catch):";
  return [
    signature.instructions.trim(),
    own?.rules ?? REPL_RULES,
    `${heading}\n${functionLines(all)}`,
    `Limits this turn: ${limits.maxIters} cells, ${limits.maxLlmCalls} sub-model prompts, ` +
    `${limits.maxOutputChars} characters of output per cell. ` +
    "Each cell's whole printed output is kept in _out[n] (n is the cell number); " +
    "in a long turn, older outputs in this chat are shortened to a note pointing there.",
    environment ? `Environment: ${environment}` : "",
  ].filter(Boolean).join("\n\n");
}

const PREVIEW_CHARS = 400;

function preview(value: unknown, limit: number): string {
  const text = typeof value === "string"
    ? value
    : JSON.stringify(value, null, 1) ?? String(value);
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}... [${text.length - limit} more characters]`;
}

function lengthOf(value: unknown): string {
  if (typeof value === "string") return `${value.length} characters`;
  if (Array.isArray(value)) return `${value.length} items`;
  if (typeof value === "object" && value !== null) {
    return `${Object.keys(value).length} keys`;
  }
  return "";
}

/** How much of each input the first user message shows. */
export interface VariableView {
  /** Show this input in full up to this many characters (default 400). */
  fullUpTo?: number;
}

/**
 * Describes one REPL variable: name, type, length and a preview (or the
 * whole value when it is short enough).
 *
 * @example
 * ```ts
 * import { describeVariable } from "./prompt.ts";
 * console.log(describeVariable({ name: "task", description: "the request" }, "hi"));
 * ```
 */
export function describeVariable(
  field: Field,
  value: unknown,
  view: VariableView = {},
): string {
  const limit = view.fullUpTo ?? PREVIEW_CHARS;
  const length = lengthOf(value);
  const head = `- \`${field.name}\` (${typeName(value)}${
    length ? `, ${length}` : ""
  })${field.description ? `: ${field.description}` : ""}`;
  const text = preview(value, limit);
  return text.includes("\n") || text.length > 60
    ? `${head}\n\`\`\`\n${text}\n\`\`\``
    : `${head} = ${JSON.stringify(value) ?? String(value)}`;
}

/**
 * Builds the first user message: the variables in the REPL and the start
 * of the iteration count.
 *
 * @example
 * ```ts
 * import { firstUserMessage } from "./prompt.ts";
 * const text = firstUserMessage([{ name: "task" }], { task: "list files" }, 20);
 * console.log(text.includes("`task`")); // true
 * ```
 */
export function firstUserMessage(
  inputs: Field[],
  values: Record<string, unknown>,
  maxIters: number,
  views: Record<string, VariableView> = {},
  note?: string,
): string {
  const lines = inputs.map((field) =>
    describeVariable(field, values[field.name], views[field.name])
  );
  const notice = note ? `\n\n${note}` : "";
  return `Variables in the REPL:\n${
    lines.join("\n")
  }${notice}\n\nCell 1 of ${maxIters}.`;
}

/**
 * The user message carrying an observation, with the iteration count.
 *
 * @example
 * ```ts
 * import { observationMessage } from "./prompt.ts";
 * console.log(observationMessage("hi", 2, 10)); // "hi\n\nCell 2 of 10."
 * ```
 */
export function observationMessage(
  observation: string,
  nextCell: number,
  maxIters: number,
): string {
  const left = maxIters - nextCell + 1;
  const warning = left <= 2 ? ` Only ${left} left: SUBMIT soon.` : "";
  return `${observation}\n\nCell ${nextCell} of ${maxIters}.${warning}`;
}
