/**
 * Plan mode: what the model is told when the session is read-only.
 *
 * @module
 */

/**
 * The note added to each turn's first message in plan mode.
 *
 * @example
 * ```ts
 * import { PLAN_MODE_NOTE } from "./plan_mode.ts";
 * console.log(PLAN_MODE_NOTE.startsWith("Plan mode")); // true
 * ```
 */
export const PLAN_MODE_NOTE =
  "Plan mode is on: you may read and search files, but writing files and running commands are refused. " +
  "Investigate what you need, then SUBMIT a concrete, step-by-step plan (files to change and how, commands to run, risks) as the answer. Do not try to make the changes.";

/**
 * Joins the notes that apply to a turn (skipping empty ones).
 *
 * @example
 * ```ts
 * import { joinNotes } from "./plan_mode.ts";
 * console.log(joinNotes(undefined, "b")); // "b"
 * ```
 */
export function joinNotes(
  ...notes: (string | undefined)[]
): string | undefined {
  const text = notes.filter((n) => n && n.trim()).join("\n\n");
  return text || undefined;
}
