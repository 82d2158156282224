/**
 * The models a batch task uses: the ordinary model client, with every call
 * passing the batch's {@linkcode Throttle} and every rate-limit retry
 * reported to it.
 *
 * @module
 */

import { buildLm } from "../agent/lms.ts";
import type { Config } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import type { RetryInfo } from "../lm/client.ts";
import type { LanguageModel } from "../lm/types.ts";
import type { Throttle } from "./throttle.ts";

/** Builds one model client (the real one: {@linkcode buildLm}). */
export type LmFactory = (
  config: Config,
  model: string,
  env: EnvReader,
  onRetry: (info: RetryInfo) => void,
) => LanguageModel;

/**
 * Whether a retry report is about a rate limit (HTTP 429).
 *
 * @example
 * ```ts
 * import { isRateLimitRetry } from "./gated_lm.ts";
 * console.log(isRateLimitRetry({ attempt: 1, delayMs: 1000, reason: "HTTP 429 (rate limited)" })); // true
 * ```
 */
export function isRateLimitRetry(info: RetryInfo): boolean {
  const status = (info as RetryInfo & { status?: number }).status;
  return info.rateLimited === true || status === 429 ||
    /\b429\b|rate.?limit/i.test(info.reason);
}

/**
 * Wraps a model so each call waits for the throttle and counts as a success
 * for it when it goes through.
 *
 * @example
 * ```ts ignore
 * const lm = gatedLm(buildLm(config, config.lm, env), new Throttle(4));
 * ```
 */
export function gatedLm(lm: LanguageModel, throttle: Throttle): LanguageModel {
  return {
    model: lm.model,
    async complete(request) {
      const release = await throttle.acquire(request.signal);
      // A caller's own onRetry replaces the client's, so the throttle listens here too.
      const own = request.onRetry;
      const watched = own
        ? {
          ...request,
          onRetry: (info: RetryInfo) => {
            if (isRateLimitRetry(info)) throttle.rateLimited(info.delayMs);
            own(info);
          },
        }
        : request;
      try {
        const completion = await lm.complete(watched);
        throttle.succeeded();
        return completion;
      } finally {
        release();
      }
    },
  };
}

/**
 * The main model and the sub-model of one task, both gated by `throttle`;
 * a rate-limit retry of either slows the whole batch down.
 *
 * @example
 * ```ts ignore
 * const [lm, subLm] = taskLms(config, env, throttle);
 * ```
 */
export function taskLms(
  config: Config,
  env: EnvReader,
  throttle: Throttle,
  factory: LmFactory = buildLm,
  onRetry?: (info: RetryInfo) => void,
): [LanguageModel, LanguageModel] {
  const report = (info: RetryInfo) => {
    if (isRateLimitRetry(info)) throttle.rateLimited(info.delayMs);
    onRetry?.(info);
  };
  return [
    gatedLm(factory(config, config.lm, env, report), throttle),
    gatedLm(factory(config, config.sub_lm, env, report), throttle),
  ];
}
