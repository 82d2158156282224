/**
 * The providers the emulator plays: where their API lives, their models'
 * limits (as the providers publish them), how `/models` lists them, and
 * what each checks before it answers.
 *
 * @module
 */

import { HOSTED_PROFILES, type HostedName } from "./profiles_hosted.ts";

/** One model's limits and quirks. */
export interface ModelSpec {
  /** Context window in tokens. */
  window: number;
  /** Most output tokens per reply, when the provider caps it apart from the window. */
  maxOutput?: number;
  /** Served only through the Responses API (OpenAI's `*-codex`). */
  responsesOnly?: boolean;
  /** Rejects `max_tokens` (wants `max_completion_tokens`): gpt-5, o-series. */
  wantsMaxCompletionTokens?: boolean;
  /** Streaming needs a verified organisation (gpt-5, o3). */
  streamNeedsVerification?: boolean;
  /** Through OpenRouter: the upstream provider whose errors come back in `metadata.raw`. */
  upstream?: "Anthropic" | "OpenAI" | "Alibaba" | "Novita";
  /** How it refuses `reasoning_effort` (Groq's Llama and Qwen3, xAI's grok-4). */
  effortRefusal?: "unsupported" | "noneOrDefault" | "xai";
  /** The upstream's own model name (for Anthropic's messages). */
  upstreamName?: string;
}

/** The providers the emulator plays. */
export type ProviderName =
  | "openai"
  | "openrouter"
  | "deepseek"
  | "groq"
  | "vllm"
  | "llamacpp"
  | "ollama"
  | HostedName;

/** A provider's API. */
export interface Profile {
  /** Path the API lives under, e.g. `/api/v1` for OpenRouter. */
  basePath: string;
  /** Its models by the id requests use. */
  models: Record<string, ModelSpec>;
  /** Its `/models` entry for a model. */
  listing(id: string, spec: ModelSpec): Record<string, unknown>;
  /** Requires a key (`Authorization: Bearer ...`); local servers take any. */
  needsKey: boolean;
  /** Reports prefix-cache hits on its own (OpenAI, DeepSeek); Anthropic needs breakpoints. */
  autoCache: boolean;
}

const created = 1_720_000_000;

/**
 * The profiles, with the limits the providers publish for these models
 * (gpt-4o: 16,384 output tokens; deepseek-chat: 8,192; Claude Opus 4:
 * 32,000; Groq llama-3.3-70b: 32,768).
 */
