/**
 * The interactive session: the original's look (a dim separator, a bold
 * blue `❯` prompt, cyan `⏺ Thinking...`, a `⏺` line per tool call, the
 * answer rendered as markdown) with the habits of today's coding agents:
 * type-ahead while a turn runs, Esc to interrupt, completion menus,
 * history search, `!` commands, plan mode, resume with a replay, and a
 * footer with the model, mode and context used.
 *
 * @module
 */

import type { CodingAgent } from "../agent/coding_agent.ts";
import type { Config } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import type { Approver } from "../safety/approval.ts";
import {
  listSessions,
  type LoadedSession,
  type SessionLog,
} from "../session/store.ts";
import type { KeyInput } from "../ui/input.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Style } from "../ui/style.ts";
import type { SignalHub } from "../ui/terminal_signals.ts";
import type { Output } from "../ui/terminal.ts";
import { wrapLine, wrapText } from "../ui/wrap.ts";
import { VERSION } from "../version.ts";
import type { PromptHooks } from "./approval_prompt.ts";
import { InputHistory } from "./input_history.ts";
import { rememberProjectRule } from "./project_rules.ts";
import { PromptInput } from "./prompt_input.ts";
import { load } from "./lazy.ts";
import { type ExtraCommand, Session } from "./session_state.ts";
import type { NotifyMode } from "./session_settings.ts";
import { SessionUi } from "./session_ui.ts";
import { sessionsDir } from "./setup.ts";
import { SLASH_COMMANDS } from "./slash_registry.ts";
import type { WorkspaceFiles } from "./workspace_files.ts";

/** What the interactive session needs. */
export interface InteractiveOptions {
  config: Config;
  env: EnvReader;
  cwd: string;
  out: Output;
  style: Style;
  input: KeyInput;
  /** Loads and builds the agent with this approver (started at once). */
  agent: (approver: Approver) => Promise<CodingAgent>;
  log: SessionLog;
  /** Lines to show under the banner (model notes, instructions). */
  notes: string[];
  /** Adds and removes the SIGINT listener. */
  onInterrupt(handler: () => void): () => void;
  /** Commands besides the built-in ones. */
  extra?: Record<string, ExtraCommand>;
  /** Bell, desktop notification (OSC 9) or nothing when a prompt waits or a long turn ends. */
  notify?: NotifyMode;
  /** A turn lasting this long (ms) notifies when it ends; default 20 s. */
  notifyAfterMs?: number;
  /** `--resume` without an id: offer a picker first. */
  pickSession?: boolean;
  /** A session resumed by `--resume ID` or `--continue`: replay its last turns. */
  resumed?: LoadedSession;
  /** How commands are sandboxed, for the footer (`bubblewrap`, `off`). */
  sandbox?: string;
  /** Signals for job control and resizes (tests pass their own). */
  signals?: SignalHub;
}

const EXIT_WINDOW_MS = 2000;

/** The next input: queued inputs first; plain messages queued together go as one. */
function takeQueued(queue: string[]): string | undefined {
  if (queue.length === 0) return undefined;
  if (/^[/!]/.test(queue[0].trim())) return queue.shift();
  const parts: string[] = [];
  while (queue.length && !/^[/!]/.test(queue[0].trim())) {
    parts.push(queue.shift()!);
  }
  return parts.join("\n\n");
}

/**
 * Runs the interactive session until the user quits; returns the exit code.
 *
 * @example
 * ```ts ignore
 * const code = await runInteractive({ config, env, cwd, out, style, input, agent, log, notes, onInterrupt });
 * ```
 */
