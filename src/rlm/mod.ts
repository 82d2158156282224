/**
 * The Recursive Language Model loop on its own: a DSPy-style signature
 * (named inputs and outputs), a model that writes cells, a sandbox that
 * runs them, and the typed events of each run. Bring your own functions;
 * the coding tools live in `@nanocode/nanocode/tools`.
 *
 * @example
 * ```ts ignore
 * import { RLM } from "@nanocode/nanocode/rlm";
 * import { Sandbox } from "@nanocode/nanocode/sandbox";
 *
 * const rlm = new RLM({
 *   signature: {
 *     instructions: "Answer the question.",
 *     inputs: [{ name: "question", type: "string" }],
 *     outputs: [{ name: "answer", type: "string" }],
 *   },
 *   lm, // any LanguageModel, e.g. new OpenAiLm({ model: "gpt-4o" })
 *   sandbox: new Sandbox(),
 * });
 * const { outputs } = await rlm.run({ question: "What is 6 * 7?" });
 * ```
 *
 * @module
 */

export { RLM } from "./rlm.ts";
export type {
  RlmOptions,
  RlmResult,
  RunOptions as RlmRunOptions,
  Step,
} from "./types.ts";
export type { EventSink, RlmEvent, UsageTotals } from "./events.ts";
export type { CallContext, ReplFunction } from "./functions.ts";
export type { Field, FieldType, Signature } from "./signature.ts";
export type { FunctionDoc, VariableView } from "./prompt.ts";
export {
  JAVASCRIPT,
  type ReplLanguage,
  type ReplPrompt,
} from "./repl_language.ts";
export { PYTHON, replLanguage } from "./python_language.ts";
export { ModelRefusal } from "./habits.ts";
