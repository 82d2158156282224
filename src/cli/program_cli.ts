/**
 * The command line's program features: `nanocode push OWNER/NAME` and
 * `--program OWNER/NAME[@REV]` (or a local folder).
 *
 * @module
 */

import type { ProgramState } from "../program/state.ts";
import { describeChanges } from "../program/python_instructions.ts";
import { sanitize } from "../ui/sanitize.ts";
import { load } from "./lazy.ts";

/**
 * Splits `owner/name@rev` into the id and the revision.
 *
 * @example
 * ```ts
 * import { splitProgramSpec } from "./program_cli.ts";
 * console.log(splitProgramSpec("me/nanocode@prod")); // { id: "me/nanocode", rev: "prod" }
 * ```
 */
export function splitProgramSpec(spec: string): { id: string; rev?: string } {
  const at = spec.lastIndexOf("@");
  if (at > 0 && !spec.startsWith(".") && !spec.startsWith("/")) {
    return { id: spec.slice(0, at), rev: spec.slice(at + 1) || undefined };
  }
  return { id: spec };
}

/**
 * Loads `--program` (a hub id with an optional `@rev`, or a local folder)
 * as saved; what of it applies is decided by the trust review
 * (`src/trust/program.ts`).
 *
 * @example
 * ```ts ignore
 * const state = await loadProgramSpec("me/nanocode@prod");
 * ```
 */
export async function loadProgramSpec(spec: string): Promise<ProgramState> {
  const { loadPrecompiled } = await load("precompiled");
  const { id, rev } = splitProgramSpec(spec);
  return await loadPrecompiled(id, { rev });
}

/**
 * Pushes the program (this configuration and instructions) to the hub.
 * Returns the line to print.
 *
 * @example
 * ```ts ignore
 * console.log(await pushProgram("me/nanocode", state, { branch: "main", public: false }));
 * ```
 */
export async function pushProgram(
  repo: string,
  state: ProgramState,
  options: { branch?: string; tag?: string; message?: string; public: boolean },
): Promise<string> {
  const { pushToHub } = await load("precompiled");
  const result = await pushToHub(repo, state, {
    branch: options.branch,
    tag: options.tag,
    commitMessage: options.message,
    private: !options.public,
  });
  const where = `${result.repo}@${result.branch}${
    result.tag ? ` (tag ${result.tag})` : ""
  }`;
  return result.changed
    ? `Pushed the program to ${where}: commit ${result.commit.slice(0, 10)}.`
    : `${where} already holds this program; nothing to push.`;
}

/**
 * What `--verbose` says about a loaded program: which sentences of
 * instructions written for a Python REPL were translated or dropped
 * (program text is untrusted: it is made inert for the terminal).
 *
 * @example
 * ```ts
 * import { programNotes } from "./program_cli.ts";
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * console.log(programNotes({ config: { ...DEFAULT_CONFIG }, instructions: "x", adaptations: [] })); // []
 * ```
 */
export function programNotes(state: ProgramState): string[] {
  if (!state.adaptations?.length) return [];
  return [
    `Program instructions written for a Python REPL, adapted to JavaScript:\n${
      sanitize(describeChanges(state.adaptations).join("\n"))
    }`,
  ];
}
