/**
 * One call to the main model within a turn: fit the chat to the window
 * first, report the call (start, streamed text, retries, notices, usage),
 * and when the server says the chat does not fit, elide older
 * observations and ask again.
 *
 * @module
 */

import type { ChatMessage, Completion, LanguageModel } from "../lm/types.ts";
import type { ContextKeeper, Elision } from "./context_keeper.ts";
import { addUsage, type EventSink, type UsageTotals } from "./events.ts";

/** What {@linkcode askModel} needs. */
export interface AskContext {
  /** The model. */
  lm: LanguageModel;
  /** The chat, as sent (the keeper may shorten older messages in place). */
  messages: ChatMessage[];
  /** Aborts the call. */
  signal: AbortSignal;
  /** Stream the reply as `model_delta` events. */
  stream: boolean;
  /** Receives the events. */
  emit: EventSink;
  /** The turn's usage totals (added to). */
  usage: UsageTotals;
  /** The step the call belongs to. */
  step: number;
  /** Keeps the chat inside the window; none: the chat is sent as it is. */
  keeper?: ContextKeeper;
}

function abortError(): DOMException {
  return new DOMException("The turn was interrupted", "AbortError");
}

/** Whether an error says the chat does not fit the model's context window. */
function isContextLength(error: unknown): boolean {
  return (error as { kind?: unknown })?.kind === "context_length";
}

/**
 * Asks the model for the next reply.
 *
 * @throws {DOMException} `AbortError` when the signal aborts.
 * @throws the model's error when it fails for good.
 * @example
 * ```ts ignore
 * const completion = await askModel({ lm, messages, signal, stream: true, emit, usage, step: 1, keeper });
 * ```
 */
export async function askModel(ctx: AskContext): Promise<Completion> {
  const { lm, messages, signal, emit, step, keeper } = ctx;
  const elided = (elision: Elision | null) => {
    if (elision) emit({ type: "context_elided", step, ...elision });
    return elision !== null;
  };
  if (keeper) elided(keeper.fit(lm.budget?.()));
  for (let shrinks = 0;; shrinks++) {
    if (signal.aborted) throw abortError();
    try {
      const completion = await lm.complete({
        messages,
        signal,
        onStart: () => emit({ type: "model_start", step }),
        onDelta: ctx.stream
          ? (text) => emit({ type: "model_delta", step, text })
          : undefined,
        onRetry: (info) => emit({ type: "retry", step, source: "lm", ...info }),
        onNotice: (notice) => emit({ type: "notice", step, ...notice }),
      });
      addUsage(ctx.usage, completion.usage, "lm");
      emit({
        type: "usage",
        step,
        model: completion.model,
        usage: completion.usage,
        total: { ...ctx.usage },
      });
      return completion;
    } catch (error) {
      if (signal.aborted) throw abortError();
      if (
        keeper && shrinks < 3 && isContextLength(error) &&
        elided(keeper.shrink(lm.budget?.()))
      ) continue;
      emit({
        type: "error",
        step,
        message: (error as Error).message,
        fatal: true,
      });
      throw error;
    }
  }
}
