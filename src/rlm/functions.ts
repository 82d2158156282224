/**
 * Functions the RLM puts in the REPL's scope: the caller's tools, and the
 * sub-model calls `llm_query` / `llm_query_batched` with their budget.
 *
 * @module
 */

import type { LanguageModel, Usage } from "../lm/types.ts";

/** Context of one call from a cell. */
export interface CallContext {
  /** Aborted when the calling cell is interrupted or its sandbox process is lost. */
  signal: AbortSignal;
  /** The RLM iteration the calling cell belongs to. */
  step: number;
  /** The id of the call's `tool_call` event (tools only). */
  id?: number;
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
  /** Runs the function with the cell's arguments; may return a promise. */
  run(args: unknown[], context: CallContext): unknown;
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
}

/** Most sub-model prompts of one batch in flight at once. */
export const BATCH_CONCURRENCY = 8;

async function mapBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from(
    { length: Math.min(limit, items.length) },
    async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    },
  );
  await Promise.all(workers);
  return results;
}

function promptText(value: unknown, fn: string): string {
  if (typeof value === "string") return value;
  throw new TypeError(
    `${fn}: each prompt must be a string, got ${
      value === null ? "null" : typeof value
    }`,
  );
}

/**
 * Builds `llm_query(prompt)` and `llm_query_batched(prompts)` for one turn.
 * Every prompt counts against `maxCalls`; a batch that does not fit the
 * remaining budget is refused as a whole before anything is sent. In a
 * batch, a failed prompt becomes an `"[ERROR] ..."` string instead of
 * failing the others.
 *
 * @example
 * ```ts ignore
 * const [query, batched] = subLmFunctions(subLm, 50, hooks);
 * ```
 */
export function subLmFunctions(
  subLm: LanguageModel,
  maxCalls: number,
  hooks: SubLmHooks,
): ReplFunction[] {
  let used = 0;
  const reserve = (n: number, fn: string) => {
    if (used + n > maxCalls) {
      throw new RangeError(
        `${fn}: the sub-model budget is used up (${used} of ${maxCalls} prompts this turn` +
          `${n > 1 ? `, ${n} requested` : ""}); continue without it or SUBMIT`,
      );
    }
    used += n;
  };
  const ask = async (prompt: string, context: CallContext): Promise<string> => {
    const completion = await subLm.complete({
      messages: [{ role: "user", content: prompt }],
      signal: context.signal,
    });
    hooks.onUsage(completion.usage, completion.model, context.step);
    return completion.text;
  };
  return [
    {
      name: "llm_query",
      signature: "llm_query(prompt)",
      description:
        "string — asks a sub-model one question (pass it the text to analyse; it sees nothing else).",
      async run(args, context) {
        const prompt = promptText(args[0], "llm_query(prompt)");
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
        'string[] — several independent prompts answered concurrently; a failed one reads "[ERROR] ...".',
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
        reserve(prompts.length, "llm_query_batched");
        const id = hooks.onCall(prompts, context.step);
        const started = performance.now();
        const answers = await mapBounded(
          prompts,
          BATCH_CONCURRENCY,
          async (prompt) => {
            try {
              return await ask(prompt, context);
            } catch (error) {
              if (context.signal.aborted) throw error;
              return `[ERROR] ${(error as Error).message}`;
            }
          },
        );
        hooks.onResult(id, answers, performance.now() - started, context.step);
        return answers;
      },
    },
  ];
}
