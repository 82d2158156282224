/**
 * The terminal approval prompt: shows exactly what a tool wants to do
 * (escaped, with a diff for writes) and reads yes / no / always.
 *
 * @module
 */

import type {
  ApprovalAnswer,
  ApprovalRequest,
  Approver,
} from "../safety/approval.ts";
import type { KeyInput } from "../ui/input.ts";
import { renderDiff, unifiedDiff } from "../ui/diff.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Style } from "../ui/style.ts";
import type { Output } from "../ui/terminal.ts";

const VERBS: Record<ApprovalRequest["action"], string> = {
  read: "read",
  write: "change",
  command: "run",
  call: "call",
};

const DIFF_LINES = 40;
const ARG_LINES = 30;

/** Hooks around the prompt (the session pauses its spinner). */
export interface PromptHooks {
  before?: () => void;
  after?: () => void;
}

/**
 * The request as the prompt shows it.
 *
 * @example
 * ```ts
 * import { describeRequest } from "./approval_prompt.ts";
 * import { createStyle } from "../ui/style.ts";
 * const text = describeRequest({ tool: "run_bash", action: "command", subject: "rm -rf build", reasons: ["commands ask in ask mode"] }, createStyle(false));
 * console.log(text.includes("rm -rf build")); // true
 * ```
 */
export function describeRequest(
  request: ApprovalRequest,
  style: Style,
): string {
  const lines = [
    style.yellow(`⏺ ${request.tool} wants to ${VERBS[request.action]}:`),
  ];
  const subject = sanitize(request.subject).split("\n");
  for (const line of subject) lines.push(`  ${style.bold("│")} ${line}`);
  if (request.args !== undefined) {
    const args = sanitize(request.args).split("\n");
    const shown = args.slice(0, ARG_LINES);
    if (args.length > ARG_LINES) {
      shown.push(`… ${args.length - ARG_LINES} more lines`);
    }
    for (const line of shown) lines.push(`  ${style.bold("│")}   ${line}`);
  }
  if (request.change) {
    const diff = request.change.before === null
      ? unifiedDiff("", request.change.after, { maxLines: DIFF_LINES })
      : unifiedDiff(request.change.before, request.change.after, {
        maxLines: DIFF_LINES,
      });
    const rendered = renderDiff(diff, style);
    if (rendered) lines.push(rendered.replace(/^/gm, "    "));
  }
  if (request.reasons.length) {
    lines.push(style.dim(`  (${sanitize(request.reasons.join("; "))})`));
  }
  return lines.join("\n");
}

/**
 * An approver that asks on the terminal. `y` yes, `n` (or Enter, Esc) no,
 * `a` always for this session; Ctrl-C interrupts the turn (the signal
 * aborts) and counts as no.
 *
 * @example
 * ```ts ignore
 * const approver = terminalApprover(stdout, style, input, { before: () => spinner.stop() });
 * ```
 */
export function terminalApprover(
  out: Output,
  style: Style,
  input: KeyInput,
  hooks: () => PromptHooks = () => ({}),
): Approver {
  let queue: Promise<unknown> = Promise.resolve();
  const ask = async (
    request: ApprovalRequest,
    signal: AbortSignal,
  ): Promise<ApprovalAnswer> => {
    if (signal.aborted) return "no";
    const { before, after } = hooks();
    before?.();
    input.discard();
    out.write(`${describeRequest(request, style)}\n`);
    out.write(
      `  ${style.bold("Allow?")} ${
        style.dim("[y]es  [n]o  [a]lways this session")
      } `,
    );
    let answer: ApprovalAnswer = "no";
    try {
      const aborted = new Promise<null>((resolve) =>
        signal.addEventListener("abort", () => resolve(null), { once: true })
      );
      for (;;) {
        const key = await Promise.race([input.next(), aborted]);
        if (key === null) break;
        const text = key.kind === "text" ? key.text.toLowerCase() : "";
        if (text === "y") answer = "yes";
        else if (text === "a") answer = "always";
        else if (
          !(text === "n" ||
            (key.kind === "key" &&
              ["enter", "escape", "ctrl-c", "ctrl-d"].includes(key.name)))
        ) continue;
        break;
      }
    } finally {
      const shown = answer === "yes"
        ? style.green("yes")
        : answer === "always"
        ? style.green("always")
        : style.red("no");
      out.write(`${shown}\n`);
      after?.();
    }
    return answer;
  };
  return {
    interactive: true,
    approve(request, signal) {
      // One prompt at a time (a batch of calls could ask together).
      const next = queue.then(() => ask(request, signal));
      queue = next.catch(() => {});
      return next;
    },
  };
}