export const PROFILES: Readonly<Record<ProviderName, Profile>> = {
  openai: {
    basePath: "/v1",
    needsKey: true,
    autoCache: true,
    models: {
      "gpt-4o": { window: 128_000, maxOutput: 16_384 },
      "gpt-4o-mini": { window: 128_000, maxOutput: 16_384 },
      "gpt-4": { window: 8_192, maxOutput: 8_192 },
      "gpt-5": {
        window: 400_000,
        maxOutput: 128_000,
        wantsMaxCompletionTokens: true,
        streamNeedsVerification: true,
      },
      "o3": {
        window: 200_000,
        maxOutput: 100_000,
        wantsMaxCompletionTokens: true,
        streamNeedsVerification: true,
      },
      "gpt-5.2-codex": {
        window: 400_000,
        maxOutput: 128_000,
        responsesOnly: true,
        wantsMaxCompletionTokens: true,
      },
    },
    listing: (id) => ({ id, object: "model", created, owned_by: "system" }),
  },
  openrouter: {
    basePath: "/api/v1",
    needsKey: true,
    autoCache: true,
    models: {
      "openai/gpt-5.2-codex": {
        window: 400_000,
        maxOutput: 128_000,
        upstream: "OpenAI",
      },
      "openai/gpt-5-mini": {
        window: 400_000,
        maxOutput: 128_000,
        upstream: "OpenAI",
      },
      "openai/gpt-4o": {
        window: 128_000,
        maxOutput: 16_384,
        upstream: "OpenAI",
      },
      "openai/gpt-4": { window: 8_191, maxOutput: 4_096, upstream: "OpenAI" },
      "anthropic/claude-opus-4": {
        window: 200_000,
        maxOutput: 32_000,
        upstream: "Anthropic",
        upstreamName: "claude-opus-4-20250514",
      },
      "anthropic/claude-sonnet-4": {
        window: 200_000,
        maxOutput: 64_000,
        upstream: "Anthropic",
        upstreamName: "claude-sonnet-4-20250514",
      },
      "qwen/qwen3-coder": { window: 262_144, upstream: "Alibaba" },
      "deepseek/deepseek-v3.1-terminus:exacto": {
        window: 131_072,
        maxOutput: 32_768,
        upstream: "Novita",
      },
      "anthropic/claude-sonnet-4.5": {
        window: 200_000,
        maxOutput: 64_000,
        upstream: "Anthropic",
        upstreamName: "claude-sonnet-4-5-20250929",
      },
    },
    // OpenRouter's /models lists context_length and top_provider limits.
    listing: (id, spec) => ({
      id,
      canonical_slug: id,
      name: id,
      created,
      context_length: spec.window,
      architecture: { modality: "text->text", tokenizer: "Other" },
      top_provider: {
        context_length: spec.window,
        max_completion_tokens: spec.maxOutput ?? null,
        is_moderated: spec.upstream === "Anthropic",
      },
      pricing: { prompt: "0.000003", completion: "0.000015" },
    }),
  },
  deepseek: {
    basePath: "/v1",
    needsKey: true,
    autoCache: true,
    models: {
      "deepseek-chat": { window: 131_072, maxOutput: 8_192 },
      "deepseek-reasoner": { window: 131_072, maxOutput: 65_536 },
    },
    listing: (id) => ({ id, object: "model", owned_by: "deepseek" }),
  },
  groq: {
    basePath: "/openai/v1",
    needsKey: true,
    autoCache: false,
    models: {
      "llama-3.3-70b-versatile": {
        window: 131_072,
        maxOutput: 32_768,
        effortRefusal: "unsupported",
      },
      "qwen/qwen3-32b": {
        window: 131_072,
        maxOutput: 40_960,
        effortRefusal: "noneOrDefault",
      },
    },
    // Groq lists context_window and max_completion_tokens.
    listing: (id, spec) => ({
      id,
      object: "model",
      created,
      owned_by: "Meta",
      active: true,
      context_window: spec.window,
      max_completion_tokens: spec.maxOutput,
    }),
  },
  vllm: {
    basePath: "/v1",
    needsKey: false,
    autoCache: false,
    models: { "Qwen/Qwen2.5-Coder-32B-Instruct": { window: 32_768 } },
    // vLLM lists max_model_len.
    listing: (id, spec) => ({
      id,
      object: "model",
      created,
      owned_by: "vllm",
      root: id,
      parent: null,
      max_model_len: spec.window,
    }),
  },
  llamacpp: {
    basePath: "/v1",
    needsKey: false,
    autoCache: false,
    models: { "qwen2.5-coder-7b-instruct-q4_k_m.gguf": { window: 8_192 } },
    // llama-server lists the training context; /props has the running one.
    listing: (id) => ({
      id,
      object: "model",
      created,
      owned_by: "llamacpp",
      meta: { n_ctx_train: 32_768, n_vocab: 151_936, n_params: 7_615_616_512 },
    }),
  },
  ollama: {
    basePath: "/v1",
    needsKey: false,
    autoCache: false,
    models: {
      "qwen2.5-coder:7b": { window: 32_768 },
      "gpt-oss:20b": { window: 131_072 },
    },
    listing: (id) => ({ id, object: "model", created, owned_by: "library" }),
  },
  ...HOSTED_PROFILES,
};

/**
 * Tokens in a text as the emulator counts them: one per four characters
 * (real tokenizers land near there for English and code).
 *
 * @example
 * ```ts
 * import { tokensOf } from "./profiles.ts";
 * tokensOf("abcdefgh"); // 2
 * ```
 */
export function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}
