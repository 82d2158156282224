/**
 * Shared set-up of the LM client tests.
 *
 * @module
 */

import { assert } from "../helpers/assert.ts";
import { OpenAiLm, type OpenAiLmOptions } from "../../src/lm/client.ts";
import type { ChatMessage } from "../../src/lm/types.ts";
import type { LmServer } from "../helpers/lm_server.ts";

/** A short chat to send. */
export const messages: ChatMessage[] = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Say hello" },
];

/** A client for the scripted server with quick retries and no environment. */
export function lmFor(
  server: LmServer,
  options: Partial<OpenAiLmOptions> = {},
): OpenAiLm {
  return new OpenAiLm({
    model: "openai/test-model",
    apiBase: server.url,
    env: () => undefined,
    retryBaseMs: 1,
    retryMaxMs: 20,
    // These tests are about other behaviour; tests/lm/limits_test.ts covers /models.
    discoverLimits: false,
    ...options,
  });
}

/** Asserts a one-sentence message: no line breaks, no stack, no SDK class names. */
export function assertOneSentence(message: string): void {
  assert(!message.includes("\n"), `message has a line break: ${message}`);
  assert(!/\bat .*:\d+:\d+/.test(message), `message has a stack: ${message}`);
  assert(
    !/API\w*Error|OpenAI\w*Error|TypeError|SyntaxError/.test(message),
    `message names an error class: ${message}`,
  );
}