export async function runInteractive(
  options: InteractiveOptions,
): Promise<number> {
  const { out, style, config, cwd, env } = options;
  const ui = new SessionUi(
    out,
    options.input,
    style,
    options.notify,
    options.notifyAfterMs,
  );
  ui.watchSignals(options.signals);
  const built: { session?: Session } = {};
  const hooks = (): PromptHooks => ({
    ...built.session?.hooks,
    rememberRule: (rule) => rememberProjectRule(env, cwd, rule),
    allowAllEdits: () => void built.session?.setMode("auto-edit"),
    composing: () => built.session?.typedInTurn ?? false,
  });
  // What runs turns and commands loads once the prompt is up.
  const actions = () => load("sessionActions");
  let asker: Approver | undefined;
  const approver: Approver = {
    interactive: true,
    async approve(request, signal) {
      asker ??= (await actions()).terminalApprover(ui, hooks);
      return await asker.approve(request, signal);
    },
  };
  const agentPromise = options.agent(approver);
  agentPromise.catch(() => {});
  let agent: CodingAgent | undefined;
  // Deno's own download and progress output (on a cold cache, or while it
  // loads modules) can erase the prompt, even a little after the loading
  // finished: draw it again then.
  const repaint = () => ui.region.render();
  const settled = () => {
    repaint();
    for (const ms of [300, 1500]) Deno.unrefTimer(setTimeout(repaint, ms));
  };
  agentPromise.then((a) => {
    repaint();
    a.warmUp().catch(() => {}).finally(settled);
  }, settled);
  const s = built.session = new Session({
    ui,
    config,
    env,
    cwd,
    agent: async () => agent ??= await agentPromise,
    log: options.log,
    approver,
    extra: options.extra,
    sandbox: options.sandbox,
  });

  const noteWidth = Math.max(20, out.columns() - 1);
  ui.print([
    `${style.bold("nanocode")} ${
      style.dim(`v${VERSION} · ${sanitize(config.lm)} · ${sanitize(cwd)}`)
    }`,
    ...options.notes.map((note) =>
      style.dim(wrapText(sanitize(note), noteWidth))
    ),
    style.dim("Type a task, /help for commands and keys, /q to quit."),
  ].join("\n"));

  const queue: string[] = [];
  let waiting: ((line: string | null) => void) | null = null;
  let ended = false;
  const end = () => {
    ended = true;
    waiting?.(null);
  };
  const showQueue = () =>
    ui.region.set(
      "queue",
      queue.slice(0, 3).map((q) =>
        style.dim(
          `  ⏵ queued: ${sanitize(q.replace(/\s+/g, " ").slice(0, 70))}`,
        )
      ).concat(
        queue.length > 3 ? [style.dim(`  ⏵ … ${queue.length - 3} more`)] : [],
      ),
    );
  let files: WorkspaceFiles | null = null;
  const history = InputHistory.of(env, cwd);
  const prompt = new PromptInput(ui, history, {
    commands: () => [
      ...SLASH_COMMANDS.map((c) => ({ name: `/${c.name}`, help: c.help })),
      ...Object.entries(s.extra).map(([n, c]) => ({
        name: `/${n}`,
        help: c.help,
      })),
    ],
    files: () => files?.get() ?? null,
  }, {
    submit: (text) => {
      if (waiting && !s.current) {
        const resolve = waiting;
        waiting = null;
        resolve(text);
      } else if (text.trim()) {
        queue.push(text);
        showQueue();
      }
    },
    escape: () => s.current?.abort(),
    eof: () => {
      if (!s.current) end();
    },
    cycleMode: () => void s.cycleMode(),
    expand: () =>
      void actions().then(({ openPager, turnLines }) => {
        const steps = s.turnSteps?.() ?? s.lastSteps;
        const { lines, start } = turnLines(steps, style);
        if (lines.length) void openPager(ui, "The turn in full", lines, start);
      }),
  });
  // Keys typed before the history was read (Up or Ctrl-R at the prompt
  // drawn at launch) wait for it: the input line takes keys only then.
  const historyRead = history.load().catch(() => {})
    .then(() => prompt.editor.setHistory(history.entries));
  let popPrompt = () => {};
  ui.keys.onEnd(end);

  let lastInterrupt = -Infinity;
  const removeInterrupt = options.onInterrupt(() => {
    if (s.current) {
      if (!s.current.signal.aborted) s.current.abort();
      return;
    }
    if (prompt.editor.text !== "") {
      prompt.editor.setText("");
      return;
    }
    const now = performance.now();
    if (now - lastInterrupt < EXIT_WINDOW_MS) return end();
    lastInterrupt = now;
    ui.print(style.dim("(press Ctrl-C again to exit)"));
  });

  const separator = () =>
    ui.print(style.dim("─".repeat(Math.max(10, Math.min(out.columns(), 200)))));
  const read = (): Promise<string | null> => {
    const queued = takeQueued(queue);
    showQueue();
    if (queued !== undefined) return Promise.resolve(queued);
    if (ended) return Promise.resolve(null);
    return new Promise((resolve) => waiting = resolve);
  };
  const echo = (line: string) => {
    const width = Math.max(20, out.columns() - 1);
    const rows = sanitize(line).split("\n").flatMap((l, i) =>
      wrapLine(l, width, i === 0 ? "❯ " : "  ", "  ")
    );
    rows[0] = `${style.bold(style.blue("❯"))}${rows[0].slice(1)}`;
    ui.print(rows.join("\n"));
  };
  s.runTurn = async (task) => {
    const { compactCommand, runSessionTurn } = await actions();
    await compactCommand(s, { auto: true });
    s.typedInTurn = false;
    const outcome = await runSessionTurn(s, task);
    if (outcome === "interrupted" && queue.length) {
      // Nothing queued goes out unseen after an interrupt: back to the input.
      const back = [...queue.splice(0), prompt.editor.text].filter(Boolean);
      prompt.editor.setText(back.join("\n"));
      showQueue();
    }
  };

  try {
    if (options.pickSession) {
      const { pickSession, readSession, resumeInto } = await actions();
      const sessions = await listSessions(sessionsDir(env), cwd);
      const chosen = sessions.length ? await pickSession(ui, sessions) : null;
      if (!sessions.length) {
        s.say("No earlier sessions in this folder.", style.cyan);
      }
      if (chosen) {
        await resumeInto(s, await readSession(sessionsDir(env), chosen.id));
      }
    } else if (options.resumed) {
      (await actions()).showResumed(s, options.resumed);
    }
    await historyRead;
    popPrompt = ui.keys.push((key) => {
      if (s.current) s.typedInTurn = true;
      prompt.handle(key);
    });
    separator();
    ui.region.batch(() => {
      prompt.attach();
      s.refreshFooter();
    });
    const loaded = await actions();
    files = new loaded.WorkspaceFiles(cwd, () => prompt.refresh());
    // An `@` typed before the listing existed shows "listing files…": the
    // refresh asks for the listing, which redraws the menu when done.
    prompt.refresh();
    for (;;) {
      const line = await read();
      if (line === null) break;
      const task = line.trim();
      if (!task) {
        separator();
        continue;
      }
      echo(line);
      if (task === "exit" || task === "quit") break;
      lastInterrupt = -Infinity;
      if (task.startsWith("!")) {
        separator();
        await loaded.runUserCommand(s, task.slice(1).trim());
      } else if (task.startsWith("/")) {
        if (await loaded.runCommand(task, s) === "exit") break;
      } else {
        separator();
        await s.runTurn(line);
      }
      separator();
    }
  } finally {
    removeInterrupt();
    popPrompt();
    prompt.detach();
    ui.region.set("footer", []);
    ui.close();
    if (s.log.written) {
      out.write(
        `${
          style.dim(
            `Session ${s.log.id} · resume it with: nanocode --resume ${s.log.id}`,
          )
        }\n`,
      );
    }
    if (agent) await agent.close();
    else void agentPromise.then((a) => a.close(), () => {});
  }
  return 0;
}
