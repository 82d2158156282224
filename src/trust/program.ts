/**
 * What a loaded program (`--program`, `CodingAgent.fromPrecompiled`) may
 * change: instructions and model choices, never policy. Its
 * `permission_mode` and any `permissions`, `env_allow` or `add_dirs` it
 * carries are ignored; an `api_base` other than the user's (the default
 * one counts as none: saved programs carry every field), or a model
 * that would send one of the user's keys to a host their configuration
 * does not send it to, is a redirect the user must accept before any
 * request is made.
 *
 * @module
 */

import { type Config, DEFAULT_CONFIG, FIELDS } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import { NOT_IN_PROGRAMS } from "../program/config_json.ts";
import type { ProgramState } from "../program/state.ts";
import { writtenForPython } from "../program/program_repl.ts";
import { newKeyDestinations } from "./loosening.ts";

/** What a program would change, and what of it applies. */
export interface ProgramReview {
  /** Each setting it changes, e.g. `max_iters 50 → 30`. */
  changes: string[];
  /** Settings it carries that never apply, with why. */
  ignored: string[];
  /** One sentence when it would send requests or a key elsewhere; `null` otherwise. */
  redirect: string | null;
  /** The configuration with the program applied (what is ignored left out). */
  config: Config;
}

const POLICY_KEYS = ["permissions", "env_allow", "add_dirs", "trusted_folders"];

function shown(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * Compares a program with the configuration in force. Fields whose source
 * is `flag` or `environment` keep their value (the user chose it).
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG, FIELDS } from "../config/fields.ts";
 * import { reviewProgram } from "./program.ts";
 * const sources = Object.fromEntries(FIELDS.map((f) => [f.key, "default"])) as never;
 * const review = reviewProgram(
 *   { config: { ...DEFAULT_CONFIG, max_iters: 30, permission_mode: "yolo" }, instructions: "x" },
 *   { ...DEFAULT_CONFIG },
 *   sources,
 *   () => undefined,
 * );
 * console.log(review.changes, review.config.permission_mode); // ["max_iters 50 → 30"] "ask"
 * ```
 */
export function reviewProgram(
  state: ProgramState,
  current: Config,
  sources: Record<keyof Config, string>,
  env: EnvReader,
): ProgramReview {
  const config: Config = { ...current };
  const changes: string[] = [];
  const ignored: string[] = [];
  for (const { key } of FIELDS) {
    // The user's own settings a program never carries (`sandbox`).
    if (NOT_IN_PROGRAMS.includes(key)) continue;
    const value = state.config[key];
    if (
      sources[key] === "flag" || sources[key] === "environment" ||
      value === current[key] ||
      // Saved programs carry every field; the default endpoint is no choice.
      (key === "api_base" && value === DEFAULT_CONFIG.api_base) ||
      // A config.json without `repl` (the Python original's) chose none.
      (key === "repl" && savedWithout(state, "repl"))
    ) continue;
    if (key === "permission_mode") {
      ignored.push(
        `permission_mode ${
          shown(value)
        } (a program never changes the permission mode)`,
      );
      continue;
    }
    changes.push(`${key} ${shown(current[key])} → ${shown(value)}`);
    (config as unknown as Record<string, unknown>)[key] = value;
  }
  // A program written for DSPy's Python REPL gets Python cells, unless the
  // user chose the REPL.
  if (
    config.repl !== "python" && writtenForPython(state) &&
    (sources.repl ?? "default") === "default"
  ) {
    changes.push(
      `repl ${
        shown(config.repl)
      } → "python" (its instructions were written for a Python REPL)`,
    );
    config.repl = "python";
  }
  const extra = state.preserved?.configJson ?? {};
  for (const key of POLICY_KEYS) {
    if (extra[key] !== undefined && extra[key] !== null) {
      ignored.push(`${key} (a program never changes the policy)`);
    }
  }
  const where: string[] = [];
  if (config.api_base !== current.api_base) {
    where.push(
      `send model requests to ${config.api_base} instead of ${current.api_base}`,
    );
  }
  for (
    const [field, model, destination] of newKeyDestinations(
      config,
      current,
      env,
    )
  ) {
    const [keyVar, origin] = destination.split("@");
    where.push(`send your ${keyVar} to ${origin} (${field} ${model})`);
  }
  return {
    changes,
    ignored,
    redirect: where.length ? `It would ${where.join(", and ")}.` : null,
    config,
  };
}

/**
 * The configuration a library caller gets from a program
 * (`CodingAgent.fromPrecompiled`): `given` (the caller's config) wins,
 * the program's policy settings are ignored, and a redirect throws.
 *
 * @throws {Error} when the program would send requests or a key elsewhere.
 * @example
 * ```ts ignore
 * const config = programConfigFor("me/coder", state, { max_iters: 10 }, env);
 * ```
 */
export function programConfigFor(
  name: string,
  state: ProgramState,
  given: Partial<Config>,
  base: Config,
  env: EnvReader,
): Config {
  const current = { ...base, ...definedOnly(given) };
  const sources = Object.fromEntries(
    FIELDS.map((f) => [f.key, given[f.key] === undefined ? "default" : "flag"]),
  ) as Record<keyof Config, string>;
  const review = reviewProgram(state, current, sources, env);
  if (review.redirect) {
    throw new Error(
      `Cannot load program ${name}: ${review.redirect} Pass api_base (and lm, sub_lm) in the config to accept that.`,
    );
  }
  return review.config;
}

function savedWithout(state: ProgramState, key: string): boolean {
  const saved = state.preserved?.configJson;
  return saved !== undefined && !Object.hasOwn(saved, key);
}

function definedOnly(config: Partial<Config>): Partial<Config> {
  return Object.fromEntries(
    Object.entries(config).filter(([, v]) => v !== undefined),
  ) as Partial<Config>;
}
