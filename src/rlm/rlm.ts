/**
 * The Recursive Language Model loop: the model writes a JavaScript cell,
 * the sandbox runs it, the model sees what it printed, and so on until it
 * calls `SUBMIT(...)` with valid outputs (or the iteration budget runs out
 * and one extract call produces them).
 *
 * @module
 */

import type { ChatMessage, LanguageModel } from "../lm/types.ts";
import type { Sandbox } from "../sandbox/sandbox.ts";
import { askModel } from "./ask_model.ts";
import { ContextKeeper } from "./context_keeper.ts";
import { explainCellError } from "./error_hints.ts";
import { emptyTotals, type RlmEvent } from "./events.ts";
import { extractRequest, parseExtract } from "./extract.ts";
import { type ReplFunction, subLmFunctions } from "./functions.ts";
import { ModelRefusal, noCodeOutcome, storedReply } from "./habits.ts";
import { hostFunctions, subLmEvents } from "./host_functions.ts";
import { formatObservation } from "./observation.ts";
import { parseReply } from "./parse.ts";
import { JAVASCRIPT, type ReplLanguage } from "./repl_language.ts";
import {
  firstUserMessage,
  observationMessage,
  systemPrompt,
} from "./prompt.ts";
import {
  checkSignature,
  type Signature,
  validateSubmission,
} from "./signature.ts";
import type { RlmOptions, RlmResult, RunOptions, Step } from "./types.ts";

function abortError(): DOMException {
  return new DOMException("The turn was interrupted", "AbortError");
}

/**
 * A DSPy-style RLM: named inputs become REPL variables, the outputs become
 * the parameters of `SUBMIT`, and the model works in the sandbox until it
 * submits.
 *
 * @example
 * ```ts ignore
 * const rlm = new RLM({
 *   signature: {
 *     instructions: "Answer the question.",
 *     inputs: [{ name: "question", type: "string" }],
 *     outputs: [{ name: "answer", type: "string" }],
 *   },
 *   lm,
 *   sandbox: new Sandbox(),
 * });
 * const { outputs } = await rlm.run({ question: "What is 6 * 7?" });
 * ```
 */
export class RLM {
  /** The named inputs and outputs and the task instructions. */
  #signature: Signature;
  /** The model that writes the cells. */
  lm: LanguageModel;
  /** The model behind `llm_query` and `llm_query_batched`. */
  subLm: LanguageModel;
  /** The REPL the cells run in; it keeps its state across runs. */
  readonly sandbox: Sandbox;
  /** Functions (tools) in the REPL's scope besides the sub-model calls. */
  functions: ReplFunction[];
  /** Cells per run before the extract call (default 50). */
  maxIters: number;
  /** Sub-model prompts per run (default 50). */
  maxLlmCalls: number;
  /** Characters of one observation; head and tail are kept (default 100000). */
  maxOutputChars: number;
  /** Whether model replies are streamed as `model_delta` events (default true). */
  stream: boolean;
  /** Most `llm_query_batched` prompts in flight at once (default 32). */
  subLmConcurrency: number;
  /** Shorten older observations when the chat nears the window (default true). */
  elision: boolean;
  /** The language the REPL runs (default JavaScript). */
  language: ReplLanguage;
  /** The working directory and platform, for the prompt. */
  environment?: string;

  /**
   * Checks the signature and fills in the defaults.
   *
   * @throws {TypeError} when a field name is not a distinct JavaScript
   *   identifier or there is no output field.
   */
  constructor(options: RlmOptions) {
    checkSignature(options.signature);
    this.#signature = options.signature;
    this.lm = options.lm;
    this.subLm = options.subLm ?? options.lm;
    this.sandbox = options.sandbox;
    this.functions = options.functions ?? [];
    this.maxIters = options.maxIters ?? 50;
    this.maxLlmCalls = options.maxLlmCalls ?? 50;
    this.maxOutputChars = options.maxOutputChars ?? 100_000;
    this.stream = options.stream ?? true;
    this.subLmConcurrency = options.subLmConcurrency ?? 32;
    this.elision = options.elision ?? true;
    this.language = options.language ?? JAVASCRIPT;
    this.environment = options.environment;
  }

  /** What the RLM takes and produces; setting it checks it first. */
  get signature(): Signature {
    return this.#signature;
  }

  set signature(signature: Signature) {
    checkSignature(signature);
    this.#signature = signature;
  }

  /**
   * The system message for the current functions and limits.
   *
   * @example
   * ```ts ignore
   * console.log(rlm.systemPrompt());
   * ```
   */
  systemPrompt(): string {
    const docs = [
      ...this.functions,
      ...subLmFunctions(this.subLm, 0, NO_HOOKS),
    ];
    return systemPrompt(
      this.signature,
      docs,
      {
        maxIters: this.maxIters,
        maxLlmCalls: this.maxLlmCalls,
        maxOutputChars: this.maxOutputChars,
      },
      this.environment,
      this.language,
    );
  }

