/**
 * The state of an interactive session that the loop, the turns and the
 * slash commands share: the terminal, the agent, the session log, usage
 * totals, the files changed so far, the last step, the permission mode.
 *
 * @module
 */

import type { CodingAgent } from "../agent/coding_agent.ts";
import type { Config, PermissionMode } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import { contextWindow } from "../lm/context_window.ts";
import { emptyTotals, type RlmEvent, type UsageTotals } from "../rlm/events.ts";
import type { Approver } from "../safety/approval.ts";
import type { SessionLog } from "../session/store.ts";
import type { StepRecord } from "../ui/step_record.ts";
import { join } from "../util/path.ts";
import { wrapText } from "../ui/wrap.ts";
import type { PromptHooks } from "./approval_prompt.ts";
import type { SessionUi } from "./session_ui.ts";
import { footerLine, type StatusInfo } from "./status.ts";

/** A command added by the embedding program (such as `/undo` variants). */
export interface ExtraCommand {
  help: string;
  run(args: string): Promise<void>;
}

/** What a session is built from. */
export interface SessionSetup {
  ui: SessionUi;
  config: Config;
  env: EnvReader;
  cwd: string;
  agent: () => Promise<CodingAgent>;
  log: SessionLog;
  approver: Approver;
  extra?: Record<string, ExtraCommand>;
  /** How commands are sandboxed (`bubblewrap`, `off`). */
  sandbox?: string;
}

/** Modes Shift-Tab cycles through (yolo only by name: `/mode yolo`). */
const CYCLE: PermissionMode[] = ["ask", "auto-edit", "plan"];

/**
 * The session's shared state.
 *
 * @example
 * ```ts ignore
 * const session = new Session({ ui, config, env, cwd, agent, log, approver });
 * await session.setMode("plan");
 * ```
 */
export class Session {
  readonly ui: SessionUi;
  readonly config: Config;
  readonly env: EnvReader;
  readonly cwd: string;
  readonly agent: () => Promise<CodingAgent>;
  readonly approver: Approver;
  readonly extra: Record<string, ExtraCommand>;
  readonly sandbox: string | undefined;
  log: SessionLog;
  verbose: boolean;
  totals: { usage: UsageTotals; turns: number; wallMs: number } = {
    usage: emptyTotals(),
    turns: 0,
    wallMs: 0,
  };
  /** Tokens of the last main-model request (prompt and reply). */
  contextTokens: number | undefined;
  /** The main model's window as its server listed it or the client learnt it. */
  knownWindow: number | undefined;
  /** Each file changed this session (absolute path), with its text before the first change. */
  readonly changes = new Map<string, string | null>();
  /** The steps of the last turn, in full (Ctrl-O). */
  lastSteps: readonly StepRecord[] = [];
  /** The running turn's steps so far, while a turn runs. */
  turnSteps: (() => readonly StepRecord[]) | null = null;
  /** The task of the last turn that failed or was interrupted (`/retry`). */
  unfinished: string | null = null;
  /** Aborts the running turn or command. */
  current: AbortController | null = null;
  /** What the approval prompt does around itself in the running turn. */
  hooks: PromptHooks = {};
  /** Whether a key was typed since the running turn began. */
  typedInTurn = false;
  /** Runs a task as a turn (set by the session loop). */
  runTurn: (task: string) => Promise<void> = () => Promise.resolve();

  constructor(setup: SessionSetup) {
    this.ui = setup.ui;
    this.config = setup.config;
    this.env = setup.env;
    this.cwd = setup.cwd;
    this.agent = setup.agent;
    this.log = setup.log;
    this.approver = setup.approver;
    this.extra = setup.extra ?? {};
    this.sandbox = setup.sandbox;
    this.verbose = setup.config.verbose;
  }

  /** The main model's context window: known from its server, else from its name. */
  window(): number {
    return this.knownWindow ?? contextWindow(this.config.lm);
  }

  /** Prints a `⏺` line in a colour (green by default). */
  say(text: string, color?: (t: string) => string): void {
    const paint = color ?? this.ui.style.green;
    const width = Math.max(20, this.ui.out.columns() - 1);
    this.ui.print(paint(wrapText(text, width, "⏺ ", "  ")));
  }

  /** The footer's facts. */
  status(): StatusInfo {
    return {
      model: this.config.lm,
      mode: this.config.permission_mode,
      sandbox: this.sandbox ?? this.config.sandbox,
      cwd: this.cwd,
      home: this.env("HOME"),
      contextTokens: this.contextTokens,
      window: this.window(),
      sessionId: this.log.written ? this.log.id : undefined,
    };
  }

  /** Draws the footer again. */
  refreshFooter(): void {
    this.ui.region.set("footer", [footerLine(this.status(), this.ui.style)]);
  }

  /** Changes the permission mode of the session (and its agent). */
  async setMode(mode: PermissionMode): Promise<void> {
    this.config.permission_mode = mode;
    this.refreshFooter();
    const agent = await this.agent();
    agent.setPermissionMode(mode);
  }

  /** Shift-Tab: the next mode of ask → auto-edit → plan → ask. */
  async cycleMode(): Promise<PermissionMode> {
    const at = CYCLE.indexOf(this.config.permission_mode);
    const next = CYCLE[(at + 1) % CYCLE.length];
    await this.setMode(next);
    return next;
  }

  /** Keeps what the footer and `/diff` need from a turn's events. */
  observe(event: RlmEvent, mainCalls: { count: number }): void {
    if (event.type === "usage" && event.total.lmCalls > mainCalls.count) {
      mainCalls.count = event.total.lmCalls;
      this.contextTokens = event.usage.promptTokens +
        event.usage.completionTokens;
      this.refreshFooter();
    } else if (event.type === "file_change") {
      const path = event.path.startsWith("/")
        ? join(event.path)
        : join(this.cwd, event.path);
      if (!this.changes.has(path)) this.changes.set(path, event.before);
    }
  }
}
