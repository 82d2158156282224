/**
 * Start-up decisions shared by interactive and headless mode: which model
 * to use when no key is configured, the project instructions, and which
 * session to write to.
 *
 * @module
 */

import { join } from "../util/path.ts";
import { apiBaseFor, subLmFor } from "../agent/model_base.ts";
import {
  findProjectInstructions,
  type InstructionsFile,
} from "../agent/project_instructions.ts";
import type { Config } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import { dataDir } from "../config/paths.ts";
import { PROVIDERS, resolveModel } from "../lm/models.ts";
import {
  type LoadedSession,
  readSession,
  SessionLog,
} from "../session/store.ts";
import { listSessions } from "../session/store.ts";
import { plural } from "../ui/plural.ts";
import { VERSION } from "../version.ts";
import { findLocalServer, LOCAL_SERVERS, noModelHelp } from "./local_server.ts";

/** Thrown when start-up cannot go on; the message is for the user (exit code 2). */
export class SetupError extends Error {
  override name = "SetupError";
}

function needsKey(
  config: Config,
  model: string,
  env: EnvReader,
): { missing: boolean; keyVar: string | null; viaOpenRouter: boolean } {
  try {
    const resolved = resolveModel(model, {
      apiBase: apiBaseFor(config, model),
      env,
    });
    return {
      missing: resolved.apiKey === null,
      keyVar: resolved.keyVar,
      viaOpenRouter: resolved.routedVia === "openrouter",
    };
  } catch (error) {
    throw new SetupError((error as Error).message);
  }
}

/** Where to look for local servers: `NANOCODE_LOCAL_SERVERS` (comma-separated URLs) or the defaults. */
function localCandidates(env: EnvReader): { name: string; baseUrl: string }[] {
  const custom = env("NANOCODE_LOCAL_SERVERS");
  if (custom === undefined) return [...LOCAL_SERVERS];
  return custom.split(",").map((url) => url.trim()).filter(Boolean).map((
    baseUrl,
  ) => ({ name: baseUrl, baseUrl }));
}

/**
 * Makes sure the configured models can be called. When the default main
 * model has no key but its vendor's own key is set, uses the same models
 * through the vendor's API. When the main model has no key otherwise,
 * looks for a local OpenAI-compatible server and switches to it
 * (returning a sentence saying so); when there is none, throws a
 * {@linkcode SetupError} with a paragraph on what to set. A sub-model
 * without a key, left at its default, follows the main model.
 *
 * @example
 * ```ts ignore
 * const notes = await ensureModel(config, sources, Deno.env.get);
 * ```
 */
export async function ensureModel(
  config: Config,
  sources: Record<keyof Config, string>,
  env: EnvReader,
): Promise<string[]> {
  const notes: string[] = [];
  const main = needsKey(config, config.lm, env);
  const direct = main.missing ? directModels(config, sources, env) : null;
  if (direct) {
    notes.push(
      `${main.keyVar} is not set but ${direct.keyVar} is, so nanocode uses ${direct.lm} directly (the default model, without OpenRouter).`,
    );
    config.lm = direct.lm;
    if (sources.sub_lm === "default") config.sub_lm = direct.subLm;
    return notes;
  }
  if (main.missing) {
    const explicitModel = sources.lm !== "default" &&
      sources.api_base !== "default";
    const server = explicitModel
      ? null
      : await findLocalServer(localCandidates(env));
    if (!server) throw new SetupError(noModelHelp(main.keyVar, config.lm));
    config.api_base = server.baseUrl;
    config.lm = server.models[0];
    config.sub_lm = server.models[0];
    notes.push(
      `No API key is set, so nanocode uses the local ${server.name} server at ${server.baseUrl} with model ${config.lm}.`,
    );
    return notes;
  }
  if (main.viaOpenRouter) {
    const own = config.lm.split("/")[0];
    notes.push(
      `${own} has no API key of its own here, so ${config.lm} goes through OpenRouter (OPENROUTER_API_KEY).`,
    );
  }
  if (needsKey(config, subLmFor(config), env).missing) {
    if (sources.sub_lm === "default") {
      config.sub_lm = config.lm;
      notes.push(`sub_lm has no API key; llm_query uses ${config.lm} too.`);
    } else {
      notes.push(
        `sub_lm ${config.sub_lm} has no API key; llm_query calls will fail until one is set.`,
      );
    }
  }
  return notes;
}

