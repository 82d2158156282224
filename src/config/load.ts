/**
 * Resolves the configuration from its layers. Precedence, highest first:
 * flags, environment (`MODEL` overrides `lm`), the `--config` file, the
 * project file (`.nanocode/config.json`), the user file, the defaults.
 *
 * @module
 */

import { type Config, DEFAULT_CONFIG, FIELDS, parseField } from "./fields.ts";
import type { EnvReader } from "./paths.ts";

/** Where each layer comes from. Missing files are fine; broken ones are errors. */
export interface ConfigSources {
  /** Raw flag values by field. */
  flags?: Partial<Record<keyof Config, unknown>>;
  /** Reads the fields' environment variables and `MODEL`. Default: none are read. */
  env?: EnvReader;
  /** `--config FILE`: must exist. */
  configFile?: string;
  /** The project file; skipped when absent. */
  projectFile?: string;
  /**
   * Project config files already read (and vetted by the trust decision,
   * `src/trust/`), lowest precedence first; used instead of reading
   * `projectFile`'s loosening settings unchecked.
   */
  projectLayers?: { path: string; values: Record<string, unknown> }[];
  /** The user file; skipped when absent. */
  userFile?: string;
}

/** The resolved configuration and where each value came from. */
export interface LoadedConfig {
  /** Every config field, resolved through the layers. */
  config: Config;
  /** For each field: "default", "user config", "project config", "--config", "environment" or "flag". */
  sources: Record<keyof Config, string>;
  /** Keys of the config files that are not config fields, merged (higher layers win). */
  extras: Record<string, unknown>;
  /**
   * The same keys file by file, lowest precedence first (user, project,
   * `--config`), for settings that add up across files (rules, `env_allow`).
   */
  extraLayers: Record<string, unknown>[];
  /** Things worth telling the user (unknown keys, for example). */
  warnings: string[];
}

/** Thrown when a config file cannot be read or parsed, or a value is invalid. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Reads a config file's JSON object; `null` for a missing file that is not
 * `required`.
 *
 * @throws {ConfigError} naming the file when it cannot be read, is not JSON or not an object.
 * @example
 * ```ts ignore
 * const values = await readJson(".nanocode/config.json", false);
 * ```
 */
export async function readJson(
  path: string,
  required: boolean,
): Promise<Record<string, unknown> | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (!required && error instanceof Deno.errors.NotFound) return null;
    throw new ConfigError(
      `Cannot read config file ${path}: ${(error as Error).message}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `Config file ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`Config file ${path} must hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

const KNOWN_EXTRAS = new Set([
  "permissions",
  "env_allow",
  "add_dirs",
  "notify",
  "notify_after",
  "trusted_folders",
  "model",
  "$schema",
  "mcpServers",
  "mcp_startup_timeout",
  "mcp_tool_timeout",
  "mcp_allow_read_only",
]);

/**
 * Resolves the configuration.
 *
 * @throws {ConfigError} for an unreadable or invalid file or value, naming it.
 * @example
 * ```ts
 * import { loadConfig } from "./load.ts";
 * const { config, sources } = await loadConfig({ flags: { max_iters: "5" }, env: () => undefined });
 * console.log(config.max_iters, sources.max_iters); // 5 "flag"
 * ```
 */
export async function loadConfig(
  sources: ConfigSources = {},
): Promise<LoadedConfig> {
  const config: Config = { ...DEFAULT_CONFIG };
  const from = Object.fromEntries(
    FIELDS.map((f) => [f.key, "default"]),
  ) as Record<keyof Config, string>;
  const extras: Record<string, unknown> = {};
  const warnings: string[] = [];
  const set = (key: keyof Config, raw: unknown, source: string) => {
    const spec = FIELDS.find((f) => f.key === key)!;
    try {
      (config as unknown as Record<string, unknown>)[key] = parseField(
        spec,
        raw,
        source,
      );
    } catch (error) {
      throw new ConfigError((error as Error).message);
    }
    from[key] = source;
  };

  type Layer = [string | undefined, string, boolean, Record<string, unknown>?];
  const files: Layer[] = [
    [sources.userFile, "user config", false],
    ...(sources.projectLayers ?? []).map(({ path, values }): Layer => [
      path,
      "project config",
      false,
      values,
    ]),
    [sources.projectFile, "project config", false],
    [sources.configFile, "--config", true],
  ];
  const contents = await Promise.all(
    files.map(([path, , required, values]) =>
      values ?? (path ? readJson(path, required) : null)
    ),
  );
  const extraLayers: Record<string, unknown>[] = [];
  for (const [index, [path, label]] of files.entries()) {
    const values = contents[index];
    if (!path || !values) continue;
    const layerExtras: Record<string, unknown> = {};
    extraLayers.push(layerExtras);
    for (const [key, raw] of Object.entries(values)) {
      if (FIELDS.some((f) => f.key === key)) {
        if (raw !== null) set(key as keyof Config, raw, `${label} (${path})`);
      } else {
        if (!KNOWN_EXTRAS.has(key)) {
          warnings.push(`Unknown key "${key}" in ${path} was ignored`);
        }
        extras[key] = raw;
        layerExtras[key] = raw;
      }
    }
    for (const key of FIELDS.map((f) => f.key)) {
      if (from[key] === `${label} (${path})`) from[key] = label;
    }
  }

  const env = sources.env ?? (() => undefined);
  for (const spec of FIELDS) {
    const raw = env(spec.env);
    if (raw !== undefined && raw !== "") {
      set(spec.key, raw, `environment (${spec.env})`);
    }
  }
  const model = env("MODEL");
  if (model) set("lm", model, "environment (MODEL)");
  for (const spec of FIELDS) {
    if (from[spec.key].startsWith("environment")) {
      from[spec.key] = "environment";
    }
  }

  for (const [key, raw] of Object.entries(sources.flags ?? {})) {
    if (raw === undefined) continue;
    const spec = FIELDS.find((f) => f.key === key);
    if (!spec) throw new ConfigError(`Unknown config field "${key}"`);
    set(spec.key, raw, `--${spec.flag}`);
    from[spec.key] = "flag";
  }
  return { config, sources: from, extras, extraLayers, warnings };
}
