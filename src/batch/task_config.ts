/**
 * Per-task config overrides: which fields a tasks file (or a job from the
 * queue) may set, and how they combine with the batch's own settings.
 *
 * A tasks file is input like any other: it may come from somewhere else (a
 * downloaded evaluation suite, a job on a shared queue). So it cannot say
 * where API keys are sent (`api_base`), and it cannot give a task more
 * freedom than the batch has (`permission_mode` only at or below the
 * batch's mode, `sandbox: "off"` only when the batch's is off).
 *
 * @module
 */

import {
  type Config,
  FIELDS,
  parseField,
  PERMISSION_MODES,
} from "../config/fields.ts";

/** Fields a task may not set, and why. */
const FORBIDDEN: Partial<Record<keyof Config, string>> = {
  api_base:
    "a tasks file cannot choose where your API key is sent; use --api-base or a config file",
};

/**
 * Checks a task's `config` object and parses its values.
 *
 * @throws {TypeError} naming the bad key or value.
 * @example
 * ```ts
 * import { parseTaskConfig } from "./task_config.ts";
 * console.log(parseTaskConfig({ max_iters: "5", lm: "openai/gpt-4o" })); // { max_iters: 5, lm: "openai/gpt-4o" }
 * ```
 */
export function parseTaskConfig(raw: unknown): Partial<Config> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TypeError('"config" must be an object like {"max_iters": 20}');
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const spec = FIELDS.find((f) => f.key === key);
    if (!spec) {
      throw new TypeError(
        `"config" has an unknown key "${key}" (known: ${
          FIELDS.map((f) => f.key).join(", ")
        })`,
      );
    }
    const why = FORBIDDEN[spec.key];
    if (why) throw new TypeError(`"config.${key}" is not allowed: ${why}`);
    out[key] = parseField(spec, value, `"config.${key}"`);
  }
  return out as Partial<Config>;
}

/**
 * The config a task runs with: the batch's, then the task's overrides. A
 * task may lower the permission mode, never raise it, and may not turn the
 * command sandbox off.
 *
 * @throws {TypeError} when the task asks for a freer permission mode, no sandbox, or a forbidden field.
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { taskConfig } from "./task_config.ts";
 * const config = taskConfig({ ...DEFAULT_CONFIG, permission_mode: "yolo" }, { permission_mode: "auto-edit" });
 * console.log(config.permission_mode); // "auto-edit"
 * ```
 */
export function taskConfig(
  base: Config,
  overrides: Partial<Config> | undefined,
): Config {
  const checked = parseTaskConfig(overrides ?? {});
  const mode = checked.permission_mode;
  if (
    mode !== undefined &&
    PERMISSION_MODES.indexOf(mode) > PERMISSION_MODES.indexOf(
        base.permission_mode,
      )
  ) {
    throw new TypeError(
      `"config.permission_mode" ${
        JSON.stringify(mode)
      } is not allowed: the batch runs in "${base.permission_mode}" mode, and a task may only ask for less (set --permission-mode for the batch)`,
    );
  }
  if (checked.sandbox === "off" && base.sandbox !== "off") {
    throw new TypeError(
      `"config.sandbox" "off" is not allowed: the batch runs commands in the sandbox, and a task cannot turn it off (set --sandbox off for the batch)`,
    );
  }
  return { ...base, ...checked };
}
