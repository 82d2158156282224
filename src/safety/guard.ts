/**
 * The guarded tool context: every file path and command a tool uses goes
 * through the policy (deny, ask, allow), asks the approver when it must,
 * checks that files did not change since the model read them, and takes
 * the turn's undo snapshot before the first change.
 *
 * @module
 */

import type { Executor } from "../exec/types.ts";
import type { Policy } from "../policy/policy.ts";
import { resolveForAccess } from "../policy/paths.ts";
import type {
  Access,
  FileStates,
  ToolCallRequest,
  ToolContext,
  WriteChange,
} from "../tools/types.ts";
import { planCommand } from "./command_plan.ts";
import {
  type ApprovalRequest,
  type Approver,
  isSensitive,
  PermissionError,
} from "./approval.ts";

/** Everything a guarded context needs. */
export interface GuardOptions {
  policy: Policy;
  approver: Approver;
  /** Absolute, real path of the workspace. */
  workspace: string;
  /** The user's home folder (for `~`). */
  home: string;
  files: FileStates;
  /** Takes the turn's undo snapshot (once per turn); absent: no snapshots. */
  snapshot?: () => Promise<void>;
  /** Environment for commands, already scrubbed. */
  env: Record<string, string>;
  rgPath: string | null;
  /** Starts commands (sandboxed where it can); absent: plain processes, no sandbox. */
  executor?: Executor;
}

async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await Deno.lstat(path)).isSymlink;
  } catch {
    return false;
  }
}

function describe(tool: string, subject: string): string {
  return tool === "run_bash"
    ? `run_bash(${JSON.stringify(subject)})`
    : `${tool}(${JSON.stringify(subject)})`;
}

/**
 * Builds the tool context for one call of `tool`.
 *
 * @example
 * ```ts ignore
 * const context = guardedContext("read_file", signal, options);
 * const path = await context.resolvePath("src/a.ts", "read");
 * ```
 */
export function guardedContext(
  tool: string,
  signal: AbortSignal,
  options: GuardOptions,
  onOutput?: (text: string) => void,
  onChange?: (change: WriteChange) => void,
): ToolContext {
  const { policy, approver } = options;

  const ask = async (
    request: ApprovalRequest,
    always: () => void,
  ): Promise<void> => {
    const what = describe(request.tool, request.subject);
    if (signal.aborted) {
      throw new PermissionError(
        `Not allowed: the turn was interrupted before ${what} could run`,
      );
    }
    const reply = await approver.approve(request, signal);
    const { answer, feedback } = typeof reply === "string"
      ? { answer: reply, feedback: undefined }
      : reply;
    if (answer === "always") always();
    if (answer !== "no") return;
    const why = request.reasons.join("; ");
    if (feedback?.trim()) {
      throw new PermissionError(
        `Not allowed: the user declined ${
          describe(tool, request.subject)
        } and said what to do instead: ${
          JSON.stringify(feedback.trim())
        }. Follow that.`,
      );
    }
    throw new PermissionError(
      !approver.interactive && isSensitive(request)
        ? `Not allowed: ${what} touches a secret or protected file (${why}), ` +
          "and nanocode is running without a terminal to ask; only an explicit allow rule opens it"
        : approver.interactive
        ? `Not allowed: the user declined ${what} (${why}); do not retry it, ask the user or find another way`
        : `Not allowed: ${what} needs approval (${why}), and nanocode is running without a terminal to ask; ` +
          "it can be allowed with --yes or an allow rule in .nanocode/config.json",
    );
  };

  const resolve = async (path: string, access: Access) => {
    try {
      return await resolveForAccess(path, access, {
        workspace: options.workspace,
        home: options.home,
      });
    } catch (error) {
      throw new Error(
        `Cannot use path ${JSON.stringify(path)}: ${(error as Error).message}`,
      );
    }
  };

  const denied = (subject: string, reason: string) =>
    new PermissionError(
      `Permission denied: ${
        describe(tool, subject)
      } is not allowed (${reason})`,
    );

  return {
    workspace: options.workspace,
    signal,
    env: options.env,
    rgPath: options.rgPath,
    onOutput,
    files: options.files,
    excluded: (absolutePath) => policy.secretReason(absolutePath) !== undefined,

    async resolvePath(path, access) {
      let resolved = await resolve(path, access);
      if (
        access === "write" && resolved.exists && await isSymlink(resolved.real)
      ) {
        // Writing a symlink writes what it points at: that is what the
        // policy judges, and the path the tool gets (so the write cannot be
        // redirected later, as atomic writes never follow links).
        resolved = await resolve(path, "read");
      }
      const decision = policy.decidePath(tool, access, resolved, path);
      if (decision.verdict === "deny") throw denied(path, decision.reason);
      // A write asks in confirmWrite, where the change (and its diff) is known.
      if (decision.verdict === "ask" && access === "read") {
        await ask(
          { tool, action: "read", subject: path, reasons: decision.reasons },
          () => policy.allowForSession({ access: "read", real: resolved.real }),
        );
      }
      return resolved.real;
    },

    async confirmWrite(change: WriteChange) {
      const resolved = await resolve(change.path, "write");
      const decision = policy.decidePath(
        change.tool,
        "write",
        resolved,
        change.display,
      );
      if (decision.verdict === "deny") {
        throw denied(change.display, decision.reason);
      }
      if (decision.verdict === "ask") {
        await ask(
          {
            tool: change.tool,
            action: "write",
            subject: change.display,
            reasons: decision.reasons,
            change: { before: change.before, after: change.after },
          },
          () =>
            policy.allowForSession({ access: "write", real: resolved.real }),
        );
      }
      await options.snapshot?.();
      onChange?.(change);
    },

    executor: options.executor,

    async confirmCall(call: ToolCallRequest) {
      const subject = `${call.server}.${call.tool}`;
      const decision = policy.decideMcp(call);
      if (decision.verdict === "deny") {
        throw new PermissionError(
          `Permission denied: ${
            describe("mcp", subject)
          } is not allowed (${decision.reason})`,
        );
      }
      if (decision.verdict === "ask") {
        await ask(
          {
            tool: "mcp",
            action: "call",
            subject,
            args: JSON.stringify(call.args, null, 2) ?? "{}",
            reasons: decision.reasons,
          },
          () => policy.allowForSession({ mcp: subject }),
        );
      }
    },

    async confirmCommand(command, request) {
      const status = await options.executor?.status();
      const { decision, sandbox } = planCommand(policy, {
        command,
        sandbox: request?.sandbox,
        sandboxed: status?.kind === "bubblewrap",
        workspace: options.workspace,
        home: options.home,
      });
      if (decision.verdict === "deny") throw denied(command, decision.reason);
      if (decision.verdict === "ask") {
        await ask(
          {
            tool: "run_bash",
            action: "command",
            subject: command,
            reasons: decision.reasons,
          },
          () => policy.allowForSession({ command }),
        );
      }
      await options.snapshot?.();
      return { sandbox };
    },
  };
}