/**
 * The default models (`openrouter/VENDOR/MODEL`) through their vendor's
 * own API, when OpenRouter's key is missing and the vendor's is set
 * (`OPENAI_API_KEY` gives `openai/gpt-5.2-codex`); `null` when the models
 * or `api_base` were chosen, or no such key is set.
 */
function directModels(
  config: Config,
  sources: Record<keyof Config, string>,
  env: EnvReader,
): { lm: string; subLm: string; keyVar: string } | null {
  if (sources.lm !== "default" || sources.api_base !== "default") return null;
  const direct = (model: string) => {
    const [prefix, vendor, ...rest] = model.split("/");
    const provider = Object.values(PROVIDERS).find((p) =>
      p.openrouterVendor === vendor
    );
    if (prefix !== "openrouter" || !provider || rest.length === 0) return null;
    return `${provider.name}/${rest.join("/")}`;
  };
  const lm = direct(config.lm);
  if (!lm) return null;
  const resolved = resolveModel(lm, { env });
  if (resolved.apiKey === null || resolved.routedVia || !resolved.keyVar) {
    return null;
  }
  return {
    lm,
    subLm: direct(config.sub_lm) ?? lm,
    keyVar: resolved.keyVar,
  };
}

/** Where sessions are written. */
export function sessionsDir(env: EnvReader): string {
  return join(dataDir(env), "sessions");
}

/** The session a run writes to, and what it brings back. */
export interface SessionChoice {
  log: SessionLog;
  /** Set when an earlier session was resumed. */
  resumed?: LoadedSession;
}

/**
 * Opens the session to write to: the last one of `cwd` (`--continue`), a
 * chosen one (`--resume ID`), or a new one.
 *
 * @throws {SetupError} when the session to resume does not exist.
 * @example
 * ```ts ignore
 * const { log, resumed } = await openSession({ env, cwd, lm: config.lm, continueLast: true });
 * ```
 */
export async function openSession(options: {
  env: EnvReader;
  cwd: string;
  lm: string;
  continueLast?: boolean;
  resumeId?: string;
}): Promise<SessionChoice> {
  const dir = sessionsDir(options.env);
  let id = options.resumeId;
  if (options.continueLast && !id) {
    const last = (await listSessions(dir, options.cwd))[0];
    if (!last) {
      throw new SetupError(
        `There is no earlier session in ${options.cwd} to continue.`,
      );
    }
    id = last.id;
  }
  if (id) {
    let resumed: LoadedSession;
    try {
      resumed = await readSession(dir, id);
    } catch (error) {
      throw new SetupError((error as Error).message);
    }
    return { log: SessionLog.reopen(dir, resumed), resumed };
  }
  return {
    log: await SessionLog.create(dir, {
      cwd: options.cwd,
      lm: options.lm,
      version: VERSION,
    }),
  };
}

/**
 * The project instructions for `cwd` (AGENTS.md / CLAUDE.md, root first).
 *
 * @example
 * ```ts ignore
 * const files = await projectInstructions(Deno.cwd());
 * ```
 */
export function projectInstructions(cwd: string): Promise<InstructionsFile[]> {
  return findProjectInstructions(cwd);
}

/**
 * Formats the session list printed by `--resume` without an id.
 *
 * @example
 * ```ts ignore
 * console.log(await sessionListing(env, Deno.cwd()));
 * ```
 */
export async function sessionListing(
  env: EnvReader,
  cwd?: string,
): Promise<string> {
  const sessions = await listSessions(sessionsDir(env), cwd);
  if (sessions.length === 0) {
    return cwd ? `No sessions in ${cwd} yet.` : "No sessions yet.";
  }
  const lines = sessions.slice(0, 30).map((s) => {
    const when = s.updated.toISOString().slice(0, 16).replace("T", " ");
    const task = s.firstTask.replace(/\s+/g, " ").slice(0, 60);
    const turns = plural(s.turns, "turn").padStart(9);
    return `${s.id}  ${when}  ${turns}  ${task}`;
  });
  return `${lines.join("\n")}\n\nResume one with: nanocode --resume ID`;
}
