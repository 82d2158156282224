/**
 * Slash commands of the interactive session (the list is in
 * `slash_registry.ts`).
 *
 * @module
 */

import { PERMISSION_MODES, type PermissionMode } from "../config/fields.ts";
import { usageLine } from "../ui/render.ts";
import { sanitize } from "../ui/sanitize.ts";
import { plural } from "../ui/plural.ts";
import { modelCommand } from "./model_command.ts";
import {
  compactCommand,
  diffCommand,
  initCommand,
  resumeCommand,
} from "./session_commands.ts";
import type { Session } from "./session_state.ts";
import { COMMAND_HELP, findSlashCommand } from "./slash_registry.ts";
import { statusLines } from "./status.ts";
import { runUndo } from "./undo_flow.ts";

export { COMMAND_HELP } from "./slash_registry.ts";

const KEYS_HELP = [
  "Enter sends · \\ then Enter, or Shift-Enter, starts a new line · a large paste shows as [pasted N lines]",
  "Tab completes /commands and @files · ↑/↓ walk the history · Ctrl-R searches it",
  "Shift-Tab cycles the mode (ask, auto-edit, plan) · Esc or Ctrl-C interrupts a turn",
  "typing during a turn queues a message · Ctrl-O shows the last step in full · !CMD runs a command",
  "Ctrl-C twice at an empty prompt, Ctrl-D or /q quits",
];

/**
 * Runs a slash command line. Returns `"exit"` when the session should end.
 *
 * @example
 * ```ts ignore
 * if (await runCommand("/usage", session) === "exit") return;
 * ```
 */
export async function runCommand(
  line: string,
  session: Session,
): Promise<"exit" | void> {
  const { style } = session.ui;
  const [typed, ...rest] = line.trim().split(/\s+/);
  const args = rest.join(" ");
  const extra = session.extra[typed.slice(1)];
  const command = findSlashCommand(typed);
  if (!command && extra) return await extra.run(args);
  switch (command?.name) {
    case "quit":
      return "exit";
    case "help": {
      const all = [
        ...COMMAND_HELP,
        ...Object.entries(session.extra).map(([n, c]) =>
          [`/${n}`, c.help] as [string, string]
        ),
      ];
      session.ui.print(
        all.map(([cmd, help]) => `  ${style.bold(cmd.padEnd(18))} ${help}`)
          .join("\n"),
      );
      session.ui.print(style.dim(KEYS_HELP.map((l) => `  ${l}`).join("\n")));
      return;
    }
    case "clear": {
      const agent = await session.agent();
      await agent.clearHistory();
      session.log.append({ type: "cleared" });
      session.contextTokens = undefined;
      session.refreshFooter();
      session.say("Cleared conversation");
      return;
    }
    case "model":
      return await modelCommand(session, args);
    case "mode":
      return await modeCommand(session, args);
    case "status":
      session.ui.print(statusLines(session.status(), style).join("\n"));
      return;
    case "usage": {
      const { usage, turns, wallMs } = session.totals;
      session.say(
        turns === 0
          ? "No turns yet."
          : `${plural(turns, "turn")} · ${usageLine(usage, wallMs)} · ${
            plural(usage.lmCalls, "model call")
          }`,
        style.cyan,
      );
      return;
    }
    case "verbose":
      session.verbose = !session.verbose;
      session.say(`Verbose output ${session.verbose ? "on" : "off"}`);
      return;
    case "retry":
      if (session.unfinished) await session.runTurn(session.unfinished);
      else {session.say(
          "There is no failed or interrupted turn to retry.",
          style.yellow,
        );}
      return;
    case "resume":
      return await resumeCommand(session, args);
    case "compact":
      return await compactCommand(session);
    case "init":
      return await initCommand(session);
    case "diff":
      return await diffCommand(session);
    case "undo":
    case "redo":
      return await undoCommand(session, command.name as "undo" | "redo");
    default:
      session.say(
        `Unknown command ${sanitize(typed)}; type /help for the list.`,
        style.yellow,
      );
  }
}

async function modeCommand(session: Session, args: string): Promise<void> {
  const { style } = session.ui;
  if (!args) {
    session.say(
      `Permission mode: ${session.config.permission_mode}`,
      style.cyan,
    );
    return;
  }
  if (!PERMISSION_MODES.includes(args as PermissionMode)) {
    session.say(
      `Unknown mode ${sanitize(args)}; choose ${PERMISSION_MODES.join(", ")}.`,
      style.yellow,
    );
    return;
  }
  await session.setMode(args as PermissionMode);
  session.say(`Permission mode: ${args}`);
}

async function undoCommand(
  session: Session,
  kind: "undo" | "redo",
): Promise<void> {
  const { style } = session.ui;
  const agent = await session.agent();
  const signal = new AbortController().signal;
  try {
    await runUndo(
      kind,
      {
        plan: (k) => k === "undo" ? agent.planUndo() : agent.planRedo(),
        apply: (k, o) => k === "undo" ? agent.undo(o) : agent.redo(o),
      },
      async (request) => {
        const reply = await session.approver.approve(request, signal);
        return (typeof reply === "string" ? reply : reply.answer) !== "no";
      },
      (line) => session.ui.print(line),
      style,
    );
  } catch (error) {
    session.say(
      `Cannot ${kind}: ${sanitize((error as Error).message)}`,
      style.red,
    );
  }
}
