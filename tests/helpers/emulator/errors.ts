/**
 * Real error bodies of the providers the emulator plays, word for word as
 * they were quoted in public issue threads and provider docs (each cites
 * where). Numbers and names are filled in; the wording is the provider's.
 *
 * @module
 */

/** An HTTP error the emulator answers with. */
export interface ErrorReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** Sent as the one event of a 200 stream (TGI's errors once streaming began). */
  sse?: boolean;
}

const openaiError = (
  status: number,
  message: string,
  type: string,
  param: string | null,
  code: string | null,
): ErrorReply => ({ status, body: { error: { message, type, param, code } } });

/** OpenAI and providers that copy its shapes (DeepSeek, Groq). */
export const OPENAI = {
  /** github.com/popjane/free_chatgpt_api/issues/3 (401, code invalid_api_key). */
  badKey: (key: string) =>
    openaiError(
      401,
      `Incorrect API key provided: ${key.slice(0, 3)}***${
        key.slice(-4)
      }. You can find your API key at https://platform.openai.com/account/api-keys.`,
      "invalid_request_error",
      null,
      "invalid_api_key",
    ),
  /** github.com/ChatGPTNextWeb/NextChat/issues/3664 (429, type and code insufficient_quota). */
  quota: () =>
    openaiError(
      429,
      "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
      "insufficient_quota",
      null,
      "insufficient_quota",
    ),
  /** github.com/ChatGPTNextWeb/NextChat/issues/3195 (param max_tokens, code null). */
  maxTokens: (asked: number, limit: number, param: string) =>
    openaiError(
      400,
      `max_tokens is too large: ${asked}. This model supports at most ${limit} completion tokens, whereas you provided ${asked}.`,
      "invalid_request_error",
      param,
      null,
    ),
  /** github.com/ChatGPTNextWeb/NextChat/issues/3195 (code context_length_exceeded). */
  context: (window: number, input: number, output: number) =>
    openaiError(
      400,
      `This model's maximum context length is ${window} tokens. However, you requested ${
        input + output
      } tokens (${input} in the messages, ${output} in the completion). Please reduce the length of the messages or completion.`,
      "invalid_request_error",
      "messages",
      "context_length_exceeded",
    ),
  /** github.com/griptape-ai/ComfyUI-Griptape/issues/312 (gpt-5, o-series). */
  maxTokensUnsupported: () =>
    openaiError(
      400,
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      "invalid_request_error",
      "max_tokens",
      "unsupported_parameter",
    ),
  /** github.com/BeehiveInnovations/pal-mcp-server/issues/134 (o3 via OpenRouter, raw OpenAI body). */
  streamUnverified: () =>
    openaiError(
      400,
      "Your organization must be verified to stream this model. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization. If you just verified, it can take up to 15 minutes for access to propagate.",
      "invalid_request_error",
      "stream",
      "unsupported_value",
    ),
  /** github.com/alvinunreal/tmuxai/issues/82 and aaif-goose/goose/issues/2564 (status 404). */
  responsesOnly: () =>
    openaiError(
      404,
      "This model is only supported in v1/responses and not in v1/chat/completions.",
      "invalid_request_error",
      "model",
      null,
    ),
  /** github.com/aaif-goose/goose/issues/2564 (Responses API given chat parameters). */
  responsesMessages: () =>
    openaiError(
      400,
      "Unsupported parameter: 'messages'. In the Responses API, this parameter has moved to 'input'. Try again with the new parameter. See the API documentation for more information: https://platform.openai.com/docs/api-reference/responses/create.",
      "invalid_request_error",
      "messages",
      "unsupported_parameter",
    ),
  /** github.com/QuantumNous/new-api/issues/418 (an OpenAI-style relay that refuses stream_options). */
  unknownParameter: (name: string) =>
    openaiError(
      400,
      `Unknown parameter: '${name}'.`,
      "invalid_request_error",
      name,
      "unknown_parameter",
    ),
  /** OpenAI's model-not-found body (code model_not_found). */
  noModel: (model: string) =>
    openaiError(
      404,
      `The model \`${model}\` does not exist or you do not have access to it.`,
      "invalid_request_error",
      null,
      "model_not_found",
    ),
  /** OpenAI's rate limit body, with Retry-After (type requests, code rate_limit_exceeded). */
  rateLimited: (model: string, retryAfterS: number): ErrorReply => ({
    ...openaiError(
      429,
      `Rate limit reached for ${model} in organization org-emulator on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in ${retryAfterS}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
      "requests",
      null,
      "rate_limit_exceeded",
    ),
    headers: { "retry-after": String(retryAfterS) },
  }),
};

/** DeepSeek. */
export const DEEPSEEK = {
  /** github.com/deepseek-ai/DeepSeek-V3/issues/69 (param null, code invalid_request_error). */
  maxTokens: (limit: number) =>
    openaiError(
      400,
      `Invalid max_tokens value, the valid range of max_tokens is [1, ${limit}]`,
      "invalid_request_error",
      null,
      "invalid_request_error",
    ),
  /** github.com/FoundationAgents/OpenManus/issues/79 (OpenAI's wording, code invalid_request_error). */
  context: (window: number, input: number, output: number) =>
    openaiError(
      400,
      `This model's maximum context length is ${window} tokens. However, you requested ${
        input + output
      } tokens (${input} in the messages, ${output} in the completion). Please reduce the length of the messages or completion.`,
      "invalid_request_error",
      null,
      "invalid_request_error",
    ),
};

/** Groq. */
export const GROQ = {
  /** github.com/Alishahryar1/free-claude-code/issues/1354 (no code field). */
  maxTokens: (param: string, limit: number): ErrorReply => ({
    status: 400,
    body: {
      error: {
        message:
          `\`${param}\` must be less than or equal to \`${limit}\`, the maximum value for \`${param}\` is less than the \`context_window\` for this model`,
        type: "invalid_request_error",
        param,
      },
    },
  }),
};

