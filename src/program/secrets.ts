/**
 * Keeps secrets out of the files nanocode writes: API keys, tokens and
 * passwords are dropped by key name, even when masked.
 *
 * @module
 */

/**
 * Whether a JSON key names a secret: it contains `key`, `secret`,
 * `password`, `passwd`, `credential` or `token` (case-insensitive). Token
 * counts such as `max_tokens` are not secrets.
 *
 * @example
 * ```ts
 * import { isSecretKey } from "./secrets.ts";
 * console.log(isSecretKey("api_key"), isSecretKey("hf_token"), isSecretKey("max_tokens")); // true true false
 * ```
 */
export function isSecretKey(name: string): boolean {
  return /key|secret|passw(or)?d|credential|token(?!s|izer)/i.test(name);
}

/**
 * A deep copy of `value` without any object entry whose key names a
 * secret, at any depth.
 *
 * @example
 * ```ts
 * import { withoutSecrets } from "./secrets.ts";
 * console.log(withoutSecrets({ lm: { model: "m", api_key: "********" } })); // { lm: { model: "m" } }
 * ```
 */
export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSecrets) as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (!isSecretKey(key)) out[key] = withoutSecrets(item);
  }
  return out as T;
}
