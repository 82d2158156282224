/**
 * Slash commands about the session itself: `/resume` (a picker, then the
 * last turns replayed), `/compact` (and compaction near the context
 * window), `/init` (drafts AGENTS.md) and `/diff`.
 *
 * @module
 */

import { COMMANDS_PAGER_TITLE, diffView } from "./diff_command.ts";
import {
  listSessions,
  type LoadedSession,
  readSession,
  SessionLog,
} from "../session/store.ts";
import { Activity } from "../ui/activity.ts";
import { openPager } from "../ui/pager.ts";
import { plural } from "../ui/plural.ts";
import { sanitize } from "../ui/sanitize.ts";
import { pickSession, replayLines } from "./resume_picker.ts";
import type { Session } from "./session_state.ts";
import { sessionsDir } from "./setup.ts";

/** The task `/init` runs. */
export const INIT_TASK =
  "Draft an AGENTS.md file at the root of this repository: instructions for coding agents working here. " +
  "First explore the repository (its layout, languages, package and build files, CI configuration, README, existing conventions and docs). " +
  "Then write concise, specific sections: what the project is, how the code is laid out, how to build, test, lint and run it (exact commands), " +
  "code style and conventions, and pitfalls. If AGENTS.md already exists, improve it and keep what is still right. " +
  "Write the file with write_file, then SUBMIT a short summary of what it says.";

/** Auto-compaction starts when the context is this full. */
const AUTO_COMPACT_AT = 0.8;

/**
 * Shows a resumed conversation: its last turns replayed, and a line saying
 * what came back.
 *
 * @example
 * ```ts ignore
 * showResumed(session, loaded);
 * ```
 */
export function showResumed(session: Session, loaded: LoadedSession): void {
  session.ui.print(
    replayLines(
      loaded.header.id,
      loaded.history,
      session.ui.style,
      session.ui.out.columns(),
    ).join("\n"),
  );
  session.say(
    `Resumed session ${loaded.header.id} (${
      plural(loaded.history.length, "turn")
    }; REPL variables start empty)`,
  );
  session.refreshFooter();
}

/**
 * Resumes `loaded` in the session: history back, the log reopened, the last
 * turns replayed on screen.
 *
 * @example
 * ```ts ignore
 * await resumeInto(session, await readSession(dir, id));
 * ```
 */
export async function resumeInto(
  session: Session,
  loaded: LoadedSession,
): Promise<void> {
  const agent = await session.agent();
  await agent.resume(loaded.history, loaded.header.id);
  session.log = SessionLog.reopen(sessionsDir(session.env), loaded);
  session.contextTokens = undefined;
  showResumed(session, loaded);
}

/** Runs `/resume [N|ID]`: a picker without an argument. */
export async function resumeCommand(
  session: Session,
  args: string,
): Promise<void> {
  const { style } = session.ui;
  const dir = sessionsDir(session.env);
  const sessions = (await listSessions(dir, session.cwd)).filter((s) =>
    s.id !== session.log.id
  );
  let id = args;
  if (!args) {
    if (sessions.length === 0) {
      session.say("No other sessions in this folder.", style.cyan);
      return;
    }
    const chosen = await pickSession(session.ui, sessions);
    if (!chosen) return;
    id = chosen.id;
  } else if (/^\d{1,2}$/.test(args) && sessions[Number(args) - 1]) {
    id = sessions[Number(args) - 1].id;
  }
  let loaded;
  try {
    loaded = await readSession(dir, id);
  } catch (error) {
    session.say(sanitize((error as Error).message), style.red);
    return;
  }
  await resumeInto(session, loaded);
}

/**
 * Runs `/compact`, or compacts on its own when `auto` and the context is
 * near the model's window.
 *
 * @example
 * ```ts ignore
 * await compactCommand(session, { auto: true }); // before a turn
 * ```
 */
export async function compactCommand(
  session: Session,
  options: { auto?: boolean } = {},
): Promise<void> {
  const { ui } = session;
  const agent = await session.agent();
  if (options.auto) {
    const window = session.window();
    const historyTokens = JSON.stringify(agent.history).length / 4;
    const used = Math.max(session.contextTokens ?? 0, historyTokens);
    if (agent.history.length < 2 || used < window * AUTO_COMPACT_AT) return;
    session.say(
      `The context is ${Math.round(used / window * 100)}% full: compacting ${
        plural(agent.history.length, "earlier turn")
      }`,
      ui.style.cyan,
    );
  }
  if (agent.history.length === 0) {
    session.say("Nothing to compact yet.", ui.style.cyan);
    return;
  }
  const activity = new Activity(ui.region, ui.style);
  const controller = new AbortController();
  session.current = controller;
  activity.start("Compacting the conversation");
  try {
    const result = await agent.compact(controller.signal);
    if (!result) return;
    session.log.append({
      type: "compacted",
      turns: result.turns,
      history: result.history,
    });
    session.contextTokens = undefined;
    session.say(
      `Compacted ${plural(result.turns, "turn")} into a summary (${
        plural(result.summary.length, "character")
      }); history now holds it.`,
    );
  } catch (error) {
    session.say(
      controller.signal.aborted
        ? "Compaction interrupted; the conversation is unchanged."
        : `Could not compact: ${sanitize((error as Error).message)}`,
      ui.style.yellow,
    );
  } finally {
    activity.stop();
    session.current = null;
    session.refreshFooter();
  }
}

/** Runs `/init`: a turn that drafts AGENTS.md. */
export async function initCommand(session: Session): Promise<void> {
  await session.runTurn(INIT_TASK);
}

/** Runs `/diff`: the session's file changes, paged when long. */
export async function diffCommand(session: Session): Promise<void> {
  const { ui } = session;
  const lines = await diffView(session);
  if (lines.length === 0) {
    session.say("No files changed by nanocode in this session.", ui.style.cyan);
    return;
  }
  const rows = ui.out.rows?.() ?? 24;
  if (ui.out.isTerminal && lines.length > rows - 4) {
    await openPager(ui, COMMANDS_PAGER_TITLE, lines);
  } else ui.print(lines.join("\n"));
}
