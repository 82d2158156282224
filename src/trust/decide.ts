/**
 * The start-up trust decision, made in one place: which config files are
 * in force (and which of their settings), which program applies and what
 * it changes, and which project instruction files the model gets — each
 * with the reason. The CLI shows the result in the banner and with
 * `--verbose`.
 *
 * @module
 */

import {
  type InstructionsFile,
  reviewProjectInstructions,
  type SkippedInstructions,
} from "../agent/project_instructions.ts";
import { FIELDS, parseField } from "../config/fields.ts";
import {
  ConfigError,
  type ConfigSources,
  loadConfig,
  type LoadedConfig,
} from "../config/load.ts";
import { dataDir, type EnvReader, userConfigPath } from "../config/paths.ts";
import type { ProgramState } from "../program/state.ts";
import { parseRule, shownRule } from "../policy/rules.ts";
import { dirname, join } from "../util/path.ts";
import { FolderTrust } from "./folder.ts";
import { type Loosening, looseningOf, withoutLoosening } from "./loosening.ts";
import { type ProgramReview, reviewProgram } from "./program.ts";
import { forRepl } from "../program/program_repl.ts";
import {
  findMcpFiles,
  findProjectConfigs,
  type SkippedFile,
} from "./project_config.ts";
import { questionLines } from "../mcp/trust_items.ts";
import { parseMcpServers } from "../mcp/config.ts";
import type { TrustAsker } from "./prompt.ts";
import { TrustStore } from "./store.ts";

/** What the start-up decision reads. */
export interface StartupOptions {
  /** The folder nanocode runs in. */
  cwd: string;
  env: EnvReader;
  /** Raw config flag values. */
  flags?: ConfigSources["flags"];
  /** `--config FILE` (the user's own, trusted). */
  configFile?: string;
  /** `--trust-project`. */
  trustProject?: boolean;
  /** `--program` as given, and how to load it. */
  program?: { spec: string; load: (spec: string) => Promise<ProgramState> };
  /** Asks the user; only interactive sessions pass one (headless never trusts implicitly). */
  ask?: TrustAsker;
  /** The trust answers; default the user's `trust.json`. */
  store?: TrustStore;
}

/** One config file and how much of it is in force. */
export interface ConfigFileDecision {
  path: string;
  kind: "user" | "--config" | "project";
  /** `all`, `partly` (loosening settings ignored), or `none` (skipped). */
  inForce: "all" | "partly" | "none";
  why: string;
  /** Loosening settings not applied. */
  ignored: Loosening[];
  /** The folder a project file belongs to. */
  folder?: string;
}

/** Everything decided at start-up. */
export interface StartupDecision {
  /** The configuration in force (program applied). */
  loaded: LoadedConfig;
  /**
   * The folder trust used (the same answers, `trusted_folders` and
   * `--trust-project`), for anything else a folder brings later (its
   * `.mcp.json` servers): `trust.check(folder, items)` and
   * `trust.remember(...)`.
   */
  trust: FolderTrust;
  configFiles: ConfigFileDecision[];
  /** The loaded program and what of it applies. */
  program?: { spec: string; state: ProgramState; review: ProgramReview };
  /** Instruction files the model gets. */
  instructions: InstructionsFile[];
  /** Instruction files found but not sent, and why. */
  skippedInstructions: SkippedInstructions[];
}

