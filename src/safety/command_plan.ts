/**
 * Where a command runs and whether it asks, Codex-style: with an OS
 * sandbox, `auto-edit` runs a command that stays inside it without asking,
 * and asks (saying why) for one that must leave it; `yolo` runs commands
 * unconfined except for masked secrets and a private `/proc`. Deny rules,
 * allow rules and secret checks of the policy still come first.
 *
 * @module
 */

import type { PermissionMode } from "../config/fields.ts";
import { whyLeave } from "../exec/leave.ts";
import type { SandboxRequest } from "../exec/types.ts";
import { absolutePath } from "../policy/paths.ts";
import type { Decision, Policy } from "../policy/policy.ts";
import { commandMentions, shellWords } from "../policy/shell.ts";

/** What {@linkcode planCommand} needs to know. */
export interface CommandPlanInput {
  /** The command line. */
  command: string;
  /** `false` when the model asked to run outside the sandbox. */
  sandbox?: boolean;
  /** Whether commands get an OS sandbox here. */
  sandboxed: boolean;
  /** Workspace folder and home folder, for the paths a command names. */
  workspace: string;
  home: string;
}

/** The decision and, when it runs, where. */
export interface CommandPlan {
  /** Allow, ask (with the reasons to show) or deny. */
  decision: Decision;
  /** The sandbox the command runs in once allowed or approved. */
  sandbox: SandboxRequest;
}

const MODE_REASON = /^commands ask in /;

/**
 * Plans one command.
 *
 * @example
 * ```ts
 * import { Policy } from "../policy/policy.ts";
 * import { planCommand } from "./command_plan.ts";
 * const policy = new Policy({ roots: ["/w"], home: "/h", protectedDirs: [], mode: "auto-edit" });
 * const where = { sandboxed: true, workspace: "/w", home: "/h" };
 * console.log(planCommand(policy, { command: "npm test", ...where }).decision); // { verdict: "allow" }
 * console.log(planCommand(policy, { command: "git commit -m x", ...where }).decision);
 * // { verdict: "ask", reasons: ["runs outside the sandbox: git commit writes into .git"] }
 * ```
 */
export function planCommand(
  policy: Policy,
  input: CommandPlanInput,
): CommandPlan {
  const base = policy.decideCommand(input.command);
  if (!input.sandboxed || base.verdict === "deny") {
    return { decision: base, sandbox: { level: "none" } };
  }
  const unmask = mentionedSecrets(policy, input);
  if (policy.mode === "yolo") {
    return { decision: base, sandbox: { level: "open", unmask } };
  }
  const leave = input.sandbox === false
    ? "the model asked to run it outside the sandbox"
    : whyLeave(input.command);
  const sandbox: SandboxRequest = {
    level: leave ? "open" : "workspace",
    unmask,
  };
  if (base.verdict === "allow") return { decision: base, sandbox };
  if (
    policy.mode === "auto-edit" && !leave &&
    decideAs(policy, input.command, "yolo").verdict === "allow"
  ) {
    // The only reason to ask was the mode, and the sandbox contains it.
    return { decision: { verdict: "allow" }, sandbox };
  }
  const reasons = policy.mode === "auto-edit"
    ? base.reasons.filter((reason) => !MODE_REASON.test(reason))
    : base.reasons;
  if (leave) reasons.push(`runs outside the sandbox: ${leave}`);
  return { decision: { verdict: "ask", reasons }, sandbox };
}

/** The policy's decision as if it were in `mode` (the policy is left as it was). */
function decideAs(
  policy: Policy,
  command: string,
  mode: PermissionMode,
): Decision {
  const saved = policy.mode;
  policy.mode = mode;
  try {
    return policy.decideCommand(command);
  } finally {
    policy.mode = saved;
  }
}

/**
 * Real paths of the secret files a command names as whole, literal words
 * (shown when the user approved it). A word the shell expands (`${f}`,
 * globs, `$(...)`) says nothing certain about what it reads, so it
 * reveals nothing; `$HOME` is read as the home folder.
 */
function mentionedSecrets(policy: Policy, input: CommandPlanInput): string[] {
  const found: string[] = [];
  const words = new Set(
    shellWords(input.command).map((word) =>
      word.replace(/^\$(HOME\b|\{HOME\})/, "~")
    ),
  );
  for (const mention of words) {
    if (!commandMentions(mention).includes(mention)) continue;
    if (/[$`*?[\]{}]/.test(mention)) continue;
    let path: string;
    try {
      path = absolutePath(mention, input);
    } catch {
      continue;
    }
    if (policy.secretReason(path) === undefined) continue;
    found.push(path);
    try {
      found.push(Deno.realPathSync(path));
    } catch {
      // not there (yet)
    }
  }
  return [...new Set(found)];
}
