/**
 * Functions the RLM puts in the REPL's scope: the caller's tools, and the
 * sub-model calls `llm_query` / `llm_query_batched` with their budget.
 *
 * @module
 */

import type {
  LanguageModel,
  LmNotice,
  RetryNotice,
  Usage,
} from "../lm/types.ts";
import type { ToolProgress } from "../tools/types.ts";
import { AdaptiveLimiter } from "./limiter.ts";

/** Context of one call from a cell. */
export interface CallContext {
  /** Aborted when the calling cell is interrupted or its sandbox process is lost. */
  signal: AbortSignal;
  /** The RLM iteration the calling cell belongs to. */
  step: number;
  /** The id of the call's `tool_call` event (tools only). */
  id?: number;
  /** Reports progress of a long call (a `tool_progress` event); absent for sub-model calls. */
  progress?: (progress: ToolProgress) => void;
}

/**
 * A function callable from cell code. Its result must be JSON-serialisable
 * (usually a string); a thrown `Error` reaches the cell as a catchable
 * error with the same name and message.
 */
export interface ReplFunction {
  /** A JavaScript identifier. */
  name: string;
  /** Call form shown to the model, e.g. `read_file(path, offset?, limit?)`. */
  signature: string;
  /** One line for the prompt. */
  description: string;
  /** What it returns, e.g. `string[] of paths`, shown in the prompt. */
  returns?: string;
  /** What a failure looks like, shown in the prompt. */
  fails?: string;
  /** Runs the function with the cell's arguments; may return a promise. */
  run(args: unknown[], context: CallContext): unknown;
  /**
   * Whether the prompt's function list shows it (default true); `false`
   * for functions documented as a group elsewhere (MCP tools).
   */
  listed?: boolean;
  /** Longer help, the function's `.help` property in the REPL. */
  help?: string;
}

/** Receives sub-model activity, for events and usage. */
export interface SubLmHooks {
  onCall(prompts: string[], step: number): number;
  onResult(
    id: number,
    answers: string[],
    durationMs: number,
    step: number,
  ): void;
  onUsage(usage: Usage, model: string, step: number): void;
  /** A sub-model request is about to be retried. */
  onRetry?(info: RetryNotice, step: number): void;
  /** A one-line notice (a limit lowered, concurrency reduced). */
  onNotice?(notice: LmNotice, step: number): void;
}

/** Settings of the sub-model functions. */
export interface SubLmOptions {
  /** Most prompts of a batch in flight at once (default {@linkcode BATCH_CONCURRENCY}). */
  concurrency?: number;
}

/** Most sub-model prompts of one batch in flight at once, by default. */
export const BATCH_CONCURRENCY = 32;

function promptText(value: unknown, fn: string): string {
  if (typeof value === "string") return value;
  throw new TypeError(
    `${fn}: each prompt must be a string, got ${
      value === null ? "null" : typeof value
    }`,
  );
}

const EMPTY_PROMPT =
  "the prompt is empty; pass the text to ask about (nothing was sent)";

/**
 * Builds `llm_query(prompt)` and `llm_query_batched(prompts)` for one turn.
 * Every prompt counts against `maxCalls`; a batch that does not fit the
 * remaining budget is refused as a whole before anything is sent, saying
 * how many prompts remain. An empty prompt is an error and is not sent. In
 * a batch, a failed prompt becomes an `"[ERROR] ..."` string instead of
 * failing the others; the prompts in flight at once start at
 * `options.concurrency` and halve whenever the server answers 429.
 *
 * @example
 * ```ts ignore
 * const [query, batched] = subLmFunctions(subLm, 50, hooks, { concurrency: 16 });
 * ```
 */
