/**
 * An agent's safety layer, built on first use: it loads the policy, the
 * file tracker and the snapshot store, which the first model request
 * should not wait for.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import type { UndoOptions, UndoPlan, UndoResult } from "../undo/types.ts";
import type { Safety, SafetyOptions, SafetySettings } from "./safety_setup.ts";

/**
 * How to build an agent's safety layer: the agent's safety settings (and
 * nothing else of its options) and what the agent knows about itself.
 *
 * @example
 * ```ts
 * import { DEFAULT_CONFIG } from "../config/fields.ts";
 * import { safetyOptions } from "./lazy_safety.ts";
 * const options = safetyOptions({ addDirs: ["/tmp"] }, {
 *   workspace: "/work",
 *   config: { ...DEFAULT_CONFIG },
 *   env: () => undefined,
 *   turn: () => 1,
 * });
 * console.log(options.addDirs); // [ "/tmp" ]
 * ```
 */
export function safetyOptions(
  settings: SafetySettings,
  agent: Omit<SafetyOptions, keyof SafetySettings>,
): SafetyOptions {
  return {
    workspace: agent.workspace,
    config: agent.config,
    env: agent.env,
    approver: settings.approver,
    permissions: settings.permissions,
    addDirs: settings.addDirs,
    envAllow: settings.envAllow,
    commandEnv: settings.commandEnv,
    snapshotsDir: settings.snapshotsDir,
    mcpAllowReadOnly: settings.mcpAllowReadOnly,
    executor: settings.executor,
    sessionId: settings.sessionId,
    turn: agent.turn,
    task: agent.task,
  };
}

/**
 * The safety layer of one agent, or none when a `toolContext` replaces it
 * (`options` is then `null`).
 *
 * @example
 * ```ts ignore
 * const safety = new LazySafety({ workspace, config, env: processEnv, turn: () => 1 });
 * const context = (await safety.load())!.contextFor("read_file", signal);
 * ```
 */
export class LazySafety {
  #options: SafetyOptions | null;
  #safety: Promise<Safety> | null = null;

  /** Takes how to build the layer; nothing is built yet. */
  constructor(options: SafetyOptions | null) {
    this.#options = options;
  }

  /** The safety layer, built on the first call; `null` when there is none. */
  load(): Promise<Safety> | null {
    if (!this.#options) return null;
    const options = this.#options;
    return this.#safety ??= import("./safety_setup.ts").then((module) =>
      module.setUpSafety(options)
    );
  }

  /** Changes the policy's mode, if the layer is built or being built. */
  setMode(mode: Config["permission_mode"]): void {
    void this.#safety?.then((safety) => {
      safety.policy.mode = mode;
    }, () => {});
  }

  /** What undoing (or redoing) would do now; `null` when there is nothing to. */
  async plan(kind: "undo" | "redo"): Promise<UndoPlan | null> {
    const snapshots = (await this.load())?.snapshots;
    if (!snapshots) return null;
    return kind === "undo" ? snapshots.planUndo() : snapshots.planRedo();
  }

  /** Undoes the session's last turn (or redoes its last undo); `null` when there is nothing to. */
  async apply(
    kind: "undo" | "redo",
    options: UndoOptions = {},
  ): Promise<UndoResult | null> {
    const snapshots = (await this.load())?.snapshots;
    if (!snapshots) return null;
    return kind === "undo" ? snapshots.undo(options) : snapshots.redo(options);
  }

  /**
   * Takes the end-of-turn snapshot, if the layer is built. A failure does
   * not fail the turn: undo then treats every later change as the user's.
   */
  async finishTurn(turn: number): Promise<void> {
    const safety = await this.#safety?.catch(() => null);
    await safety?.snapshots?.finish(turn).catch(() => {});
  }

  /** Switches the session undo belongs to (after resuming one). */
  setSession(id: string): void {
    if (this.#options) this.#options.sessionId = id;
    void this.#safety?.then((safety) => {
      if (safety.snapshots) safety.snapshots.session = id;
    }, () => {});
  }

  /** Stops background work of the layer, if it was built. */
  async close(): Promise<void> {
    const safety = await this.#safety?.catch(() => null);
    await safety?.close();
  }
}
