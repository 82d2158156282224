/**
 * How one turn's events reach their listeners: the agent's own
 * bookkeeping first, then every listener, in order.
 *
 * @module
 */

import { emptyTotals, type EventSink, type RlmEvent } from "../rlm/events.ts";
import type { ForwardResult } from "./types.ts";

/** What the agent does with a turn's events before the listeners see them. */
export interface TurnHooks {
  /** Every event, first. */
  onEvent(event: RlmEvent): void;
  /** Once, when the model server first answers (or the first reply is in). */
  onModelAnswering(): void;
}

/**
 * One sink for a turn: `hooks` run first (`onModelAnswering` once), then
 * each listener given (`undefined` ones are skipped).
 *
 * @example
 * ```ts
 * import { turnSink } from "./turn_events.ts";
 * const seen: string[] = [];
 * const sink = turnSink(
 *   { onEvent: () => {}, onModelAnswering: () => seen.push("warm") },
 *   [(e) => seen.push(e.type), undefined],
 * );
 * sink({ type: "model_start", step: 1 });
 * sink({ type: "model_start", step: 2 });
 * console.log(seen); // ["warm", "model_start", "model_start"]
 * ```
 */
export function turnSink(
  hooks: TurnHooks,
  listeners: (EventSink | undefined)[],
): EventSink {
  const sinks = listeners.filter((s): s is EventSink => s !== undefined);
  let answering = false;
  return (event) => {
    hooks.onEvent(event);
    if (
      !answering &&
      (event.type === "model_start" || event.type === "model_reply")
    ) {
      answering = true;
      hooks.onModelAnswering();
    }
    for (const sink of sinks) sink(event);
  };
}

/**
 * The result of a turn with an empty task, as the Python original answers
 * it: "No Task Given.", without calling the model.
 *
 * @example
 * ```ts
 * import { noTaskResult } from "./turn_events.ts";
 * console.log(noTaskResult().answer); // "No Task Given."
 * ```
 */
export function noTaskResult(): ForwardResult {
  return {
    answer: "No Task Given.",
    trajectory: [],
    usage: emptyTotals(),
    extracted: false,
  };
}
