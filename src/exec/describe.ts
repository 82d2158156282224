/**
 * What the user is told about the command sandbox at start-up.
 *
 * @module
 */

import type { PermissionMode, SandboxSetting } from "../config/fields.ts";
import { probeBubblewrap } from "./probe.ts";
import type { SandboxStatus } from "./types.ts";

/** The reason given when the `sandbox` setting is `off`. */
export const SETTING_OFF = "the sandbox setting is off";

/**
 * Whether commands get the OS sandbox under `setting` (probing bubblewrap
 * once per process when it is `auto`).
 *
 * @example
 * ```ts ignore
 * const status = await sandboxStatus("auto"); // { kind: "bubblewrap" } on most Linux machines
 * ```
 */
export async function sandboxStatus(
  setting: SandboxSetting,
  probe: () => ReturnType<typeof probeBubblewrap> = probeBubblewrap,
): Promise<SandboxStatus> {
  if (setting === "off") return { kind: "none", reason: SETTING_OFF };
  const result = await probe();
  return result.ok
    ? { kind: "bubblewrap" }
    : { kind: "none", reason: result.reason };
}

/**
 * One line for the start-up banner: what commands may do, in this mode.
 *
 * @example
 * ```ts
 * import { describeSandbox } from "./describe.ts";
 * console.log(describeSandbox({ kind: "bubblewrap" }, "auto-edit"));
 * // "Sandbox: bubblewrap. Commands see the workspace writable, the rest read-only, no network, secrets hidden; they run without asking, and leaving the sandbox asks."
 * ```
 */
export function describeSandbox(
  status: SandboxStatus,
  mode: PermissionMode,
): string {
  if (status.kind === "none") {
    if (status.reason === SETTING_OFF) {
      return "Sandbox: off (sandbox setting). Commands run with your full rights; approvals follow the permission mode.";
    }
    return `Sandbox: none, ${status.reason}. Commands run with your full rights and ask as before (see the permission mode).`;
  }
  if (mode === "yolo") {
    return "Sandbox: bubblewrap, yolo. Commands may write anywhere and use the network, but secret files stay hidden and /proc private.";
  }
  const inside =
    "Commands see the workspace writable, the rest read-only, no network, secrets hidden";
  return mode === "auto-edit"
    ? `Sandbox: bubblewrap. ${inside}; they run without asking, and leaving the sandbox asks.`
    : `Sandbox: bubblewrap. ${inside}; they still ask in ask mode.`;
}
