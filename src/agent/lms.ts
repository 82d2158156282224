/**
 * Builds the language models from the configuration.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import { OpenAiLm, type RetryInfo } from "../lm/client.ts";
import type { LanguageModel } from "../lm/types.ts";
import type { LmNotice } from "../lm/types.ts";
import { apiBaseFor, subLmFor } from "./model_base.ts";

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
  onNotice?: (notice: LmNotice) => void,
): LanguageModel {
  return new OpenAiLm({
    model,
    apiBase: apiBaseFor(config, model),
    maxTokens: config.max_tokens,
    timeoutMs: config.idle_timeout * 1000,
    reasoningEffort: config.reasoning_effort,
    env,
    onRetry,
    onNotice,
  });
}

/**
 * Builds the main model (`config.lm`) and the sub-model (see
 * {@linkcode subLmFor}), unless they are given; `onRetry` and `onNotice`
 * hear about retries and notices of either.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { buildLms } from "./lms.ts";
 * const [lm, subLm] = buildLms({ ...DEFAULT_CONFIG }, () => undefined, {});
 * console.log(lm.model, subLm.model);
 * ```
 */
export function buildLms(
  config: Config,
  env: EnvReader,
  given: { lm?: LanguageModel; subLm?: LanguageModel },
  onRetry?: (info: RetryInfo) => void,
  onNotice?: (notice: LmNotice) => void,
): [LanguageModel, LanguageModel] {
  const lm = given.lm ?? buildLm(config, config.lm, env, onRetry, onNotice);
  const subLm = given.subLm ??
    buildLm(config, subLmFor(config), env, onRetry, onNotice);
  return [lm, subLm];
}
