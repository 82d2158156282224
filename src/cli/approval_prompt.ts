/**
 * The terminal approval prompt: shows exactly what a tool wants to do
 * (escaped, destructive commands tagged in red, a diff for writes that can
 * be paged in full) and offers numbered options with their scope. Enter
 * picks the highlighted default, Yes.
 *
 * @module
 */

import { destructiveReason } from "../policy/destructive.ts";
import {
  type ApprovalReply,
  type ApprovalRequest,
  type Approver,
  isSensitive,
} from "../safety/approval.ts";
import { changeLines } from "../ui/diff_view.ts";
import { LineEditor } from "../ui/line_editor.ts";
import { Menu, type MenuChoice } from "../ui/menu.ts";
import { openPager } from "../ui/pager.ts";
import { plural } from "../ui/plural.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { ScreenUi } from "../ui/screen_ui.ts";
import type { Style } from "../ui/style.ts";
import { wrapLine, wrapText } from "../ui/wrap.ts";
import { exactCommandRule } from "./project_rules.ts";

const VERBS: Record<ApprovalRequest["action"], string> = {
  read: "read",
  write: "change",
  command: "run",
  call: "call",
};

/** Diff lines shown in the prompt; `d` pages the whole diff. */
const DIFF_LINES = 40;
/** A prompt that appears while the user is typing waits for a pause this long. */
const TYPING_PAUSE_MS = 600;
/** Lines of a tool call's arguments shown in the prompt. */
const ARG_LINES = 30;

/** What the session does around a prompt and with its scoped answers. */
export interface PromptHooks {
  /** The prompt opens (the session hides its spinner). */
  before?: () => void;
  /** The prompt closed. */
  after?: () => void;
  /** "don't ask again for `CMD` in this project": remember the rule. */
  rememberRule?: (rule: string) => Promise<void> | void;
  /** "yes to all edits this session": switch the session to auto-edit. */
  allowAllEdits?: () => void;
  /** A prompt is waiting (bell / desktop notification). */
  notify?: (message: string) => void;
  /** Whether the user has typed since the turn began (type-ahead). */
  composing?: () => boolean;
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
  width = 80,
): string {
  const lines = [
    style.yellow(`⏺ ${request.tool} wants to ${VERBS[request.action]}:`),
  ];
  const danger = request.action === "command"
    ? destructiveReason(request.subject)
    : null;
  if (danger) {
    lines.push(`  ${style.red(style.bold(`[destructive] ${danger}`))}`);
  }
  for (const line of sanitize(request.subject).split("\n")) {
    for (const row of wrapLine(line, width - 5)) {
      lines.push(`  ${style.bold("│")} ${row}`);
    }
  }
  if (request.args !== undefined) {
    const args = sanitize(request.args).split("\n");
    const shown = args.slice(0, ARG_LINES);
    if (args.length > ARG_LINES) {
      shown.push(`… ${plural(args.length - ARG_LINES, "more line")}`);
    }
    for (const line of shown) lines.push(`  ${style.bold("│")}   ${line}`);
  }
  if (request.change) {
    const diff = changeLines(
      request.change.before,
      request.change.after,
      style,
      {
        maxLines: DIFF_LINES,
        moreHint: "press d to page through the whole diff",
      },
    );
    lines.push(...diff.slice(1).map((line) => `    ${line}`));
  }
  if (request.reasons.length) {
    const why = `(${sanitize(request.reasons.join("; "))})`;
    lines.push(style.dim(wrapText(why, width - 1, "  ", "   ")));
  }
  return lines.join("\n");
}

/** What an answer does: its reply, how it is echoed, and what it changes. */
interface Outcome {
  reply: ApprovalReply;
  shown: string;
  effect?: { rule: string } | { allEdits: true };
}

