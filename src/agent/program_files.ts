/**
 * An agent's program files: its state as saved, and saving, pushing and
 * loading it. The program modules load on first use, not with the agent.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import type { PushOptions, PushResult } from "../program/hub.ts";
import type { ProgramState } from "../program/state.ts";

/**
 * The program as it would be saved: a copy of the config, the task
 * instructions and the preserved fields of a loaded program.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { programState } from "./program_files.ts";
 * const state = programState(DEFAULT_CONFIG, "Fix bugs.", undefined);
 * console.log(state.instructions); // "Fix bugs."
 * ```
 */
export function programState(
  config: Config,
  instructions: string,
  preserved: ProgramState["preserved"],
): ProgramState {
  return { config: { ...config }, instructions, preserved };
}

/**
 * Saves a program to a folder (`config.json` and `program.json`).
 *
 * @example
 * ```ts ignore
 * await saveProgram("./my-program", agent.programState());
 * ```
 */
export async function saveProgram(
  dir: string,
  state: ProgramState,
): Promise<void> {
  const { savePrecompiled } = await import("../program/precompiled.ts");
  await savePrecompiled(dir, state);
}

/**
 * Pushes a program to the Modaic hub repository `repo` (`owner/name`).
 *
 * @example
 * ```ts ignore
 * await pushProgram("me/nanocode", agent.programState(), { branch: "main" });
 * ```
 */
export async function pushProgram(
  repo: string,
  state: ProgramState,
  options: PushOptions,
): Promise<PushResult> {
  const { pushToHub } = await import("../program/precompiled.ts");
  return await pushToHub(repo, state, options);
}

/**
 * Loads a program from a local folder or a hub repository `owner/name` at
 * `options.rev`; values in `options.config` win over the saved config.
 *
 * @example
 * ```ts ignore
 * const state = await loadProgram("me/nanocode", { rev: "prod" });
 * ```
 */
export async function loadProgram(
  pathOrRepo: string,
  options: { config?: Partial<Config>; rev?: string },
): Promise<ProgramState> {
  const { loadPrecompiled } = await import("../program/precompiled.ts");
  return await loadPrecompiled(pathOrRepo, options);
}

/**
 * Reads a `program.json` (or the one in a folder) for loading into an
 * existing agent: the task instructions (adapted when written for a Python
 * REPL) and the parsed file.
 *
 * @example
 * ```ts ignore
 * const state = await loadProgramJson("./my-program/program.json");
 * ```
 */
export async function loadProgramJson(
  path: string,
): Promise<Omit<ProgramState, "config">> {
  const { readProgramJson } = await import("../program/files.ts");
  return await readProgramJson(path);
}
