/**
 * `config.json`: `"model": null` first, then the config fields in the
 * Python original's declared order, then nanocode's own, then keys kept
 * from a loaded file.
 *
 * @module
 */

import {
  type Config,
  DEFAULT_CONFIG,
  FIELDS,
  parseField,
} from "../config/fields.ts";
import { isSecretKey, withoutSecrets } from "./secrets.ts";

/**
 * The order `config.json` lists the fields in: the Python original's
 * declaration order, then nanocode's own fields.
 */
export const CONFIG_KEY_ORDER: readonly (keyof Config)[] = [
  "max_iters",
  "lm",
  "sub_lm",
  "api_base",
  "max_tokens",
  "max_output_chars",
  "verbose",
  "track_usage",
  "track_trace",
  "cell_timeout",
  "permission_mode",
];

/**
 * Settings that are the user's own policy, never part of a saved program:
 * a program neither writes nor changes them.
 */
export const NOT_IN_PROGRAMS: readonly (keyof Config)[] = ["sandbox"];

/** Every known key in writing order (fields added later come last). */
function knownKeys(): (keyof Config)[] {
  const rest = FIELDS.map((f) => f.key).filter((k) =>
    !CONFIG_KEY_ORDER.includes(k) && !NOT_IN_PROGRAMS.includes(k)
  );
  return [...CONFIG_KEY_ORDER, ...rest];
}

/**
 * The object `config.json` holds for `config`, with the unknown keys of
 * `preserved` (a loaded `config.json`) after nanocode's. Keys naming a
 * secret are never included.
 *
 * @example
 * ```ts
 * import { configJson } from "./config_json.ts";
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * const json = configJson({ ...DEFAULT_CONFIG }, { track_trace: false, api_key: "x" });
 * console.log(Object.keys(json)[0], "track_trace" in json, "api_key" in json); // model true false
 * ```
 */
export function configJson(
  config: Config,
  preserved: Record<string, unknown> = {},
): Record<string, unknown> {
  const keys = knownKeys();
  const out: Record<string, unknown> = { model: null };
  for (const key of keys) out[key] = config[key];
  for (const [key, value] of Object.entries(preserved)) {
    if (key === "model" || (keys as string[]).includes(key)) continue;
    if ((NOT_IN_PROGRAMS as string[]).includes(key)) continue;
    if (!isSecretKey(key)) out[key] = withoutSecrets(value);
  }
  return out;
}

/**
 * Parses a loaded `config.json`: known fields are checked with
 * `parseField` (a `null` value means the default), `"model"` and unknown
 * keys are ignored (they stay in the returned `raw` for saving again).
 *
 * @throws {TypeError} naming `source` when the file is not an object or a field is invalid.
 * @example
 * ```ts
 * import { parseConfigJson } from "./config_json.ts";
 * const config = parseConfigJson({ model: null, max_iters: 20, track_trace: true }, "config.json");
 * console.log(config.max_iters); // 20
 * ```
 */
export function parseConfigJson(raw: unknown, source: string): Config {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new TypeError(`Invalid ${source}: expected a JSON object`);
  }
  const values = raw as Record<string, unknown>;
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const spec of FIELDS) {
    if (NOT_IN_PROGRAMS.includes(spec.key)) continue;
    const value = values[spec.key];
    if (value === undefined || value === null) continue;
    config[spec.key] = parseField(spec, value, source);
  }
  return config as unknown as Config;
}
