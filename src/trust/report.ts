/**
 * The start-up decision in words: notices everyone sees (settings ignored,
 * files skipped, what a program changes), the config line of the banner,
 * and the `--verbose` details. Every line is made inert: paths and values
 * come from untrusted files.
 *
 * @module
 */

import { sanitize } from "../ui/sanitize.ts";
import { relative } from "../util/path.ts";
import type { StartupDecision } from "./decide.ts";

/** The decision as lines to show. */
export interface TrustReport {
  /** Shown on every run (stderr headless, under the banner interactive). */
  notices: string[];
  /** The config files in force, in one line (`null` when there are none). */
  configLine: string | null;
  /** One line per config file and instruction file with the reason, for `--verbose`. */
  details: string[];
}

/** Where paths are shown from, and who could answer. */
export interface ReportContext {
  cwd: string;
  home?: string;
  /** Whether the user could have been asked (an interactive session). */
  interactive: boolean;
}

function showPath(path: string, context: ReportContext): string {
  if (path.startsWith(`${context.cwd}/`)) return relative(context.cwd, path);
  if (context.home && path.startsWith(`${context.home}/`)) {
    return `~/${path.slice(context.home.length + 1)}`;
  }
  return path;
}

/**
 * Describes a {@linkcode StartupDecision}.
 *
 * @example
 * ```ts ignore
 * const { notices, configLine, details } = trustReport(decision, { cwd, home, interactive: false });
 * ```
 */
export function trustReport(
  decision: StartupDecision,
  context: ReportContext,
): TrustReport {
  const notices: string[] = [];
  const details: string[] = [];
  const inForce: string[] = [];
  for (const file of decision.configFiles) {
    const path = showPath(file.path, context);
    if (file.inForce === "none") {
      notices.push(`Skipped ${path}: ${file.why.replace(/^skipped: /, "")}.`);
      details.push(`${path}: not read (${file.why})`);
      continue;
    }
    if (file.inForce === "all") {
      inForce.push(path);
      details.push(`${path}: in force (${file.why})`);
      continue;
    }
    inForce.push(`${path} (untrusted: ${file.ignored.length} ignored)`);
    const what = file.ignored.map((item) => item.text).join("; ");
    const hint = !context.interactive
      ? "Run nanocode there interactively to review them, or pass --trust-project."
      : file.why.startsWith("you did not answer")
      ? "You will be asked again next time."
      : "--trust-project applies them for one run.";
    notices.push(
      `Ignored in ${path} until you trust ${file.folder} (${file.why}): ${what}. ${hint}`,
    );
    details.push(
      `${path}: in force except what it would loosen (${file.why}): ${what}`,
    );
  }
  if (decision.program) {
    const { spec, review } = decision.program;
    const changes = review.changes.length
      ? `changes ${review.changes.join(", ")}`
      : "changes no settings";
    notices.push(
      `Program ${spec} ${changes}, and brings its task instructions.`,
    );
    if (review.ignored.length) {
      notices.push(`Program ${spec}: ignored ${review.ignored.join("; ")}.`);
    }
  }
  for (const file of decision.skippedInstructions) {
    notices.push(
      `Skipped ${file.path}: ${file.reason}; it is not sent to the model.`,
    );
  }
  for (const file of decision.instructions) {
    details.push(`${file.path}: project instructions, sent to the model`);
  }
  return {
    notices: notices.map(sanitize),
    configLine: inForce.length
      ? sanitize(`Config: ${inForce.join("; ")}`)
      : null,
    details: details.map(sanitize),
  };
}
