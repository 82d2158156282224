/**
 * Builds the language models from the configuration.
 *
 * @module
 */

import { type Config, DEFAULT_CONFIG } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import { OpenAiLm, type RetryInfo } from "../lm/client.ts";
import type { LanguageModel } from "../lm/types.ts";

/**
 * The base URL to give a model: `api_base` when the user chose it, or when
 * the model is an OpenRouter one. Left at its OpenRouter default, it does
 * not redirect `openai/...` or `ollama/...` models to OpenRouter; their
 * providers' own URLs apply.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { apiBaseFor } from "./lms.ts";
 * console.log(apiBaseFor({ ...DEFAULT_CONFIG }, "openai/gpt-4o")); // undefined
 * ```
 */
export function apiBaseFor(config: Config, model: string): string | undefined {
  const provider = model.split("/")[0];
  if (
    config.api_base !== DEFAULT_CONFIG.api_base || provider === "openrouter"
  ) {
    return config.api_base;
  }
  return undefined;
}

/**
 * Builds one model client from the configuration.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { buildLm } from "./lms.ts";
 * const lm = buildLm({ ...DEFAULT_CONFIG }, "openrouter/openai/gpt-5-mini", () => undefined);
 * console.log(lm.model); // "openrouter/openai/gpt-5-mini"
 * ```
 */
export function buildLm(
  config: Config,
  model: string,
  env: EnvReader,
  onRetry?: (info: RetryInfo) => void,
): LanguageModel {
  return new OpenAiLm({
    model,
    apiBase: apiBaseFor(config, model),
    maxTokens: config.max_tokens,
    env,
    onRetry,
  });
}
