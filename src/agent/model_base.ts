/**
 * Which base URL a model is sent to (kept apart from the model client so
 * start-up code can use it without loading the SDK).
 *
 * @module
 */

import { type Config, DEFAULT_CONFIG } from "../config/fields.ts";

/**
 * The base URL to give a model: `api_base` when the user chose it. Left at
 * its OpenRouter default, it does not redirect `openai/...` or `ollama/...`
 * models to OpenRouter; their providers' own URLs apply (OpenRouter's for
 * `openrouter/...` models, or `OPENROUTER_API_BASE`).
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { apiBaseFor } from "./model_base.ts";
 * console.log(apiBaseFor({ ...DEFAULT_CONFIG }, "openai/gpt-4o")); // undefined
 * ```
 */
export function apiBaseFor(
  config: Config,
  _model?: string,
): string | undefined {
  // Left at its default (OpenRouter's own URL), it moves no model: each
  // provider's URL applies, or the one its environment variable names.
  return config.api_base !== DEFAULT_CONFIG.api_base
    ? config.api_base
    : undefined;
}

/**
 * The model behind `llm_query`: `sub_lm`, except that the default sub-model
 * (an OpenRouter one) follows `lm` when `lm` is not an OpenRouter model or
 * `api_base` was changed, so a local or direct-provider session never asks
 * another host (nor a local server for a model it does not have).
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { subLmFor } from "./model_base.ts";
 * subLmFor({ ...DEFAULT_CONFIG, lm: "ollama/qwen3" }); // "ollama/qwen3"
 * subLmFor({ ...DEFAULT_CONFIG }); // "openrouter/openai/gpt-5-mini"
 * ```
 */
export function subLmFor(config: Config): string {
  if (config.sub_lm !== DEFAULT_CONFIG.sub_lm) return config.sub_lm;
  const openrouterLm = config.lm.split("/")[0] === "openrouter";
  return openrouterLm && config.api_base === DEFAULT_CONFIG.api_base
    ? config.sub_lm
    : config.lm;
}
