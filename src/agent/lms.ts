/**
 * Builds the language models from the configuration.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import { OpenAiLm, type RetryInfo } from "../lm/client.ts";
import type { LanguageModel } from "../lm/types.ts";
import { apiBaseFor } from "./model_base.ts";

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
