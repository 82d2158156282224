/**
 * Approvals: what the policy asks the user, and who answers.
 *
 * @module
 */

/** Something a tool wants to do that the policy wants the user to approve. */
export interface ApprovalRequest {
  /** The tool asking (`read_file`, `write_file`, `edit_file`, `run_bash`, ...). */
  tool: string;
  /** What kind of access (`call`: an MCP tool call). */
  action: "read" | "write" | "command" | "call";
  /** The command line, the path as the model gave it, or the MCP `server.tool`. */
  subject: string;
  /** For calls: the arguments, as JSON. */
  args?: string;
  /** Why it asks, in short phrases ("outside the workspace"). */
  reasons: string[];
  /** For writes: the file's text before and after. */
  change?: { before: string | null; after: string };
}

/**
 * Whether a request touches something secret or protected (`.env`, keys,
 * `.git/hooks`, nanocode's own files): those need a person's yes.
 *
 * @example
 * ```ts
 * import { isSensitive } from "./approval.ts";
 * console.log(isSensitive({ tool: "read_file", action: "read", subject: ".env", reasons: ["secret-looking file (.env)"] })); // true
 * ```
 */
export function isSensitive(request: ApprovalRequest): boolean {
  return request.reasons.some((reason) =>
    /secret-looking|protected file|nanocode's own files/.test(reason)
  );
}

/** `always` approves this and the same request for the rest of the session. */
export type ApprovalAnswer = "yes" | "no" | "always";

/**
 * An answer with what the person said: a "no" can carry what to do
 * instead, which goes to the model in place of the tool's result.
 *
 * @example
 * ```ts
 * import type { ApprovalReply } from "./approval.ts";
 * const reply: ApprovalReply = { answer: "no", feedback: "use deno task test instead" };
 * console.log(reply.answer); // "no"
 * ```
 */
export interface ApprovalReply {
  /** The answer itself. */
  answer: ApprovalAnswer;
  /** What to do instead (with `no`). */
  feedback?: string;
}

/** Answers approval requests (a terminal prompt, or a fixed headless rule). */
export interface Approver {
  /** Whether a person answers (shapes the message when the answer is no). */
  readonly interactive: boolean;
  /** Answers one request; an aborted signal must resolve `"no"` promptly. */
  approve(
    request: ApprovalRequest,
    signal: AbortSignal,
  ): Promise<ApprovalAnswer | ApprovalReply>;
}

/**
 * The approver of headless runs: it cannot ask, so it refuses, unless
 * `--yes` said to allow what would ask. Even then it refuses secret and
 * protected files (nobody is there to see what leaves), and the deny list
 * still holds (the policy denies those before asking).
 *
 * @example
 * ```ts
 * import { headlessApprover } from "./approval.ts";
 * const approver = headlessApprover(false);
 * console.log(await approver.approve({ tool: "run_bash", action: "command", subject: "ls", reasons: [] }, new AbortController().signal)); // "no"
 * ```
 */
export function headlessApprover(allowAll: boolean): Approver {
  return {
    interactive: false,
    approve: (request) =>
      Promise.resolve(allowAll && !isSensitive(request) ? "yes" : "no"),
  };
}

/** A tool call refused by the policy or by the user; its message is for the model. */
export class PermissionError extends Error {
  /** Always `"PermissionError"`. */
  override name = "PermissionError";
}
