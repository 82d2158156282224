/**
 * The activity label while a tool reports progress (MCP progress
 * notifications): the call's own label, how far it got, and what the tool
 * says it is doing, made safe for the terminal (the text comes from the
 * server) and cut to fit.
 *
 * @module
 */

import { sanitize } from "./sanitize.ts";

/** What a progress notification says. */
export interface ProgressReport {
  /** Work done so far. */
  progress: number;
  /** Total work, when known. */
  total?: number;
  /** What the tool says it is doing. */
  message?: string;
}

/**
 * `label · 3/10 Linking` (or `label · 3` without a total), at most `max`
 * characters: the tool's message is cut first, then the label; the count
 * always shows.
 *
 * @example
 * ```ts
 * import { progressLabel } from "./progress_label.ts";
 * console.log(progressLabel("mcp.ci.build()", { progress: 3, total: 10, message: "Linking" }));
 * // "mcp.ci.build() · 3/10 Linking"
 * ```
 */
export function progressLabel(
  label: string,
  report: ProgressReport,
  max = 100,
): string {
  const done = Number.isFinite(report.total)
    ? `${amount(report.progress)}/${amount(report.total!)}`
    : amount(report.progress);
  // The count always shows; a long call label gives way to it.
  const room = Math.max(1, max - done.length - 3);
  const call = label.length > room ? `${label.slice(0, room - 1)}…` : label;
  const head = `${call} · ${done}`;
  const said = sanitize(report.message ?? "").replace(/\s+/g, " ").trim();
  const left = max - head.length - 1;
  if (!said || left < 4) return head;
  return `${head} ${said.length > left ? `${said.slice(0, left - 1)}…` : said}`;
}

/** A whole number as it is, a fraction to two places. */
function amount(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}
