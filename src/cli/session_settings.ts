/**
 * Settings of the interactive session read at start-up: how to notify
 * (`notify` in a config file, or `NANOCODE_NOTIFY`), after how long a turn
 * notifies when it ends (`notify_after`, or `NANOCODE_NOTIFY_AFTER`), and
 * the approvals remembered for this project.
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

/** Seconds a turn lasts before its end notifies, unless set. */
export const NOTIFY_AFTER_SECONDS = 20;

/**
 * After how many milliseconds a turn notifies when it ends:
 * `NANOCODE_NOTIFY_AFTER`, else the config's `notify_after` (seconds, 0 or
 * more), else 20 s. A bad value is reported through `warn` and ignored.
 *
 * @example
 * ```ts
 * import { notifyAfterMs } from "./session_settings.ts";
 * console.log(notifyAfterMs({ notify_after: 60 }, () => undefined, console.warn)); // 60000
 * ```
 */
export function notifyAfterMs(
  extras: Record<string, unknown>,
  env: EnvReader,
  warn: (message: string) => void,
): number {
  const raw = env("NANOCODE_NOTIFY_AFTER") ?? extras.notify_after;
  if (raw === undefined || raw === null || raw === "") {
    return NOTIFY_AFTER_SECONDS * 1000;
  }
  const seconds = typeof raw === "string" ? Number(raw.trim()) : raw;
  if (typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0) {
    return seconds * 1000;
  }
  warn(
    `notify_after must be a number of seconds (0 or more), not ${
      JSON.stringify(raw)
    }; using ${NOTIFY_AFTER_SECONDS}`,
  );
  return NOTIFY_AFTER_SECONDS * 1000;
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
