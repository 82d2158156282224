/**
 * Slash commands of the interactive session.
 *
 * @module
 */

import { subLmFor } from "../agent/model_base.ts";
import type { CodingAgent } from "../agent/coding_agent.ts";
import {
  type Config,
  PERMISSION_MODES,
  type PermissionMode,
} from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import type { UsageTotals } from "../rlm/events.ts";
import type { Approver } from "../safety/approval.ts";
import { readSession, SessionLog } from "../session/store.ts";
import { listSessions } from "../session/store.ts";
import { usageLine } from "../ui/render.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Style } from "../ui/style.ts";
import type { Output } from "../ui/terminal.ts";
import { sessionsDir } from "./setup.ts";
import { runUndo } from "./undo_flow.ts";

/** What commands can see and change. */
export interface CommandContext {
  out: Output;
  style: Style;
  config: Config;
  env: EnvReader;
  cwd: string;
  agent(): Promise<CodingAgent>;
  /** The session being written. */
  log: SessionLog;
  /** Replaces the session being written (after /resume). */
  setLog(log: SessionLog): void;
  /** Usage of every turn so far in this run, and wall time. */
  totals: { usage: UsageTotals; turns: number; wallMs: number };
  /** Whether verbose output is on. */
  verbose: boolean;
  setVerbose(on: boolean): void;
  /** Answers the confirmations of /undo and /redo (the approval prompt). */
  approver?: Approver;
  /** Extra commands, by name without the slash. */
  extra?: Record<string, { help: string; run(args: string): Promise<void> }>;
}

/** The help lines of the built-in commands. */
export const COMMAND_HELP: [string, string][] = [
  ["/help", "this list"],
  ["/c, /clear", "forget the conversation and reset the REPL"],
  ["/q, exit", "quit (also Ctrl-D, or Ctrl-C twice at an empty prompt)"],
  ["/model [NAME]", "show the models, or switch the main model"],
  ["/usage", "tokens, cost and time of this session"],
  ["/resume [ID|N]", "list this folder's sessions, or continue one"],
  ["/verbose", "show each step's reasoning, code and output (toggle)"],
  ["/retry", "send the last failed or interrupted task again"],
  [
    "/undo",
    "put back what this session's last turn changed (shows it and asks first)",
  ],
  ["/redo", "reverse the last /undo"],
  ["/mode [MODE]", "show or set the permission mode: ask, auto-edit, yolo"],
];

/**
 * Runs a slash command line. Returns `"exit"` when the session should end.
 *
 * @example
 * ```ts ignore
 * if (await runCommand("/usage", context) === "exit") return;
 * ```
 */
