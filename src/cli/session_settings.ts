/**
 * Settings of the interactive session read at start-up: how to notify
 * (`notify` in a config file, or `NANOCODE_NOTIFY`), and the approvals
 * remembered for this project.
 *
 * @module
 */

import type { EnvReader } from "../config/paths.ts";
import { loadProjectRules } from "./project_rules.ts";

/** How the session tells the user that it waits or finished. */
export type NotifyMode = "bell" | "osc9" | "off";

/** The notification modes. */
export const NOTIFY_MODES: readonly NotifyMode[] = ["bell", "osc9", "off"];

/**
 * The notification mode: `NANOCODE_NOTIFY`, else the config's `notify`,
 * else `bell`. A bad value is reported through `warn` and ignored.
 *
 * @example
 * ```ts
 * import { notifyMode } from "./session_settings.ts";
 * console.log(notifyMode({ notify: "osc9" }, () => undefined, console.warn)); // "osc9"
 * ```
 */
export function notifyMode(
  extras: Record<string, unknown>,
  env: EnvReader,
  warn: (message: string) => void,
): NotifyMode {
  const raw = env("NANOCODE_NOTIFY") ?? extras.notify;
  if (raw === undefined || raw === null || raw === "") return "bell";
  if (NOTIFY_MODES.includes(raw as NotifyMode)) return raw as NotifyMode;
  warn(
    `notify must be one of ${NOTIFY_MODES.join(", ")}, not ${
      JSON.stringify(raw)
    }; using bell`,
  );
  return "bell";
}

/**
 * The allow rules remembered for `cwd` ("don't ask again ... in this
 * project"); an unreadable file is reported through `warn` and ignored.
 *
 * @example
 * ```ts ignore
 * const rules = await rememberedRules(processEnv, Deno.cwd(), console.warn);
 * ```
 */
export async function rememberedRules(
  env: EnvReader,
  cwd: string,
  warn: (message: string) => void,
): Promise<string[]> {
  try {
    return await loadProjectRules(env, await Deno.realPath(cwd));
  } catch (error) {
    warn(`remembered approvals were not loaded: ${(error as Error).message}`);
    return [];
  }
}
