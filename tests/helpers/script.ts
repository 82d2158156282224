/**
 * Scripting helpers on top of the scripted LM server: route the main model
 * and the sub-model to separate scripts, and read what the server saw.
 *
 * @module
 */

import type { RecordedRequest, Step, StepFunction } from "./lm_server.ts";
import { codeReply } from "./lm_server.ts";

/** Model names the tests use for the main and the sub model. */
export const MAIN_MODEL = "main-model";
export const SUB_MODEL = "sub-model";

/** A main-model reply: reasoning and one js code block. */
export function cell(code: string, reasoning = "Next step."): Step {
  return { text: codeReply(reasoning, code) };
}

/**
 * A step function that answers the main model from `main` in order and the
 * sub-model with `sub(prompt)`. Running out of main steps fails loudly.
 */
export function routeByModel(
  main: Step[],
  sub: (prompt: string) => Step = (prompt) => ({ text: `sub: ${prompt}` }),
): StepFunction {
  let next = 0;
  return (request: RecordedRequest) => {
    const model = request.body.model ?? "";
    if (model.endsWith(SUB_MODEL)) {
      const last = request.body.messages?.at(-1)?.content ?? "";
      return sub(last);
    }
    const step = main[next++];
    if (!step) {
      return {
        status: 500,
        errorBody: {
          error: { message: `main script exhausted at request ${next}` },
        },
      };
    }
    return step;
  };
}

/** The requests of one model, in order. */
export function requestsOf(
  requests: RecordedRequest[],
  model: string,
): RecordedRequest[] {
  return requests.filter((r) => (r.body.model ?? "").endsWith(model));
}

/** The messages of a recorded request. */
export function messagesOf(
  request: RecordedRequest,
): { role: string; content: string }[] {
  return request.body.messages ?? [];
}

/** The user message (after the system prompt) of the main model's `n`-th request. */
export function taskMessage(requests: RecordedRequest[], n = 0): string {
  return messagesOf(requestsOf(requests, MAIN_MODEL)[n])[1].content;
}