/** The options of a request, each with what picking it does. */
function options(request: ApprovalRequest): {
  choice: MenuChoice;
  pick: () => Outcome | "feedback";
}[] {
  const yes = {
    choice: { label: "Yes", letter: "y" },
    pick: () => ({ reply: { answer: "yes" as const }, shown: "Yes" }),
  };
  const feedback = {
    choice: { label: "No, and tell nanocode what to do instead" },
    pick: () => "feedback" as const,
  };
  // A slash command's confirmation (/undo): yes or no, nothing to remember.
  if (request.tool.startsWith("/")) {
    return [yes, {
      choice: { label: "No", letter: "n" },
      pick: () => ({ reply: { answer: "no" as const }, shown: "No" }),
    }];
  }
  if (isSensitive(request)) return [yes, feedback];
  const list: { choice: MenuChoice; pick: () => Outcome | "feedback" }[] = [
    yes,
  ];
  if (request.action === "command") {
    const compound = request.reasons.some((r) => r.startsWith("compound"));
    const rule = compound ? null : exactCommandRule(request.subject);
    const shown = sanitize(request.subject.trim().replace(/\s+/g, " "));
    if (rule) {
      const label = `Yes, and don't ask again for \`${shown}\` in this project`;
      list.push({
        choice: { label },
        pick: () => ({
          reply: { answer: "always" },
          shown: label,
          effect: { rule },
        }),
      });
    } else {
      const label =
        "Yes, and don't ask again for this exact command this session";
      list.push({
        choice: { label },
        pick: () => ({ reply: { answer: "always" }, shown: label }),
      });
    }
  } else if (
    request.action === "write" &&
    request.reasons.includes("writes ask in ask mode")
  ) {
    const label = "Yes to all edits this session";
    list.push({
      choice: { label },
      pick: () => ({
        reply: { answer: "yes" },
        shown: label,
        effect: { allEdits: true },
      }),
    });
  } else {
    const label = "Yes, and don't ask again for it this session";
    list.push({
      choice: { label },
      pick: () => ({ reply: { answer: "always" }, shown: label }),
    });
  }
  list.push(feedback);
  return list;
}

/**
 * An approver that asks on the terminal. The prompt's keys: ↑/↓ and Enter,
 * a digit, `y`, `n` or Esc (no), `d` (the whole diff). While the input
 * holds a message typed during the turn and not yet sent, Enter answers
 * nothing (it was meant to send that message) and the message is kept.
 * Ctrl-C interrupts the turn (the signal aborts) and counts as no; no key
 * typed after it is taken by the closed prompt. A prompt that opens
 * while the user is typing waits for a short pause in the typing before it
 * takes keys, so a keystroke meant for the message cannot answer it; a
 * burst of text arriving at once (an unbracketed paste) answers nothing,
 * and the prompt waits for the typing to pause again.
 *
 * @example
 * ```ts ignore
 * const approver = terminalApprover(ui, () => ({ before: () => spinner.hide() }));
 * ```
 */
