/**
 * Whether, and after how long, a failed model call is tried again.
 *
 * @module
 */

import { isTransient, type LmFailure } from "./errors.ts";
import { isLoopbackUrl, type ResolvedModel } from "./models.ts";
import { backoffDelay } from "./retry.ts";

/** The retry settings a decision depends on. */
export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Wait before the first retry (doubles each time). */
  retryBaseMs?: number;
  /** Longest wait, `Retry-After` included. */
  retryMaxMs?: number;
  /** The server's base URL. */
  baseURL: string;
}

/**
 * The wait before retrying after `failure` on attempt `attempt`, or `null`
 * when it is not retried: a failure that a retry cannot fix, retries used
 * up, a refused connection to this machine (nothing listens there, so
 * waiting would only delay the message), or a port fetch never connects to.
 *
 * @example
 * ```ts
 * import { retryDelay } from "./retry_policy.ts";
 * retryDelay({ kind: "rate_limited", retryAfterMs: 2000 }, 1, { maxRetries: 4, baseURL: "https://openrouter.ai/api/v1" }); // 2000
 * retryDelay({ kind: "auth" }, 1, { maxRetries: 4, baseURL: "https://openrouter.ai/api/v1" }); // null
 * ```
 */
export function retryDelay(
  failure: LmFailure,
  attempt: number,
  settings: RetrySettings,
): number | null {
  const refused = failure.kind === "unreachable" &&
    ((failure.detail === "connection refused" &&
      isLoopbackUrl(settings.baseURL)) ||
      failure.detail === "port blocked by fetch");
  if (!isTransient(failure.kind) || refused || attempt > settings.maxRetries) {
    return null;
  }
  const maxMs = settings.retryMaxMs ?? 30_000;
  return failure.retryAfterMs !== undefined
    ? Math.min(failure.retryAfterMs, maxMs)
    : backoffDelay(attempt, { baseMs: settings.retryBaseMs ?? 1000, maxMs });
}

/**
 * Whether a model is served by Ollama (its prefix, or its default port),
 * whose silent prompt truncation has its own advice.
 *
 * @example
 * ```ts
 * import { isOllama } from "./retry_policy.ts";
 * isOllama({ provider: "custom", baseURL: "http://localhost:11434/v1" }); // true
 * ```
 */
export function isOllama(
  resolved: Pick<ResolvedModel, "provider" | "baseURL">,
): boolean {
  return /^ollama/.test(resolved.provider) ||
    new URL(resolved.baseURL).port === "11434";
}