export function subLmFunctions(
  subLm: LanguageModel,
  maxCalls: number,
  hooks: SubLmHooks,
  options: SubLmOptions = {},
): ReplFunction[] {
  let used = 0;
  const limiter = new AdaptiveLimiter(options.concurrency ?? BATCH_CONCURRENCY);
  const reserve = (n: number, fn: string) => {
    if (used + n > maxCalls) {
      const left = maxCalls - used;
      throw new RangeError(
        n > 1
          ? `${fn}: ${n} prompts requested but only ${left} of the turn's ${maxCalls} sub-model prompts remain; send at most ${left}, continue without it, or SUBMIT`
          : `${fn}: the sub-model budget is used up (${used} of ${maxCalls} prompts this turn); continue without it or SUBMIT`,
      );
    }
    used += n;
  };
  const lowered = (step: number) =>
    hooks.onNotice?.({
      code: "concurrency_lowered",
      message:
        `The sub-model server is rate-limiting: ${limiter.limit} prompts in flight at once from now`,
    }, step);
  /** One prompt, holding a place of the limiter; a 429 that outlasts the client's retries waits for a new place. */
  const ask = async (prompt: string, context: CallContext): Promise<string> => {
    for (let round = 1;; round++) {
      const release = await limiter.acquire(context.signal);
      try {
        return await askOnce(prompt, context);
      } catch (error) {
        const rateLimited =
          (error as { kind?: string }).kind === "rate_limited";
        if (!rateLimited || round >= 3 || context.signal.aborted) throw error;
        if (limiter.backoff(1000)) lowered(context.step);
      } finally {
        release();
      }
    }
  };
  const askOnce = async (
    prompt: string,
    context: CallContext,
  ): Promise<string> => {
    const completion = await subLm.complete({
      messages: [{ role: "user", content: prompt }],
      signal: context.signal,
      onRetry: (info) => {
        if (
          info.rateLimited && limiter.backoff(info.retryAfterMs ?? info.delayMs)
        ) lowered(context.step);
        hooks.onRetry?.(info, context.step);
      },
      onNotice: (notice) => hooks.onNotice?.(notice, context.step),
    });
    limiter.success();
    hooks.onUsage(completion.usage, completion.model, context.step);
    return completion.text;
  };
  return [
    {
      name: "llm_query",
      signature: "llm_query(prompt)",
      description:
        "asks a sub-model one question (pass it the text to analyse; it sees nothing else).",
      returns: "string",
      async run(args, context) {
        const prompt = promptText(args[0], "llm_query(prompt)");
        if (prompt.trim() === "") {
          throw new TypeError(`llm_query(prompt): ${EMPTY_PROMPT}`);
        }
        reserve(1, "llm_query");
        const id = hooks.onCall([prompt], context.step);
        const started = performance.now();
        let answer: string;
        try {
          answer = await ask(prompt, context);
        } catch (error) {
          hooks.onResult(
            id,
            [`[ERROR] ${(error as Error).message}`],
            performance.now() - started,
            context.step,
          );
          throw error;
        }
        hooks.onResult(id, [answer], performance.now() - started, context.step);
        return answer;
      },
    },
    {
      name: "llm_query_batched",
      signature: "llm_query_batched(prompts)",
      description:
        'several independent prompts answered concurrently, in order; a failed one reads "[ERROR] ...".',
      returns: "string[]",
      async run(args, context) {
        const list = args[0];
        if (!Array.isArray(list)) {
          throw new TypeError(
            "llm_query_batched(prompts): prompts must be an array of strings",
          );
        }
        const prompts = list.map((p) =>
          promptText(p, "llm_query_batched(prompts)")
        );
        const real = prompts.filter((p) => p.trim() !== "").length;
        reserve(real, "llm_query_batched");
        const id = hooks.onCall(prompts, context.step);
        const started = performance.now();
        const answers = await Promise.all(prompts.map(async (prompt) => {
          if (prompt.trim() === "") return `[ERROR] ${EMPTY_PROMPT}`;
          try {
            return await ask(prompt, context);
          } catch (error) {
            if (context.signal.aborted) throw error;
            return `[ERROR] ${(error as Error).message}`;
          }
        }));
        hooks.onResult(id, answers, performance.now() - started, context.step);
        return answers;
      },
    },
  ];
}