export function terminalApprover(
  ui: ScreenUi,
  hooks: () => PromptHooks = () => ({}),
): Approver {
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (request: ApprovalRequest, signal: AbortSignal) => {
    if (signal.aborted) return Promise.resolve<ApprovalReply>({ answer: "no" });
    const { style, region, keys } = ui;
    const hook = hooks();
    hook.before?.();
    region.print(describeRequest(request, style, ui.out.columns()));
    hook.notify?.(
      `nanocode wants to ${VERBS[request.action]} ${
        request.subject.split("\n")[0]
      }`,
    );
    const list = options(request);
    const menu = new Menu(list.map((o) => o.choice));
    const savedEditor = region.editor;
    // A message typed during the turn and not yet sent: the Enter meant to
    // send it must not answer a prompt the user has not read.
    const drafting = () =>
      savedEditor instanceof LineEditor && savedEditor.value.trim() !== "";
    let feedback: LineEditor | null = null;
    let armed = false;
    const title = style.bold(
      request.action === "command"
        ? "Run this command?"
        : request.action === "write"
        ? `Make this change to ${sanitize(request.subject)}?`
        : request.action === "call"
        ? `Call ${sanitize(request.subject)}?`
        : `Read ${sanitize(request.subject)}?`,
    );
    const draw = () => {
      const hint = !armed
        ? "(finish typing; the prompt takes keys after a short pause)"
        : feedback
        ? "Enter sends it to nanocode · Esc goes back"
        : `${
          drafting() ? "press 1 or y for Yes" : "Enter picks"
        } · Esc declines${request.change ? " · d shows the whole diff" : ""}`;
      region.batch(() => {
        region.set(
          "dialog",
          feedback
            ? [title, style.dim("  Tell nanocode what to do instead:")]
            : [title, ...menu.lines(style)],
        );
        region.set(
          "dialog-hint",
          armed && !feedback && drafting()
            ? [
              style.dim(
                "Enter does not answer while your message is unsent (it is kept)",
              ),
              style.dim(hint),
            ]
            : [style.dim(hint)],
        );
        if (armed) region.editor = feedback;
      });
    };
    return new Promise<ApprovalReply>((resolve) => {
      let pop = () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (outcome: Outcome) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        pop();
        region.batch(() => {
          region.set("dialog", []);
          region.set("dialog-hint", []);
          region.editor = savedEditor;
        });
        const color = outcome.reply.answer === "no" ? style.red : style.green;
        const said = outcome.reply.feedback
          ? `: ${sanitize(outcome.reply.feedback)}`
          : "";
        region.print(`  ${style.dim("⎿")} ${color(outcome.shown)}${said}`);
        const effect = outcome.effect;
        if (effect && "rule" in effect) {
          void Promise.resolve(hook.rememberRule?.(effect.rule)).catch((
            error,
          ) =>
            region.print(
              style.yellow(
                `  Could not remember the rule: ${
                  sanitize((error as Error).message)
                }`,
              ),
            )
          );
        } else if (effect) hook.allowAllEdits?.();
        hook.after?.();
        resolve(outcome.reply);
      };
      const no = (shown = "No") => finish({ reply: { answer: "no" }, shown });
      const onAbort = () => no("No (interrupted)");
      signal.addEventListener("abort", onAbort, { once: true });
      const onKey = (
        key: Parameters<typeof menu.handle>[0],
        burst: boolean,
      ) => {
        // Keys after a burst, until the typing pauses, answer nothing.
        if (!armed) return;
        if (feedback) {
          if (key.kind === "key" && key.name === "escape") {
            feedback = null;
            return draw();
          }
          const event = feedback.handle(key);
          if (event?.type === "submit") {
            const text = event.text.trim();
            finish({
              reply: text ? { answer: "no", feedback: text } : { answer: "no" },
              shown: "No",
            });
          }
          return;
        }
        // `d` opens the pager, which takes the keys typed with it ("dG").
        if (key.kind === "text" && key.text === "d" && request.change) {
          const all = changeLines(
            request.change.before,
            request.change.after,
            style,
            {
              maxLines: Number.MAX_SAFE_INTEGER,
            },
          );
          void openPager(
            ui,
            `${request.tool} ${sanitize(request.subject)}`,
            all,
          ).then(draw);
          return;
        }
        // A burst of text in one read (a paste without bracketed paste,
        // keys mashed together) is no answer, nor is what comes with it.
        if (burst) {
          armed = false;
          draw();
          timer = setTimeout(() => arm(true), TYPING_PAUSE_MS);
          return;
        }
        // `n` is a plain no, like Esc (option 3 also says what to do instead).
        if (key.kind === "text" && key.text.toLowerCase() === "n") return no();
        if (key.kind === "key" && key.name === "enter" && drafting()) return;
        const result = menu.handle(key);
        if (!result) return draw();
        if ("cancel" in result) return no();
        const picked = list[result.pick].pick();
        if (picked !== "feedback") return finish(picked);
        feedback = new LineEditor({
          out: ui.out,
          prompt: style.cyan("  ↳ "),
          onChange: () => region.render(),
        });
        feedback.start();
        draw();
      };
      const arm = (typing = false) => {
        const quiet = performance.now() - keys.lastKeyAt;
        // The Enter that sent the task is not typing; keys since the turn
        // began are (they may be a message with a "y" in it).
        if (
          quiet < TYPING_PAUSE_MS && (typing || (hook.composing?.() ?? true))
        ) {
          timer = setTimeout(() => arm(typing), TYPING_PAUSE_MS - quiet);
          return;
        }
        armed = true;
        if (!typing) pop = keys.push(onKey, { chars: true });
        draw();
      };
      draw();
      arm();
    });
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
