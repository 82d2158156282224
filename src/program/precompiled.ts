/**
 * Saving, loading and pushing programs in one call each: what the agent and
 * the CLI use.
 *
 * @module
 */

import { join } from "node:path";
import type { Config } from "../config/fields.ts";
import { VERSION } from "../version.ts";
import {
  CONFIG_FILE,
  PROGRAM_FILE,
  readProgram,
  writeProgram,
} from "./files.ts";
import type { FrontMatterValue } from "./front_matter.ts";
import { Hub, type PushOptions, type PushResult } from "./hub.ts";
import { DSPY_FORMAT_VERSION } from "./program_json.ts";
import { isLocalPath } from "./repo_id.ts";
import type { ProgramState } from "./state.ts";

/**
 * Writes `state` into `dir` as `config.json` and `program.json`.
 *
 * @example
 * ```ts
 * import { savePrecompiled } from "./precompiled.ts";
 * import { defaultProgramState } from "./state.ts";
 * await savePrecompiled("./my-program", defaultProgramState({ max_iters: 20 }));
 * ```
 */
export function savePrecompiled(
  dir: string,
  state: ProgramState,
): Promise<void> {
  return writeProgram(dir, state);
}

/** Options of {@linkcode loadPrecompiled}. */
export interface LoadPrecompiledOptions {
  /** Config values that win over the saved ones. */
  config?: Partial<Config>;
  /** Branch, tag or commit of a hub repository (default `main`). */
  rev?: string;
  /** The hub client (default: one configured from the environment). */
  hub?: Hub;
}

/**
 * Loads a program from a local folder (a path starting with `.`, `/` or
 * `\`) or a hub repository `owner/name` at `rev`. Values in
 * `options.config` win over the saved config.
 *
 * @example
 * ```ts
 * import { loadPrecompiled } from "./precompiled.ts";
 * const state = await loadPrecompiled("me/nanocode", { rev: "prod", config: { verbose: true } });
 * console.log(state.config.lm, state.instructions.slice(0, 40));
 * ```
 */
export async function loadPrecompiled(
  pathOrRepo: string,
  options: LoadPrecompiledOptions = {},
): Promise<ProgramState> {
  const dir = isLocalPath(pathOrRepo)
    ? pathOrRepo
    : await (options.hub ?? new Hub()).fetchProgram(pathOrRepo, options.rev);
  const state = await readProgram(dir);
  const overrides = Object.entries(options.config ?? {}).filter(([, v]) =>
    v !== undefined
  );
  return {
    ...state,
    config: { ...state.config, ...Object.fromEntries(overrides) },
  };
}

/** The README front matter keys a push sets. */
export const NANOCODE_FRONT_MATTER: Readonly<
  Record<string, FrontMatterValue>
> = Object.freeze({
  nanocode_version: VERSION,
  dspy_state_format: DSPY_FORMAT_VERSION,
});

/** Options of {@linkcode pushToHub}. */
export interface PushToHubOptions extends PushOptions {
  /** The hub client (default: one configured from the environment). */
  hub?: Hub;
}

/**
 * Pushes `state` to the hub repository `repo` (`owner/name`): its
 * `config.json` and `program.json` replace the repository's, the README
 * front matter gets nanocode's keys, and every other file stays.
 *
 * @example
 * ```ts
 * import { pushToHub } from "./precompiled.ts";
 * import { defaultProgramState } from "./state.ts";
 * const result = await pushToHub("me/nanocode", defaultProgramState(), { branch: "dev", tag: "v1" });
 * console.log(result.commit);
 * ```
 */
export async function pushToHub(
  repo: string,
  state: ProgramState,
  options: PushToHubOptions = {},
): Promise<PushResult> {
  const { hub = new Hub(), ...push } = options;
  const dir = await Deno.makeTempDir({ prefix: "nanocode-push-" });
  try {
    await writeProgram(dir, state);
    const files = new Map<string, Uint8Array>();
    for (const name of [CONFIG_FILE, PROGRAM_FILE]) {
      files.set(name, await Deno.readFile(join(dir, name)));
    }
    return await hub.push(repo, files, {
      ...push,
      frontMatter: { ...NANOCODE_FRONT_MATTER, ...push.frontMatter },
    });
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
