/**
 * The environment `run_bash` children get: the agent's environment without
 * credentials and without nanocode's own variables.
 *
 * @module
 */

/** Name parts that mark a variable as a credential (case-insensitive). */
const SENSITIVE_PARTS = [
  "KEY",
  "TOKEN",
  "SECRET",
  "PASSWORD",
  "PASSWD",
  "CREDENTIAL",
];

/** Variables nanocode itself reads, removed whatever their names. */
const OWN_NAMES = new Set([
  "MODAIC_TOKEN",
  "OPENROUTER_API_KEY",
  "OPENAI_API_KEY",
]);

/**
 * Whether a variable is withheld from commands: its name contains KEY,
 * TOKEN, SECRET, PASSWORD, PASSWD or CREDENTIAL (any case), starts with
 * `NANOCODE_`, or is one of the keys nanocode uses.
 *
 * @example
 * ```ts
 * import { isSensitiveEnvName } from "./env.ts";
 * console.log(isSensitiveEnvName("GITHUB_TOKEN")); // true
 * console.log(isSensitiveEnvName("PATH")); // false
 * ```
 */
export function isSensitiveEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return OWN_NAMES.has(name) || upper.startsWith("NANOCODE_") ||
    SENSITIVE_PARTS.some((part) => upper.includes(part));
}

/**
 * Copies `env` without sensitive variables (see
 * {@linkcode isSensitiveEnvName}), keeping any named in `allow`.
 *
 * @example
 * ```ts
 * import { scrubEnv } from "./env.ts";
 * const env = { PATH: "/bin", GH_TOKEN: "x", NPM_TOKEN: "y" };
 * console.log(scrubEnv(env, ["NPM_TOKEN"])); // { PATH: "/bin", NPM_TOKEN: "y" }
 * ```
 */
export function scrubEnv(
  env: Record<string, string>,
  allow: string[] = [],
): Record<string, string> {
  const keep = new Set(allow);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (keep.has(name) || !isSensitiveEnvName(name)) out[name] = value;
  }
  return out;
}
