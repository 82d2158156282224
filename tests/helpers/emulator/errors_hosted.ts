/**
 * Real error bodies of more hosted providers and servers: Gemini's
 * OpenAI-compatible endpoint (a list, not an object), xAI (`{code, error}`
 * with the message as a string), Mistral (pydantic validation lists),
 * Groq's and xAI's refusals of `reasoning_effort`, Novita through
 * OpenRouter, Moonshot, and Hugging Face's text-generation-inference. Word
 * for word as quoted in public issue threads (each cites where); numbers
 * and names are filled in.
 *
 * @module
 */

import type { ErrorReply } from "./errors.ts";

/** Gemini's OpenAI-compatible endpoint wraps its error object in a list. */
const geminiError = (message: string, details?: unknown): ErrorReply => ({
  status: 400,
  body: [{
    error: {
      code: 400,
      message,
      status: "INVALID_ARGUMENT",
      ...(details ? { details } : {}),
    },
  }],
});

/** Gemini (generativelanguage.googleapis.com/v1beta/openai). */
export const GEMINI = {
  /** github.com/google/timesketch/pull/3703 (a bad key is HTTP 400, reason API_KEY_INVALID). */
  badKey: () =>
    geminiError("API key not valid. Please pass a valid API key.", [{
      "@type": "type.googleapis.com/google.rpc.ErrorInfo",
      reason: "API_KEY_INVALID",
      domain: "googleapis.com",
      metadata: { service: "generativelanguage.googleapis.com" },
    }]),
  /** github.com/google-gemini/gemini-cli/issues/12098 (the prompt is over the window). */
  context: (input: number, window: number) =>
    geminiError(
      `The input token count (${input}) exceeds the maximum number of tokens allowed (${window}).`,
    ),
  /** github.com/stackblitz-labs/bolt.diy/issues/955 (max output tokens over the model's). */
  maxTokens: (asked: number, limit: number) =>
    geminiError(
      `Unable to submit request because it has a maxOutputTokens value of ${asked} but the supported range is from 1 (inclusive) to ${
        limit + 1
      } (exclusive). Update the value and try again.`,
    ),
  /** github.com/FoundationAgents/OpenManus/issues/913 (the list shape; an empty message). */
  emptyText: () =>
    geminiError(
      "Unable to submit request because it has an empty text parameter. Add a value to the parameter and try again. Learn more: https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/gemini",
    ),
};

/** xAI: `{code, error}` with the message as a string (github.com/nocmt/LLMSearchPlus/issues/2). */
const xaiError = (error: string): ErrorReply => ({
  status: 400,
  body: { code: "Client specified an invalid argument", error },
});

/** xAI (api.x.ai). */
export const XAI = {
  /** github.com/continuedev/continue/issues/10778 (a bad key is HTTP 400). */
  badKey: (key: string) =>
    xaiError(
      `Incorrect API key provided: ${key.slice(0, 2)}***${
        key.slice(-2)
      }. You can obtain an API key from https://console.x.ai.`,
    ),
  /** github.com/charmbracelet/crush/issues/386 (grok-4 takes no reasoning_effort). */
  effortUnsupported: () =>
    xaiError("Argument not supported on this model: reasoningEffort"),
};

/** Mistral (api.mistral.ai): HTTP 422 with pydantic's list as `message`. */
export const MISTRAL = {
  /**
   * github.com/dnakov/anon-kode/issues/53 (stream_options) and
   * editor-code-assistant/eca/issues/231 (max_completion_tokens).
   */
  extraInput: (loc: string[], input: unknown): ErrorReply => ({
    status: 422,
    body: {
      object: "error",
      message: {
        detail: [{
          type: "extra_forbidden",
          loc,
          msg: "Extra inputs are not permitted",
          input,
        }],
      },
      type: "invalid_request_error",
      param: null,
      code: null,
    },
  }),
};

/** Groq's refusals of `reasoning_effort`. */
export const GROQ_EFFORT = {
  /** github.com/iamsrikanthnani/pluely/issues/242 (Llama models). */
  unsupported: (): ErrorReply => ({
    status: 400,
    body: {
      error: {
        message: "`reasoning_effort` is not supported with this model",
        type: "invalid_request_error",
      },
    },
  }),
  /** github.com/earendil-works/pi/issues/1745 (Qwen3 takes `none` or `default`). */
  noneOrDefault: (): ErrorReply => ({
    status: 400,
    body: {
      error: {
        message: "`reasoning_effort` must be one of `none` or `default`",
        type: "invalid_request_error",
      },
    },
  }),
};

/** Upstream bodies as OpenRouter passes them on in `metadata.raw`. */
export const UPSTREAM = {
  /** github.com/cline/cline/issues/8337 (Novita, DeepSeek V3.1 through OpenRouter). */
  novitaMaxTokens: (asked: number, limit: number) =>
    `{"code":400, "reason":"INVALID_REQUEST_BODY", "message":"max_tokens (current value: ${asked}) must be between 0 and ${limit} ", "metadata":{}}`,
};

/** Moonshot (api.moonshot.ai/v1). */
export const MOONSHOT = {
  /** github.com/anomalyco/opencode/issues/34099 (Kimi's output cap). */
  maxTokens: (asked: number, limit: number): ErrorReply => ({
    status: 400,
    body: {
      error: {
        message:
          `Invalid request: The parameter max_tokens specified in the request is not valid: integer above maximum value, expected a value <= ${limit}, but got ${asked} instead.`,
        type: "invalid_request_error",
      },
    },
  }),
};

/** Hugging Face text-generation-inference (and endpoints built on it). */
export const TGI = {
  /**
   * github.com/huggingface/chat-ui/issues/1149 (the wording) and
   * huggingface/huggingface_hub/pull/2558 (`{error, error_type}`, HTTP 422,
   * or the same object as an event of a 200 stream).
   */
  context: (window: number, input: number, asked: number) => ({
    error:
      `Input validation error: \`inputs\` tokens + \`max_new_tokens\` must be <= ${window}. Given: ${input} \`inputs\` tokens and ${asked} \`max_new_tokens\``,
    error_type: "validation",
  }),
};

/** Ollama's OpenAI-compatible endpoint. */
export const OLLAMA = {
  /**
   * github.com/continuedev/continue/issues/11478 and 9528 (HTTP 500 when a
   * model does not fit in memory; the OpenAI-style wrapper of Ollama's 404s).
   */
  noMemory: (need: number, free: number): ErrorReply => ({
    status: 500,
    body: {
      error: {
        message:
          `model requires more system memory (${need} GiB) than is available (${free} GiB)`,
        type: "api_error",
        param: null,
        code: null,
      },
    },
  }),
};