  /**
   * Runs the loop once for the given inputs.
   *
   * @throws {DOMException} `AbortError` when `options.signal` aborts.
   * @throws {Error} when the model cannot be reached (after its retries).
   */
  async run(
    inputs: Record<string, unknown>,
    options: RunOptions = {},
  ): Promise<RlmResult> {
    const signal = options.signal ?? new AbortController().signal;
    const { outputs, inputs: fields } = this.signature;
    for (const field of fields) {
      if (!Object.hasOwn(inputs, field.name)) {
        throw new TypeError(`Missing input "${field.name}"`);
      }
    }
    let step = 0;
    const emit = (event: RlmEvent) => {
      try {
        options.onEvent?.(event);
      } catch {
        // A broken listener must not break the run.
      }
    };
    const usage = emptyTotals();
    let eventId = 0;
    const reporting = { emit, nextId: () => ++eventId, step: () => step };
    const subFunctions = subLmFunctions(
      this.subLm,
      this.maxLlmCalls,
      subLmEvents(reporting, usage),
      { concurrency: this.subLmConcurrency },
    );
    const all = [...this.functions, ...subFunctions];

    // `_out[n]` holds cell n's whole output this turn.
    this.sandbox.setGlobals({ ...inputs, _out: [] });
    const messages: ChatMessage[] = [
      {
        role: "system",
        content: systemPrompt(
          this.signature,
          all,
          {
            maxIters: this.maxIters,
            maxLlmCalls: this.maxLlmCalls,
            maxOutputChars: this.maxOutputChars,
          },
          this.environment,
          this.language,
        ),
      },
      {
        role: "user",
        content: firstUserMessage(
          fields,
          inputs,
          this.maxIters,
          options.views,
          options.note,
        ),
      },
    ];
    for (const message of messages) {
      emit({ type: "message", step: 0, ...message });
    }
    const keeper = this.elision ? new ContextKeeper(messages) : undefined;
    const push = (message: ChatMessage) => {
      messages.push(message);
      emit({ type: "message", step, ...message });
      return messages.length - 1;
    };
    const trajectory: Step[] = [];
    const restored = `${fields.map((f) => f.name).join(" and ")} ${
      fields.length === 1 ? "is" : "are"
    } set again`;
    const ask = () =>
      askModel({
        lm: this.lm,
        messages,
        signal,
        stream: this.stream,
        emit,
        usage,
        step,
        keeper,
      });

    for (step = 1; step <= this.maxIters; step++) {
      emit({ type: "step_start", step, maxSteps: this.maxIters });
      const completion = await ask();
      // Pushed first: `keeper?.track(push(...))` would skip the push without a keeper.
      const replyAt = push({
        role: "assistant",
        content: storedReply(completion),
      });
      keeper?.track(replyAt, step, "reply");
      const parsed = parseReply(
        completion.text,
        completion.finishReason,
        this.language,
      );
      emit({
        type: "model_reply",
        step,
        text: completion.text,
        reasoning: parsed.reasoning,
      });
      let observation: string;
      if (!parsed.code) {
        const outcome = noCodeOutcome(completion, parsed, all, this.language);
        if (outcome.kind === "refusal") {
          const refusal = new ModelRefusal(outcome.text);
          emit({ type: "refusal", step, text: outcome.text });
          emit({ type: "error", step, message: refusal.message, fatal: true });
          throw refusal;
        }
        observation = `[${outcome.text}]`;
        emit({ type: "observation", step, text: observation });
      } else {
        emit({ type: "code", step, code: parsed.code });
        const result = await this.sandbox.run(parsed.code, {
          // Built per cell: functions added during the turn (an MCP
          // server's new tools) are callable from the next cell.
          functions: hostFunctions(this.functions, subFunctions, reporting),
          signal,
          onOutput: (text) => emit({ type: "cell_output", step, text }),
          outputSlot: step,
          // Call forms, for Python's keyword arguments.
          signatures: Object.fromEntries(
            [...this.functions, ...subFunctions].map((f) => [
              f.name,
              f.signature,
            ]),
          ),
        });
        if (signal.aborted) throw abortError();
        let after: string | undefined;
        if (result.submitted) {
          const submission = validateSubmission(outputs, result.submitted);
          if (submission.ok) {
            trajectory.push({
              step,
              reasoning: parsed.reasoning,
              code: parsed.code,
              observation: "(submitted)",
            });
            emit({ type: "submit", step, outputs: submission.outputs });
            return {
              outputs: submission.outputs,
              trajectory,
              usage,
              extracted: false,
              messages,
            };
          }
          after = submission.message;
        }
        if (result.error) {
          result.error = explainCellError(
            result.error,
            parsed.code,
            this.language,
          );
        }
        const cap = keeper?.observationCap(
          this.lm.budget?.(),
          this.maxOutputChars,
        ) ?? this.maxOutputChars;
        observation = formatObservation(result, cap, {
          before: parsed.note,
          after,
          restored: result.lost ? restored : undefined,
          slot: step,
        });
        emit({ type: "observation", step, text: observation, result });
      }
      trajectory.push({
        step,
        reasoning: parsed.reasoning,
        code: parsed.code,
        observation,
      });
      const content = step < this.maxIters
        ? observationMessage(observation, step + 1, this.maxIters)
        : `${observation}\n\n${extractRequest(outputs)}`;
      const observationAt = push({ role: "user", content });
      keeper?.track(
        observationAt,
        step,
        "observation",
        content.slice(observation.length),
      );
    }

    step = this.maxIters;
    emit({
      type: "extract",
      step,
      reason: `The ${this.maxIters}-cell budget ran out before SUBMIT`,
    });
    const completion = await ask();
    push({ role: "assistant", content: storedReply(completion) });
    const extracted = parseExtract(outputs, completion.text);
    emit({ type: "submit", step, outputs: extracted });
    return { outputs: extracted, trajectory, usage, extracted: true, messages };
  }
}

const NO_HOOKS = {
  onCall: () => 0,
  onResult: () => {},
  onUsage: () => {},
};
