/**
 * The options of the model client.
 *
 * @module
 */

import type { LmNotice, RetryNotice } from "./types.ts";

/** What {@linkcode OpenAiLmOptions.onRetry} is told before each retry. */
export type RetryInfo = RetryNotice;

/** Options of {@linkcode OpenAiLm}. */
export interface OpenAiLmOptions {
  /** Model name in `provider/model` form, e.g. `openrouter/openai/gpt-5-mini`. */
  model: string;
  /** Base URL of an OpenAI-compatible server; overrides the provider's. */
  apiBase?: string;
  /** API key; overrides the environment. */
  apiKey?: string;
  /** Reads environment variables (default `Deno.env.get`, `undefined` without permission). */
  env?: (name: string) => string | undefined;
  /** Default `max_tokens` of each request (lowered to what the model allows). */
  maxTokens?: number;
  /** Idle timeout: abort when the server sends nothing for this long (default 600 000). */
  timeoutMs?: number;
  /** Retries after a 429, 5xx or connection failure (default 4). */
  maxRetries?: number;
  /** Wait before the first retry; doubles each time (default 1000). */
  retryBaseMs?: number;
  /** Longest wait between retries, `Retry-After` included (default 30 000). */
  retryMaxMs?: number;
  /** Called before each retry wait (unless the request has its own). */
  onRetry?: (info: RetryInfo) => void;
  /** Called with each notice (unless the request has its own). */
  onNotice?: (notice: LmNotice) => void;
  /** Extra HTTP headers sent with every request. */
  headers?: Record<string, string>;
  /** Reasoning effort (`minimal`, `low`, `medium`, `high`), where supported. */
  reasoningEffort?: string;
  /** Ask the server's `/models` for the model's limits first (default true). */
  discoverLimits?: boolean;
}