/** A program the user did not accept (its message is for the user). */
export class ProgramRefused extends Error {
  override name = "ProgramRefused";
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Checks a project file's values the way loading would, so a typo is an error even when ignored. */
function validate(path: string, values: Record<string, unknown>): void {
  try {
    for (const spec of FIELDS) {
      const raw = values[spec.key];
      if (raw !== undefined && raw !== null) {
        parseField(spec, raw, `config file ${path}`);
      }
    }
    parseMcpServers(values.mcpServers, path);
    const permissions = values.permissions as Record<string, unknown> | null;
    for (const list of [permissions?.allow, permissions?.deny]) {
      for (const rule of Array.isArray(list) ? list : []) {
        try {
          parseRule(String(rule));
        } catch (error) {
          throw new TypeError(
            `Config permission rule ${shownRule(rule)}: ${
              (error as Error).message
            }`,
          );
        }
      }
    }
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function expandHome(dir: string, env: EnvReader): string {
  const home = env("HOME");
  if (home && (dir === "~" || dir.startsWith("~/"))) {
    return join(home, dir.slice(1));
  }
  return dir;
}

/**
 * Makes the start-up trust decision.
 *
 * @throws {ConfigError} for a broken config file.
 * @throws {ProgramRefused} for a program that would redirect requests and was not accepted.
 * @example
 * ```ts ignore
 * const decision = await decideStartup({ cwd: Deno.cwd(), env: processEnv, flags: {} });
 * console.log(decision.loaded.config.permission_mode);
 * ```
 */
export async function decideStartup(
  options: StartupOptions,
): Promise<StartupDecision> {
  const { cwd, env } = options;
  const userFile = userConfigPath(env);
  const sources = {
    flags: options.flags,
    env,
    configFile: options.configFile,
    userFile,
  };
  const baseline = await loadConfig(sources);
  const trustedFolders = baseline.extraLayers.flatMap((layer) =>
    Array.isArray(layer.trusted_folders)
      ? layer.trusted_folders.filter((d): d is string => typeof d === "string")
        .map((d) => expandHome(d, env))
      : []
  );
  const trust = new FolderTrust({
    store: options.store ?? TrustStore.forUser(env),
    trustedFolders,
    trustAll: options.trustProject,
  });
  const configFiles: ConfigFileDecision[] = [];
  if (await exists(userFile)) {
    configFiles.push({
      path: userFile,
      kind: "user",
      inForce: "all",
      why: "your own config",
      ignored: [],
    });
  }
  const [found, mcpFound] = await Promise.all([
    findProjectConfigs(cwd, [userFile, options.configFile ?? ""]),
    findMcpFiles(cwd),
  ]);
  // A folder's config and its .mcp.json are one trust question, root first.
  const chain = [...found.files, ...mcpFound.files].sort((a, b) =>
    a.folder.length - b.folder.length
  );
  const itemsOf = new Map(chain.map((file) => {
    validate(file.path, file.values);
    return [
      file,
      looseningOf(file.values, {
        config: baseline.config,
        sources: baseline.sources,
        env,
      }),
    ];
  }));
  const verdicts = new Map<
    string,
    Promise<{ trusted: boolean; why: string }>
  >();
  const layers: { path: string; values: Record<string, unknown> }[] = [];
  for (const file of chain) {
    const items = itemsOf.get(file)!;
    const siblings = chain.filter((f) => f.folder === file.folder);
    const all = siblings.flatMap((f) => itemsOf.get(f)!);
    if (!verdicts.has(file.folder) && all.length > 0) {
      const names = siblings.filter((f) => itemsOf.get(f)!.length)
        .map((f) => f.path).join(" and ");
      verdicts.set(
        file.folder,
        trustFolder(trust, file.folder, names, all, options.ask),
      );
    }
    const { trusted, why } = items.length === 0
      ? { trusted: true, why: "it loosens nothing" }
      : await verdicts.get(file.folder)!;
    // A project file never lists trusted folders; the rest of a trusted
    // file applies, an untrusted one loses what it would loosen.
    const { trusted_folders: _ignored, ...own } = file.values;
    const values = trusted ? own : withoutLoosening(file.values, items);
    layers.push({ path: file.path, values });
    configFiles.push({
      path: file.path,
      kind: "project",
      inForce: trusted ? "all" : "partly",
      why,
      ignored: trusted ? [] : items,
      folder: file.folder,
    });
  }
  for (const skipped of [...found.skipped, ...mcpFound.skipped]) {
    configFiles.push(skippedFile(skipped));
  }
  if (options.configFile) {
    configFiles.push({
      path: options.configFile,
      kind: "--config",
      inForce: "all",
      why: "given with --config",
      ignored: [],
    });
  }
  const loaded = await loadConfig({ ...sources, projectLayers: layers });

  let program: StartupDecision["program"];
  if (options.program) {
    const { spec, load } = options.program;
    const state = await load(spec);
    const review = reviewProgram(state, loaded.config, loaded.sources, env);
    if (review.redirect) {
      const answer = options.ask
        ? await options.ask({
          title: `Program ${spec} would:`,
          lines: [review.redirect],
          prompt: "Use it anyway?",
        })
        : "no";
      if (answer !== "yes") {
        throw new ProgramRefused(
          `Cannot load program ${spec}: ${review.redirect} nanocode refused it before any request; pass --api-base (and --lm) to choose the endpoint yourself.`,
        );
      }
    }
    Object.assign(loaded.config, review.config);
    program = {
      spec,
      // With Python cells, the instructions as the program wrote them.
      state: forRepl(
        { ...state, config: { ...loaded.config } },
        loaded.config.repl,
      ),
      review,
    };
  }

  const { files, skipped } = await reviewProjectInstructions(cwd, {
    home: env("HOME") ?? "/nonexistent",
    protectedDirs: [dirname(userFile), dataDir(env)],
  });
  return {
    loaded,
    trust,
    configFiles,
    program,
    instructions: files,
    skippedInstructions: skipped,
  };
}

function skippedFile(skipped: SkippedFile): ConfigFileDecision {
  return {
    path: skipped.path,
    kind: "project",
    inForce: "none",
    why: `skipped: ${skipped.reason}`,
    ignored: [],
  };
}

async function trustFolder(
  trust: FolderTrust,
  folder: string,
  path: string,
  items: Loosening[],
  ask: TrustAsker | undefined,
): Promise<{ trusted: boolean; why: string }> {
  const verdict = await trust.check(folder, items);
  if (verdict.trusted || !verdict.ask || !ask) return verdict;
  const answer = await ask({
    title: `${path} would:`,
    lines: questionLines(items),
    prompt:
      `Trust ${folder}? Its config then applies whenever you run nanocode there.`,
  });
  if (answer === "skip") return { trusted: false, why: "you did not answer" };
  await trust.remember(folder, items, answer === "yes");
  return answer === "yes"
    ? { trusted: true, why: "you trusted this folder just now" }
    : { trusted: false, why: "you declined to trust this folder" };
}
