/**
 * The environment `run_bash` children get: the agent's environment without
 * credentials and without nanocode's own variables.
 *
 * The rule, in full: a variable is withheld when its name contains KEY,
 * TOKEN, SECRET, PASSWORD, PASSWD, CREDENTIAL or WEBHOOK; or has a word
 * (between underscores) PASS, PWD, PASSPHRASE, AUTH, DSN, COOKIE, PAT, JWT
 * or BEARER (`DB_PASS`, `MYSQL_PWD`, `NPM_CONFIG__AUTH`, `SENTRY_DSN`,
 * `CI_JOB_JWT`; not `PWD` itself, `OLDPWD` or `SSH_AUTH_SOCK`); starts
 * with `NANOCODE_`; is a key nanocode reads; or when its value is a URL
 * carrying a password (`postgres://user:pw@host/db`), a webhook URL
 * (`hooks.slack.com/...`, `.../api/webhooks/...`), or has the shape of a
 * well-known token (a JWT; `ghp_`, `github_pat_`, `glpat-`, `xoxb-`,
 * `sk-`, `sk_live_`, `hf_`, `npm_` tokens; an AWS key id `AKIA...`; a
 * Google API key `AIza...`). `env_allow` names variables to keep anyway.
 *
 * @module
 */

/** Name parts that mark a variable as a credential (case-insensitive substrings). */
const SENSITIVE_PARTS = [
  "KEY",
  "TOKEN",
  "SECRET",
  "PASSWORD",
  "PASSWD",
  "CREDENTIAL",
  "WEBHOOK",
];

/** Whole words of a name (split on `_`) that mark a credential. */
const SENSITIVE_WORDS = new Set([
  "PASS",
  "PWD",
  "PASSPHRASE",
  "AUTH",
  "DSN",
  "COOKIE",
  "PAT",
  "JWT",
  "BEARER",
]);

/** Ordinary variables whose names happen to hold a sensitive word. */
const ORDINARY_NAMES = new Set(["PWD", "OLDPWD", "SSH_AUTH_SOCK"]);

/** Variables nanocode itself reads, removed whatever their names. */
const OWN_NAMES = new Set([
  "MODAIC_TOKEN",
  "OPENROUTER_API_KEY",
  "OPENAI_API_KEY",
]);

/** A URL whose user part carries a password: `scheme://user:password@host`. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

/** Webhook URLs: whoever has one can post as its owner. */
const WEBHOOK_URL =
  /:\/\/(hooks\.slack\.com\/|[^/\s]*\/api\/webhooks\/|[^/\s]*webhook\.office\.com\/|outlook\.office\.com\/webhook|hooks\.zapier\.com\/)/i;

/** Values shaped like well-known tokens, whatever the variable is called. */
const TOKEN_VALUE = new RegExp(
  "^(?:" + [
    // a JSON Web Token: header.payload.signature, both JSON parts start `{"`
    "eyJ[\\w-]{5,}\\.eyJ[\\w-]{5,}\\.[\\w-]+",
    "gh[pousr]_[A-Za-z0-9]{30,}",
    "github_pat_\\w{30,}",
    "glpat-[\\w-]{20,}",
    "xox[abposr]-[\\w-]{10,}",
    "sk-[\\w-]{20,}",
    "[sr]k_(?:live|test)_\\w{16,}",
    "hf_[A-Za-z0-9]{30,}",
    "npm_[A-Za-z0-9]{36}",
    "(?:AKIA|ASIA)[0-9A-Z]{16}",
    "AIza[\\w-]{35}",
  ].join("|") + ")$",
);

/**
 * Whether a variable's name marks it as a credential (see the module
 * documentation for the rule), or it is one of nanocode's own.
 *
 * @example
 * ```ts
 * import { isSensitiveEnvName } from "./env.ts";
 * console.log(isSensitiveEnvName("GITHUB_TOKEN")); // true
 * console.log(isSensitiveEnvName("DB_PASS")); // true
 * console.log(isSensitiveEnvName("PATH")); // false
 * ```
 */
export function isSensitiveEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  if (OWN_NAMES.has(name) || upper.startsWith("NANOCODE_")) return true;
  if (SENSITIVE_PARTS.some((part) => upper.includes(part))) return true;
  if (ORDINARY_NAMES.has(upper)) return false;
  return upper.split("_").some((word) => SENSITIVE_WORDS.has(word));
}

/**
 * Whether a variable's value is a credential whatever its name: a URL
 * with a password in it, a webhook URL, or a value shaped like a
 * well-known token (see the module documentation).
 *
 * @example
 * ```ts
 * import { isSensitiveEnvValue } from "./env.ts";
 * console.log(isSensitiveEnvValue("postgres://app:hunter2@db:5432/app")); // true
 * console.log(isSensitiveEnvValue("postgres://db:5432/app")); // false
 * ```
 */
export function isSensitiveEnvValue(value: string): boolean {
  return URL_WITH_PASSWORD.test(value) || WEBHOOK_URL.test(value) ||
    TOKEN_VALUE.test(value.trim());
}

/**
 * Copies `env` without sensitive variables (see
 * {@linkcode isSensitiveEnvName} and {@linkcode isSensitiveEnvValue}),
 * keeping any named in `allow`.
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
    if (
      keep.has(name) ||
      (!isSensitiveEnvName(name) && !isSensitiveEnvValue(value))
    ) {
      out[name] = value;
    }
  }
  return out;
}
