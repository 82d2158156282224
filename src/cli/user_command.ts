/**
 * `!CMD` at the prompt: the user runs a shell command themselves. It goes
 * through the same policy as the model's `run_bash` (deny rules refuse it;
 * a command touching secret files asks, since its output goes to the
 * model), runs the same way (workspace folder, scrubbed environment,
 * process-tree kill on Esc), shows its output live, and joins the
 * conversation: the model sees the command and its output in `history`.
 *
 * @module
 */

import { limitText } from "../tools/define.ts";
import { Activity } from "../ui/activity.ts";
import { sanitize } from "../ui/sanitize.ts";
import { ToolView } from "../ui/tool_view.ts";
import { emptyTotals } from "../rlm/events.ts";
import type { Session } from "./session_state.ts";

/** Characters of a command's output kept in the conversation. */
const HISTORY_CHARS = 20_000;

/**
 * Runs a command the user typed after `!`.
 *
 * @example
 * ```ts ignore
 * await runUserCommand(session, "npm test");
 * ```
 */
export async function runUserCommand(
  session: Session,
  command: string,
): Promise<void> {
  const { ui } = session;
  const { style } = ui;
  if (!command.trim()) {
    session.say("Type a command after !, e.g. !git status", style.yellow);
    return;
  }
  const agent = await session.agent();
  const controller = new AbortController();
  session.current = controller;
  const view = new ToolView({
    print: (lines) => ui.print(lines.join("\n")),
    live: (lines) => ui.region.set("activity", lines),
    style,
    columns: () => ui.out.columns(),
  });
  const activity = new Activity(ui.region, style);
  const id = 1;
  try {
    const judged = await agent.userCommand(
      command,
      controller.signal,
      (text) => view.output({ type: "tool_output", step: 0, id, text }),
    );
    if (!judged) {
      session.say(
        "Commands cannot run here: the agent has no safety layer.",
        style.red,
      );
      return;
    }
    if (judged.verdict === "deny") {
      session.say(`Not run: ${sanitize(judged.reasons.join("; "))}`, style.red);
      return;
    }
    if (
      judged.verdict === "ask" &&
      judged.reasons.some((r) =>
        /secret-looking|protected|nanocode's own/.test(r)
      )
    ) {
      const reply = await session.approver.approve({
        tool: "run_bash",
        action: "command",
        subject: command,
        reasons: [...judged.reasons, "its output goes to the model"],
      }, controller.signal);
      const answer = typeof reply === "string" ? reply : reply.answer;
      if (answer === "no") {
        session.say("Not run.", style.yellow);
        return;
      }
    }
    view.call({
      type: "tool_call",
      step: 0,
      id,
      name: "run_bash",
      args: [command],
    });
    activity.start("Running your command");
    const { runBashTool } = await import("../tools/run_bash.ts");
    let output: string;
    let ok = true;
    try {
      output = await runBashTool.run([command], judged.context);
    } catch (error) {
      ok = false;
      output = (error as Error).message;
    }
    activity.stop();
    view.result({
      type: "tool_result",
      step: 0,
      id,
      name: "run_bash",
      ok,
      output,
      durationMs: 0,
    });
    const answer = `(The user ran \`${command}\` in the terminal.) Output:\n${
      limitText(output, HISTORY_CHARS)
    }`;
    agent.history.push({ user: `!${command}`, answer });
    const turn = ++session.log.turn;
    session.log.append({ type: "user", turn, text: `!${command}` });
    session.log.append({
      type: "answer",
      turn,
      text: answer,
      usage: emptyTotals(),
      extracted: false,
    });
  } finally {
    activity.stop();
    ui.region.set("activity", []);
    session.current = null;
    session.refreshFooter();
  }
}