export async function runCommand(
  line: string,
  ctx: CommandContext,
): Promise<"exit" | void> {
  const { out, style } = ctx;
  const say = (text: string, color: (t: string) => string = style.green) =>
    out.write(`${color(`⏺ ${text}`)}\n`);
  const [name, ...rest] = line.trim().split(/\s+/);
  const args = rest.join(" ");
  switch (name) {
    case "/q":
    case "/quit":
    case "/exit":
      return "exit";
    case "/help": {
      const all = [
        ...COMMAND_HELP,
        ...Object.entries(ctx.extra ?? {}).map(([n, c]) =>
          [`/${n}`, c.help] as [string, string]
        ),
      ];
      out.write(
        all.map(([cmd, help]) => `  ${style.bold(cmd.padEnd(16))} ${help}`)
          .join("\n") + "\n",
      );
      out.write(
        style.dim(
          "  Type a task to start. Ctrl-C interrupts a turn; ↑/↓ walk the input history.\n",
        ),
      );
      return;
    }
    case "/c":
    case "/clear": {
      const agent = await ctx.agent();
      await agent.clearHistory();
      ctx.log.append({ type: "cleared" });
      say("Cleared conversation");
      return;
    }
    case "/model": {
      if (!args) {
        say(
          `Model: ${ctx.config.lm} · sub-model: ${subLmFor(ctx.config)}`,
          style.cyan,
        );
        return;
      }
      const agent = await ctx.agent();
      const previous = ctx.config.lm;
      agent.config.lm = args;
      ctx.config.lm = args;
      try {
        agent.reloadLms();
      } catch (error) {
        agent.config.lm = previous;
        ctx.config.lm = previous;
        agent.reloadLms();
        say(
          `Cannot use model ${sanitize(args)}: ${(error as Error).message}`,
          style.red,
        );
        return;
      }
      ctx.log.append({ type: "model", lm: args });
      say(`Model: ${sanitize(args)}`);
      return;
    }
    case "/usage": {
      const { usage, turns, wallMs } = ctx.totals;
      say(
        turns === 0
          ? "No turns yet."
          : `${turns} turn${turns === 1 ? "" : "s"} · ${
            usageLine(usage, wallMs)
          } · ${usage.lmCalls} model calls`,
        style.cyan,
      );
      return;
    }
    case "/verbose":
      ctx.setVerbose(!ctx.verbose);
      say(`Verbose output ${ctx.verbose ? "on" : "off"}`);
      return;
    case "/resume":
      await resume(args, ctx, say);
      return;
    case "/undo":
    case "/redo": {
      const agent = await ctx.agent();
      const kind = name === "/undo" ? "undo" : "redo";
      const signal = new AbortController().signal;
      const approver = ctx.approver;
      try {
        await runUndo(
          kind,
          {
            plan: (k) => k === "undo" ? agent.planUndo() : agent.planRedo(),
            apply: (k, o) => k === "undo" ? agent.undo(o) : agent.redo(o),
          },
          async (request) =>
            approver ? await approver.approve(request, signal) !== "no" : false,
          (line) => out.write(`${line}\n`),
          style,
        );
      } catch (error) {
        say(`Cannot ${kind}: ${sanitize((error as Error).message)}`, style.red);
      }
      return;
    }
    case "/mode": {
      if (!args) {
        say(`Permission mode: ${ctx.config.permission_mode}`, style.cyan);
        return;
      }
      if (!PERMISSION_MODES.includes(args as PermissionMode)) {
        say(
          `Unknown mode ${sanitize(args)}; choose ${
            PERMISSION_MODES.join(", ")
          }.`,
          style.yellow,
        );
        return;
      }
      const agent = await ctx.agent();
      agent.setPermissionMode(args as PermissionMode);
      ctx.config.permission_mode = args as PermissionMode;
      say(`Permission mode: ${args}`);
      return;
    }
    default: {
      const extra = ctx.extra?.[name.slice(1)];
      if (extra) {
        await extra.run(args);
        return;
      }
      say(
        `Unknown command ${sanitize(name)}; type /help for the list.`,
        style.yellow,
      );
    }
  }
}

async function resume(
  args: string,
  ctx: CommandContext,
  say: (text: string, color?: (t: string) => string) => void,
): Promise<void> {
  const dir = sessionsDir(ctx.env);
  const sessions = (await listSessions(dir, ctx.cwd)).filter((s) =>
    s.id !== ctx.log.id
  );
  if (!args) {
    if (sessions.length === 0) {
      say("No other sessions in this folder.", ctx.style.cyan);
      return;
    }
    const lines = sessions.slice(0, 10).map((s, i) =>
      `  ${String(i + 1).padStart(2)}. ${s.id}  ${s.turns} turns  ${
        sanitize(s.firstTask.replace(/\s+/g, " ").slice(0, 50))
      }`
    );
    ctx.out.write(
      `${lines.join("\n")}\n${
        ctx.style.dim("  /resume N or /resume ID continues one.")
      }\n`,
    );
    return;
  }
  const index = /^\d{1,2}$/.test(args) ? Number(args) - 1 : -1;
  const id = index >= 0 && sessions[index] ? sessions[index].id : args;
  let loaded;
  try {
    loaded = await readSession(dir, id);
  } catch (error) {
    say((error as Error).message, ctx.style.red);
    return;
  }
  const agent = await ctx.agent();
  await agent.resume(loaded.history, loaded.header.id);
  ctx.setLog(SessionLog.reopen(dir, loaded));
  say(
    `Resumed session ${loaded.header.id} (${loaded.history.length} turns; REPL variables start empty)`,
  );
}
