/**
 * What a config file from an untrusted place would loosen or redirect,
 * compared with the user's own configuration: a freer permission mode,
 * the command sandbox turned off, higher limits (`max_iters`,
 * `cell_timeout`, ...), allow rules, `env_allow`, `add_dirs`, MCP servers
 * (they run programs), `mcp_allow_read_only`, another `api_base`, and a
 * model that would send one of the user's keys to a host their own
 * configuration does not send it to. Everything else (deny rules, a
 * stricter mode, lower limits, display settings, a model on the same
 * endpoint) may always apply.
 *
 * @module
 */

import { apiBaseFor } from "../agent/model_base.ts";
import {
  type Config,
  PERMISSION_MODES,
  type PermissionMode,
} from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import { resolveModel } from "../lm/models.ts";
import { mcpLoosening } from "../mcp/trust_items.ts";

/** One loosening or redirecting setting. */
export interface Loosening {
  /** The setting's key in the file: `permission_mode`, `permissions.allow`, ... */
  setting: string;
  /** A stable id of this exact change, for remembering what was trusted. */
  id: string;
  /** What it would do, for people: `set permission_mode to "yolo" (yours: "ask")`. */
  text: string;
}

/** The user's own configuration, that a file is compared with. */
export interface Baseline {
  /** The configuration without the file (defaults, user config, `--config`, environment, flags). */
  config: Config;
  /** Where each of its values came from (`flag` and `environment` cannot be overridden). */
  sources: Record<keyof Config, string>;
  /** Where API keys are read from. */
  env: EnvReader;
}

const FIXED = new Set(["flag", "environment"]);

/**
 * The limits that bound what a turn may cost and how long it may run: a
 * file may lower them, raising them is loosening.
 */
const LIMITS = [
  "max_iters",
  "max_tokens",
  "max_output_chars",
  "cell_timeout",
  "idle_timeout",
  "sub_lm_concurrency",
] as const;

function settable(baseline: Baseline, key: keyof Config): boolean {
  return !FIXED.has(baseline.sources[key]);
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string")
    : [];
}

/**
 * The origins a configuration sends model requests to (main model and
 * sub-model; a model with an invalid name counts as none).
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { modelOrigins } from "./loosening.ts";
 * console.log([...modelOrigins({ ...DEFAULT_CONFIG })]); // ["https://openrouter.ai"]
 * ```
 */
export function modelOrigins(config: Config): Set<string> {
  const out = new Set<string>();
  for (const model of [config.lm, config.sub_lm]) {
    const resolved = resolve(config, model, () => undefined);
    if (resolved) out.add(new URL(resolved.baseURL).origin);
  }
  return out;
}

function resolve(config: Config, model: string, env: EnvReader) {
  try {
    return resolveModel(model, { apiBase: apiBaseFor(config, model), env });
  } catch {
    return null;
  }
}

/**
 * The models of `candidate` that would send one of the user's keys to an
 * origin `baseline` sends no requests to: `[field, model,
 * "KEYVAR@origin"]` for each.
 *
 * @example
 * ```ts ignore
 * for (const [field, model, where] of newKeyDestinations(candidate, baseline.config, env)) console.log(field, where);
 * ```
 */
export function newKeyDestinations(
  candidate: Config,
  baseline: Config,
  env: EnvReader,
): [keyof Config, string, string][] {
  const known = modelOrigins(baseline);
  const out: [keyof Config, string, string][] = [];
  for (const field of ["lm", "sub_lm"] as const) {
    const resolved = resolve(candidate, candidate[field], env);
    if (!resolved || resolved.apiKey === null || resolved.keyVar === null) {
      continue;
    }
    const origin = new URL(resolved.baseURL).origin;
    if (!known.has(origin)) {
      out.push([field, candidate[field], `${resolved.keyVar}@${origin}`]);
    }
  }
  return out;
}

/**
 * Lists what the file's `values` would loosen or redirect.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG, FIELDS } from "../config/fields.ts";
 * import { looseningOf } from "./loosening.ts";
 * const sources = Object.fromEntries(FIELDS.map((f) => [f.key, "default"])) as never;
 * const items = looseningOf(
 *   { permission_mode: "yolo", max_iters: 5, permissions: { deny: ["run_bash(rm *)"] } },
 *   { config: { ...DEFAULT_CONFIG }, sources, env: () => undefined },
 * );
 * console.log(items.map((i) => i.id)); // ["permission_mode=yolo"]
 * ```
 */