/** OpenRouter, and upstream providers through it (`metadata.raw`). */
export const OPENROUTER = {
  /** github.com/anomalyco/opencode/issues/12219 and Gitlawb/openclaude/issues/1125 (HTTP 402). */
  credits: (asked: number, afford: number): ErrorReply => ({
    status: 402,
    body: {
      error: {
        message:
          `This request requires more credits, or fewer max_tokens. You requested up to ${asked} tokens, but can only afford ${afford}. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account`,
        code: 402,
        metadata: { provider_name: null },
      },
      user_id: "user_emulator",
    },
  }),
  /** github.com/OpenRouterTeam/openrouter-examples/issues/74 ("is not a valid model ID"). */
  noModel: (model: string): ErrorReply => ({
    status: 400,
    body: {
      error: { message: `${model} is not a valid model ID`, code: 400 },
      user_id: "user_emulator",
    },
  }),
  /** github.com/Aider-AI/aider/issues/3721 (OpenRouter's own context check). */
  context: (
    window: number,
    input: number,
    output: number,
    provider: string,
  ): ErrorReply => ({
    status: 400,
    body: {
      error: {
        message:
          `This endpoint's maximum context length is ${window} tokens. However, you requested about ${
            input + output
          } tokens (${input} of text input, ${output} in the output). Please reduce the length of either one, or use the "middle-out" transform to compress your prompt automatically.`,
        code: 400,
        metadata: { provider_name: provider },
      },
    },
  }),
  /**
   * An upstream failure wrapped as `Provider returned error` with the
   * upstream body in `metadata.raw` (github.com/reVrost/go-openrouter/pull/21,
   * github.com/diegosouzapw/OmniRoute/issues/3044).
   */
  upstream: (status: number, raw: unknown, provider: string): ErrorReply => ({
    status,
    body: {
      error: {
        message: "Provider returned error",
        code: status,
        metadata: {
          raw: typeof raw === "string" ? raw : JSON.stringify(raw),
          provider_name: provider,
        },
      },
      user_id: "user_emulator",
    },
  }),
};

/** Anthropic's own bodies (as `metadata.raw` through OpenRouter). */
export const ANTHROPIC = {
  /** github.com/anthropics/claude-code/issues/24451 and ChatGPTNextWeb/NextChat/issues/4964. */
  maxTokens: (asked: number, limit: number, model: string) => ({
    type: "error",
    error: {
      type: "invalid_request_error",
      message:
        `max_tokens: ${asked} > ${limit}, which is the maximum allowed number of output tokens for ${model}`,
    },
  }),
  /** github.com/anthropics/claude-code/issues/6774 (an empty message anywhere but last). */
  emptyMessage: (index: number) => ({
    type: "error",
    error: {
      type: "invalid_request_error",
      message:
        `messages.${index}: all messages must have non-empty content except for the optional final assistant message`,
    },
  }),
  /** Anthropic's limit on cache breakpoints (4 per request). */
  tooManyBreakpoints: (found: number) => ({
    type: "error",
    error: {
      type: "invalid_request_error",
      message:
        `A maximum of 4 blocks with cache_control may be provided. Found ${found}.`,
    },
  }),
};

/** vLLM's OpenAI server: `{object: "error", ...}` without an `error` wrapper. */
export const VLLM = {
  /**
   * github.com/claude-code-best/claude-code/issues/272 (vLLM >= 0.9 wording) and
   * github.com/vllm-project/vllm/issues/21089 (the body's shape).
   */
  maxTokens: (asked: number, window: number, input: number): ErrorReply => ({
    status: 400,
    body: {
      object: "error",
      message:
        `'max_tokens' or 'max_completion_tokens' is too large: ${asked}. This model's maximum context length is ${window} tokens and your request has ${input} input tokens (${asked} > ${window} - ${input}).`,
      type: "BadRequestError",
      param: null,
      code: 400,
    },
  }),
  /** github.com/vllm-project/vllm/issues/42474 (the prompt alone is too long). */
  context: (window: number, input: number, output: number): ErrorReply => ({
    status: 400,
    body: {
      object: "error",
      message:
        `This model's maximum context length is ${window} tokens. However, you requested ${output} output tokens and your prompt contains at least ${input} input tokens, for a total of at least ${
          input + output
        } tokens.`,
      type: "BadRequestError",
      param: null,
      code: 400,
    },
  }),
  /** github.com/vllm-project/vllm/issues/21089 (an empty assistant message). */
  emptyAssistant: (): ErrorReply => ({
    status: 400,
    body: {
      object: "error",
      message:
        "Invalid assistant message: role='assistant' content=None tool_calls=None prefix=False",
      type: "BadRequestError",
      param: null,
      code: 400,
    },
  }),
};

/** llama.cpp's llama-server. */
export const LLAMACPP = {
  /** github.com/oobabooga/textgen/issues/7257 and ggml-org/llama.cpp/pull/15780. */
  context: (input: number, nCtx: number): ErrorReply => ({
    status: 400,
    body: {
      error: {
        code: 400,
        message:
          "the request exceeds the available context size, try increasing it",
        type: "exceed_context_size_error",
        n_prompt_tokens: input,
        n_ctx: nCtx,
      },
    },
  }),
};

/** A web server that is not an API (a wrong --api-base). */
export const NGINX_PAGE =
  `<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and working.</p>\n</body>\n</html>\n`;
