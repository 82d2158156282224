/**
 * Which base URL a model is sent to (kept apart from the model client so
 * start-up code can use it without loading the SDK).
 *
 * @module
 */

import { type Config, DEFAULT_CONFIG } from "../config/fields.ts";

/**
 * The base URL to give a model: `api_base` when the user chose it, or when
 * the model is an OpenRouter one. Left at its OpenRouter default, it does
 * not redirect `openai/...` or `ollama/...` models to OpenRouter; their
 * providers' own URLs apply.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { apiBaseFor } from "./model_base.ts";
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
