/**
 * Resuming a session: a picker over this folder's sessions, and a replay of
 * the resumed conversation's last turns on screen.
 *
 * @module
 */

import type { Turn } from "../agent/types.ts";
import type { SessionSummary } from "../session/store.ts";
import { renderMarkdown } from "../ui/markdown.ts";
import { Menu } from "../ui/menu.ts";
import { plural } from "../ui/plural.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { ScreenUi } from "../ui/screen_ui.ts";
import type { Style } from "../ui/style.ts";

/** Sessions the picker offers at most. */
const OFFERED = 20;
/** Options shown at once. */
const WINDOW = 8;

function ago(date: Date, now: Date): string {
  const minutes = Math.max(
    0,
    Math.round((now.getTime() - date.getTime()) / 60_000),
  );
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${plural(minutes, "minute")} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${plural(hours, "hour")} ago`;
  return `${plural(Math.round(hours / 24), "day")} ago`;
}

/**
 * Lets the user pick one of `sessions` (newest first); `null` when they
 * press Esc. ↑/↓ and Enter, or a digit.
 *
 * @example
 * ```ts ignore
 * const chosen = await pickSession(ui, await listSessions(dir, cwd));
 * ```
 */
export function pickSession(
  ui: ScreenUi,
  sessions: SessionSummary[],
  now = new Date(),
): Promise<SessionSummary | null> {
  const { region, keys, style } = ui;
  const offered = sessions.slice(0, OFFERED);
  const menu = new Menu(offered.map((s) => ({
    label: `${
      sanitize(s.firstTask.replace(/\s+/g, " ").slice(0, 60)) || "(no task)"
    }`,
    hint: `${plural(s.turns, "turn")} · ${ago(s.updated, now)} · ${s.id}`,
  })));
  const saved = region.editor;
  return new Promise((resolve) => {
    const draw = () => {
      const first = Math.max(
        0,
        Math.min(
          menu.selected - Math.floor(WINDOW / 2),
          offered.length - WINDOW,
        ),
      );
      region.batch(() => {
        region.editor = null;
        region.set("dialog", [
          style.bold("Resume a session of this folder:"),
          ...menu.lines(style, first, WINDOW),
        ]);
        region.set("dialog-hint", [
          style.dim("Enter resumes · ↑/↓ move · Esc starts a new session"),
        ]);
      });
    };
    const pop = keys.push((key) => {
      const result = menu.handle(key);
      if (!result) return draw();
      pop();
      region.batch(() => {
        region.set("dialog", []);
        region.set("dialog-hint", []);
        region.editor = saved;
      });
      resolve("cancel" in result ? null : offered[result.pick]);
    }, { chars: true });
    draw();
  });
}

/**
 * The replay of a resumed conversation: its last `count` turns, each the
 * request after a `❯` and the answer rendered as markdown.
 *
 * @example
 * ```ts
 * import { replayLines } from "./resume_picker.ts";
 * import { createStyle } from "../ui/style.ts";
 * const lines = replayLines("s1", [{ user: "hi", answer: "**hello**" }], createStyle(false), 80);
 * console.log(lines.join("\n"));
 * // ── Resumed session s1: 1 turn ──
 * // ❯ hi
 * // ⏺ hello
 * ```
 */
export function replayLines(
  id: string,
  history: Turn[],
  style: Style,
  width: number,
  count = 10,
): string[] {
  const shown = history.slice(-count);
  const title = shown.length === history.length
    ? plural(history.length, "turn")
    : `the last ${shown.length} of ${history.length} turns`;
  const out = [style.dim(`── Resumed session ${sanitize(id)}: ${title} ──`)];
  for (const turn of shown) {
    const user = sanitize(turn.user).split("\n");
    out.push(`${style.bold(style.blue("❯"))} ${user[0]}`);
    for (const line of user.slice(1, 6)) out.push(`  ${line}`);
    if (user.length > 6) {
      out.push(style.dim(`  … ${plural(user.length - 6, "more line")}`));
    }
    const answer = renderMarkdown(turn.answer, style, Math.max(20, width - 2))
      .split("\n");
    out.push(
      `${style.cyan("⏺")} ${answer[0]}`,
      ...answer.slice(1).map((l) => `  ${l}`),
    );
  }
  return out;
}
