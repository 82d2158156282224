/**
 * Approvals remembered per project: "yes, and don't ask again for `npm
 * test` in this project" adds an allow rule for that folder. They live in
 * nanocode's own config folder (`approvals.json` next to the user config),
 * keyed by the project's real path, never in the project: a repository
 * cannot ship approvals for itself, and the model cannot write them
 * (nanocode's config folder is a protected path).
 *
 * @module
 */

import { type EnvReader, userConfigPath } from "../config/paths.ts";
import { dirname, join } from "../util/path.ts";

interface RulesFile {
  version: 1;
  projects: Record<string, { allow: string[] }>;
}

/**
 * The file the remembered approvals are kept in.
 *
 * @example
 * ```ts
 * import { projectRulesPath } from "./project_rules.ts";
 * console.log(projectRulesPath((n) => n === "HOME" ? "/h" : undefined)); // "/h/.config/nanocode/approvals.json"
 * ```
 */
export function projectRulesPath(env: EnvReader): string {
  return join(dirname(userConfigPath(env)), "approvals.json");
}

async function read(path: string): Promise<RulesFile> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { version: 1, projects: {} };
    }
    throw error;
  }
  const value = JSON.parse(text) as Partial<RulesFile>;
  if (
    typeof value !== "object" || value === null ||
    typeof value.projects !== "object" || value.projects === null
  ) {
    throw new TypeError(`${path} does not hold {"projects": {...}}`);
  }
  return { version: 1, projects: value.projects };
}

/**
 * The allow rules remembered for `workspace` (its real path).
 *
 * @throws {Error} when the file exists but cannot be read or parsed.
 * @example
 * ```ts ignore
 * const allow = await loadProjectRules(processEnv, "/home/me/app");
 * ```
 */
export async function loadProjectRules(
  env: EnvReader,
  workspace: string,
): Promise<string[]> {
  const file = await read(projectRulesPath(env));
  const rules = file.projects[workspace]?.allow;
  return Array.isArray(rules)
    ? rules.filter((r): r is string => typeof r === "string")
    : [];
}

/**
 * Remembers an allow rule for `workspace`; the file is replaced atomically
 * and readable by its owner only.
 *
 * @example
 * ```ts ignore
 * await rememberProjectRule(processEnv, "/home/me/app", "run_bash(npm test)");
 * ```
 */
export async function rememberProjectRule(
  env: EnvReader,
  workspace: string,
  rule: string,
): Promise<void> {
  const path = projectRulesPath(env);
  const file = await read(path);
  const entry = file.projects[workspace] ?? { allow: [] };
  if (!entry.allow.includes(rule)) entry.allow.push(rule);
  file.projects[workspace] = entry;
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temp, `${JSON.stringify(file, null, 2)}\n`, {
    mode: 0o600,
  });
  await Deno.rename(temp, path);
}

/**
 * The rule that allows exactly `command`, or `null` when no rule can say
 * only that (a `*` would be read as a wildcard).
 *
 * @example
 * ```ts
 * import { exactCommandRule } from "./project_rules.ts";
 * console.log(exactCommandRule("npm test")); // "run_bash(npm test)"
 * console.log(exactCommandRule("ls *.ts")); // null
 * ```
 */
export function exactCommandRule(command: string): string | null {
  const text = command.trim().replace(/\s+/g, " ");
  if (!text || text.includes("*") || /[\n\r]/.test(command.trim())) {
    return null;
  }
  return `run_bash(${text})`;
}
