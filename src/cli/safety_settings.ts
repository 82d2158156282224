/**
 * The safety settings of config files (`permissions`, `env_allow`,
 * `add_dirs`), checked.
 *
 * @module
 */

import { parseRule, shownRule } from "../policy/rules.ts";

/** What the agent's safety layer takes from the configuration. */
export interface SafetySettings {
  permissions: { allow: string[]; deny: string[] };
  addDirs: string[];
  envAllow: string[];
}

function strings(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new TypeError(`Config ${what} must be a list of strings`);
  }
  return value as string[];
}

/**
 * Reads the safety settings from the config files' extra keys (one object
 * per file, or one merged object), plus the `--add-dir` folders. Rules,
 * `env_allow` and `add_dirs` add up across files: a later file cannot take
 * away an earlier file's deny rules.
 *
 * @throws {TypeError} naming the malformed setting.
 * @example
 * ```ts
 * import { safetySettings } from "./safety_settings.ts";
 * const settings = safetySettings([
 *   { permissions: { deny: ["run_bash(rm *)"] } },
 *   { permissions: { allow: ["run_bash(git status*)"] } },
 * ], []);
 * console.log(settings.permissions); // { allow: ["run_bash(git status*)"], deny: ["run_bash(rm *)"] }
 * ```
 */
export function safetySettings(
  extras: Record<string, unknown> | Record<string, unknown>[],
  addDirs: string[],
): SafetySettings {
  const settings: SafetySettings = {
    permissions: { allow: [], deny: [] },
    addDirs: [],
    envAllow: [],
  };
  for (const layer of Array.isArray(extras) ? extras : [extras]) {
    const one = layerSettings(layer);
    settings.permissions.allow.push(...one.permissions.allow);
    settings.permissions.deny.push(...one.permissions.deny);
    settings.addDirs.push(...one.addDirs);
    settings.envAllow.push(...one.envAllow);
  }
  settings.addDirs.push(...addDirs);
  return settings;
}

function layerSettings(extras: Record<string, unknown>): SafetySettings {
  const permissions = extras.permissions ?? {};
  if (
    typeof permissions !== "object" || permissions === null ||
    Array.isArray(permissions)
  ) {
    throw new TypeError(
      'Config "permissions" must be an object like {"allow": [...], "deny": [...]}',
    );
  }
  const rules = permissions as Record<string, unknown>;
  const allow = strings(rules.allow, '"permissions.allow"');
  const deny = strings(rules.deny, '"permissions.deny"');
  // Check the rules now, so a typo is a start-up error, not a refused tool.
  for (const rule of [...allow, ...deny]) {
    try {
      parseRule(rule);
    } catch (error) {
      throw new TypeError(
        `Config permission rule ${shownRule(rule)}: ${
          (error as Error).message
        }`,
      );
    }
  }
  return {
    permissions: { allow, deny },
    addDirs: strings(extras.add_dirs, '"add_dirs"'),
    envAllow: strings(extras.env_allow, '"env_allow"'),
  };
}
