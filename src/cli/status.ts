/**
 * What the session is set to, for the footer under the input line and
 * `/status`: the permission mode, the model, the command sandbox, the
 * folder, and how full the model's context window was at the last request.
 *
 * @module
 */

import type { PermissionMode } from "../config/fields.ts";
import { shortCount } from "../ui/activity.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Style } from "../ui/style.ts";

/** The facts the footer shows. */
export interface StatusInfo {
  model: string;
  mode: PermissionMode;
  /** The command sandbox setting, or `undefined` when there is none. */
  sandbox?: string;
  cwd: string;
  home?: string;
  /** Tokens of the last main-model request (prompt and reply), if any. */
  contextTokens?: number;
  /** The model's context window in tokens. */
  window: number;
  sessionId?: string;
}

const MODE_MARKS: Record<PermissionMode, string> = {
  ask: "⏵ ask before changes",
  "auto-edit": "⏵⏵ auto-edit",
  yolo: "⏵⏵⏵ yolo",
  plan: "⏸ plan mode (read-only)",
};

/** The folder with the home folder shortened to `~`. */
function shortPath(cwd: string, home?: string): string {
  if (home && home !== "/" && (cwd === home || cwd.startsWith(`${home}/`))) {
    return `~${cwd.slice(home.length)}`;
  }
  return cwd;
}

/**
 * Percentage of the context window used, or `null` before the first request.
 *
 * @example
 * ```ts
 * import { contextPercent } from "./status.ts";
 * console.log(contextPercent({ model: "m", mode: "ask", cwd: "/", window: 1000, contextTokens: 250 })); // 25
 * ```
 */
export function contextPercent(info: StatusInfo): number | null {
  if (info.contextTokens === undefined) return null;
  return Math.min(100, Math.round(info.contextTokens / info.window * 100));
}

/**
 * The footer line.
 *
 * @example
 * ```ts
 * import { footerLine } from "./status.ts";
 * import { createStyle } from "../ui/style.ts";
 * console.log(footerLine({ model: "openai/gpt-4o", mode: "ask", cwd: "/h/app", home: "/h", window: 128000 }, createStyle(false)));
 * // "  ⏵ ask before changes (shift-tab) · openai/gpt-4o · sandbox: none · ~/app"
 * ```
 */
export function footerLine(info: StatusInfo, style: Style): string {
  const percent = contextPercent(info);
  const parts = [
    `${MODE_MARKS[info.mode]} (shift-tab)`,
    sanitize(info.model),
    `sandbox: ${sanitize(info.sandbox ?? "none")}`,
    sanitize(shortPath(info.cwd, info.home)),
  ];
  if (percent !== null) parts.push(`${percent}% context`);
  const line = `  ${parts.join(" · ")}`;
  return info.mode === "plan" ? style.yellow(line) : style.dim(line);
}

/**
 * The `/status` lines.
 *
 * @example
 * ```ts
 * import { statusLines } from "./status.ts";
 * import { createStyle } from "../ui/style.ts";
 * console.log(statusLines({ model: "m", mode: "ask", cwd: "/w", window: 1000 }, createStyle(false))[0]); // "  model      m"
 * ```
 */
export function statusLines(info: StatusInfo, style: Style): string[] {
  const percent = contextPercent(info);
  const rows: [string, string][] = [
    ["model", sanitize(info.model)],
    ["mode", info.mode],
    ["sandbox", sanitize(info.sandbox ?? "none (commands run unsandboxed)")],
    ["folder", sanitize(info.cwd)],
    [
      "context",
      percent === null
        ? `no request yet (window ${shortCount(info.window)} tokens)`
        : `${percent}% used (${shortCount(info.contextTokens!)} of ${
          shortCount(info.window)
        } tokens at the last request)`,
    ],
  ];
  if (info.sessionId) rows.push(["session", info.sessionId]);
  return rows.map(([k, v]) => `  ${style.bold(k.padEnd(10))} ${v}`);
}