export function looseningOf(
  values: Record<string, unknown>,
  baseline: Baseline,
): Loosening[] {
  const items: Loosening[] = [];
  const mine = baseline.config;
  const mode = values.permission_mode;
  if (
    settable(baseline, "permission_mode") &&
    PERMISSION_MODES.includes(mode as PermissionMode) &&
    PERMISSION_MODES.indexOf(mode as PermissionMode) >
      PERMISSION_MODES.indexOf(mine.permission_mode)
  ) {
    items.push({
      setting: "permission_mode",
      id: `permission_mode=${mode}`,
      text:
        `set permission_mode to "${mode}" (yours: "${mine.permission_mode}")`,
    });
  }
  if (
    values.sandbox === "off" && mine.sandbox !== "off" &&
    settable(baseline, "sandbox")
  ) {
    items.push({
      setting: "sandbox",
      id: "sandbox=off",
      text: `turn the command sandbox off (yours: "${mine.sandbox}")`,
    });
  }
  for (const field of LIMITS) {
    // As loading reads it: a number, or a string holding one.
    const raw = values[field];
    const value = typeof raw === "string" && raw.trim() ? Number(raw) : raw;
    if (
      typeof value === "number" && value > mine[field] &&
      settable(baseline, field)
    ) {
      items.push({
        setting: field,
        id: `${field}=${value}`,
        text: `raise ${field} to ${value} (yours: ${mine[field]})`,
      });
    }
  }
  const permissions = values.permissions;
  const allow = typeof permissions === "object" && permissions !== null
    ? strings((permissions as Record<string, unknown>).allow)
    : [];
  for (const rule of allow) {
    items.push({
      setting: "permissions.allow",
      id: `allow:${rule}`,
      text: `allow ${rule} without asking`,
    });
  }
  for (const name of strings(values.env_allow)) {
    items.push({
      setting: "env_allow",
      id: `env_allow:${name}`,
      text: `give commands the variable ${name} (env_allow)`,
    });
  }
  for (const dir of strings(values.add_dirs)) {
    items.push({
      setting: "add_dirs",
      id: `add_dirs:${dir}`,
      text: `let the tools use the folder ${dir} (add_dirs)`,
    });
  }
  const candidate = { ...mine };
  for (const field of ["api_base", "lm", "sub_lm"] as const) {
    const value = values[field];
    if (
      typeof value === "string" && value.trim() && settable(baseline, field)
    ) {
      candidate[field] = value.trim();
    }
  }
  if (candidate.api_base !== mine.api_base) {
    items.push({
      setting: "api_base",
      id: `api_base=${candidate.api_base}`,
      text:
        `send model requests to ${candidate.api_base} (yours: ${mine.api_base})`,
    });
  }
  // A model is judged with the file's api_base and without it (that item
  // may be refused while the model applies).
  const flagged = new Map<keyof Config, string>();
  const variants = [candidate, { ...candidate, api_base: mine.api_base }];
  for (const variant of variants) {
    for (
      const [field, , where] of newKeyDestinations(variant, mine, baseline.env)
    ) {
      if (candidate[field] !== mine[field] && !flagged.has(field)) {
        flagged.set(field, where);
      }
    }
  }
  items.push(...mcpLoosening(values));
  for (const [field, destination] of flagged) {
    const [keyVar, origin] = destination.split("@");
    items.push({
      setting: field,
      id: `${field}=${candidate[field]}`,
      text: `use ${field} ${
        candidate[field]
      }, which sends your ${keyVar} to ${origin}`,
    });
  }
  return items;
}

/**
 * A copy of `values` without the settings of `items` (what an untrusted
 * file may still apply: deny rules, a stricter mode, limits, ...).
 *
 * @example
 * ```ts
 * import { withoutLoosening } from "./loosening.ts";
 * const kept = withoutLoosening(
 *   { permission_mode: "yolo", permissions: { allow: ["run_bash"], deny: ["read_file(.env)"] } },
 *   [{ setting: "permission_mode", id: "permission_mode=yolo", text: "" }],
 * );
 * console.log(kept); // { permissions: { deny: ["read_file(.env)"] } }
 * ```
 */
export function withoutLoosening(
  values: Record<string, unknown>,
  items: Loosening[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  // Whatever the listed items, these never apply from an untrusted file.
  delete out.env_allow;
  delete out.add_dirs;
  delete out.trusted_folders;
  delete out.mcpServers;
  delete out.mcp_allow_read_only;
  const permissions = values.permissions;
  if (typeof permissions === "object" && permissions !== null) {
    const { allow: _allow, ...rest } = permissions as Record<string, unknown>;
    out.permissions = rest;
  }
  for (const item of items) {
    if (
      ["permission_mode", "sandbox", "api_base", "lm", "sub_lm", ...LIMITS]
        .includes(item.setting)
    ) {
      delete out[item.setting];
    }
  }
  return out;
}
