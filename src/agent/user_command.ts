/**
 * A command the user runs themselves (`!cmd` in the terminal): judged by the
 * same policy as the model's `run_bash`, run with the same context
 * (workspace folder, scrubbed environment), without an approval step of its
 * own (the caller decides what to ask).
 *
 * @module
 */

import type { ToolContext } from "../tools/types.ts";
import type { Safety } from "./safety_setup.ts";

/** The policy's verdict on a user's command and the context to run it in. */
export interface UserCommand {
  /** `deny`: it must not run; `ask`: the policy would ask; `allow`: it may run. */
  verdict: "allow" | "ask" | "deny";
  /** Why (the deny reason, or the reasons it would ask). */
  reasons: string[];
  /** The context `run_bash` runs it with; it has no approval step. */
  context: ToolContext;
}

/**
 * Judges `command` with the safety layer's policy and builds its context.
 *
 * @example
 * ```ts ignore
 * const { verdict, context } = userCommandFor(safety, "npm test", signal);
 * ```
 */
export function userCommandFor(
  safety: Safety,
  command: string,
  signal: AbortSignal,
  onOutput?: (text: string) => void,
): UserCommand {
  const decision = safety.policy.decideCommand(command);
  const context: ToolContext = {
    ...safety.contextFor("run_bash", signal, onOutput),
    confirmCommand: undefined,
  };
  return decision.verdict === "deny"
    ? { verdict: "deny", reasons: [decision.reason], context }
    : decision.verdict === "ask"
    ? { verdict: "ask", reasons: decision.reasons, context }
    : { verdict: "allow", reasons: [], context };
}
