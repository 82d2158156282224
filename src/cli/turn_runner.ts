/**
 * One turn of the interactive session: the activity line stays on screen
 * (elapsed time, tokens so far, "esc to interrupt") while reasoning
 * streams, cells run and tools work; events are rendered above it; the
 * answer streams while the model writes it; the turn is recorded in the
 * session log; interrupts and failures keep the session intact.
 *
 * @module
 */

import type { RlmEvent } from "../rlm/events.ts";
import { recordTurn } from "../session/recorder.ts";
import { Activity } from "../ui/activity.ts";
import { EventRenderer, usageLine } from "../ui/render.ts";
import { sanitize } from "../ui/sanitize.ts";
import { toolLabel } from "../ui/tool_labels.ts";
import { mentionNote } from "./mentions.ts";
import type { Session } from "./session_state.ts";

/** How a turn ended. */
export type TurnOutcome = "answered" | "interrupted" | "failed";

/** The activity label an event implies, or `null` to keep the current one. */
function labelFor(event: RlmEvent, width: number): string | null {
  switch (event.type) {
    case "step_start":
    case "observation":
      return "Thinking";
    case "code":
      return "Running";
    case "tool_call":
      return toolLabel(event.name, event.args, Math.min(40, width));
    case "sub_lm_call":
      return "Asking the sub-model";
    default:
      return null;
  }
}

/** Adds a turn's usage to the session totals. */
function addTotals(session: Session, usage: Session["totals"]["usage"]): void {
  const totals = session.totals.usage;
  for (
    const key of [
      "promptTokens",
      "completionTokens",
      "cachedTokens",
      "lmCalls",
      "subLmCalls",
    ] as const
  ) totals[key] += usage[key];
  if (usage.cost !== undefined) totals.cost = (totals.cost ?? 0) + usage.cost;
}

/**
 * Runs `task` as a turn of `session`.
 *
 * @example
 * ```ts ignore
 * const outcome = await runSessionTurn(session, "fix the failing test");
 * ```
 */
export async function runSessionTurn(
  session: Session,
  task: string,
): Promise<TurnOutcome> {
  const { ui } = session;
  const { style } = ui;
  session.unfinished = task;
  let repl = session.config.repl;
  const renderer = new EventRenderer({
    out: ui.output,
    style,
    verbose: session.verbose,
    streamReasoning: ui.out.isTerminal,
    streamAnswer: ui.out.isTerminal,
    repl: () => repl,
    live: (lines) => ui.region.set("activity", lines),
  });
  let finishedTokens = 0;
  let charsAtCall = 0;
  const activity = new Activity(
    ui.region,
    style,
    () =>
      finishedTokens +
      Math.round((renderer.streamedChars - charsAtCall) / 4),
  );
  renderer.turnStart();
  activity.start("Starting");
  session.hooks = {
    before: () => activity.hide(),
    after: () => activity.show(),
    notify: (message) => ui.notify(message),
  };
  const controller = new AbortController();
  session.current = controller;
  session.turnSteps = () => renderer.steps;
  const started = performance.now();
  const recorder = recordTurn(session.log, task, {
    trace: session.config.track_trace,
  });
  const mainCalls = { count: 0 };
  session.refreshFooter();
  try {
    const agent = await session.agent();
    repl = agent.sandbox.repl;
    if (controller.signal.aborted) {
      throw new DOMException("interrupted", "AbortError");
    }
    const note = await mentionNote(task, session.cwd);
    const onEvent = (event: RlmEvent) => {
      recorder.onEvent(event);
      session.observe(event, mainCalls);
      if (event.type === "usage") {
        finishedTokens = event.total.completionTokens;
        charsAtCall = renderer.streamedChars;
      }
      renderer.handle(event);
      const label = labelFor(event, ui.out.columns());
      if (label) activity.start(label);
    };
    const result = await agent.forward(task, {
      signal: controller.signal,
      onEvent,
      note,
    });
    activity.stop();
    session.unfinished = null;
    recorder.answered(result);
    const wallMs = performance.now() - started;
    session.totals.turns++;
    session.totals.wallMs += wallMs;
    addTotals(session, result.usage);
    renderer.finishAnswer(result.answer);
    if (session.config.track_usage) {
      ui.print(style.dim(`  ${usageLine(result.usage, wallMs)}`));
    }
    if (wallMs >= ui.longTurnMs) ui.notify("nanocode finished the task");
    return "answered";
  } catch (error) {
    activity.stop();
    renderer.flush();
    if (controller.signal.aborted) {
      recorder.interrupted();
      ui.print(style.yellow("⏺ Interrupted. The conversation so far is kept."));
      return "interrupted";
    }
    recorder.failed(error);
    session.say(
      sanitize((error as Error)?.message ?? String(error)),
      style.red,
    );
    ui.print(
      style.dim("  The session is intact; /retry sends the task again."),
    );
    return "failed";
  } finally {
    activity.stop();
    ui.region.set("activity", []);
    session.current = null;
    session.turnSteps = null;
    session.knownWindow = (await session.agent().catch(() => null))
      ?.contextWindow() ?? session.knownWindow;
    session.hooks = {};
    if (renderer.steps.length) session.lastSteps = renderer.steps;
    session.refreshFooter();
  }
}
