/**
 * The interactive session: the original's look (a dim separator, a bold
 * blue `❯` prompt, cyan `⏺ Thinking...`, a `⏺` line per tool call, the
 * answer rendered as markdown) with line editing and history, streamed
 * reasoning, a spinner, slash commands and interrupts that work.
 *
 * @module
 */

import type { CodingAgent } from "../agent/coding_agent.ts";
import type { Config } from "../config/fields.ts";
import type { EnvReader } from "../config/paths.ts";
import { emptyTotals, type RlmEvent } from "../rlm/events.ts";
import { recordTurn } from "../session/recorder.ts";
import type { SessionLog } from "../session/store.ts";
import type { KeyInput } from "../ui/input.ts";
import { LineEditor } from "../ui/line_editor.ts";
import { renderMarkdown } from "../ui/markdown.ts";
import { EventRenderer, toolLabel, usageLine } from "../ui/render.ts";
import { sanitize } from "../ui/sanitize.ts";
import { Spinner, SpinnerOutput } from "../ui/spinner.ts";
import type { Style } from "../ui/style.ts";
import type { Output } from "../ui/terminal.ts";
import { VERSION } from "../version.ts";
import type { PromptHooks } from "./approval_prompt.ts";
import { type CommandContext, runCommand } from "./commands.ts";

/** What the interactive session needs. */
export interface InteractiveOptions {
  config: Config;
  env: EnvReader;
  cwd: string;
  out: Output;
  style: Style;
  input: KeyInput;
  /** Loads and builds the agent (started at once, awaited at the first turn). */
  agent: () => Promise<CodingAgent>;
  log: SessionLog;
  /** Lines to show under the banner (model notes, resumed session, instructions). */
  notes: string[];
  /** Adds and removes the SIGINT listener. */
  onInterrupt(handler: () => void): () => void;
  /** Commands besides the built-in ones (such as /undo). */
  extra?: CommandContext["extra"];
  /** Answers /undo's and /redo's confirmations (the approval prompt). */
  approver?: CommandContext["approver"];
  /** Set during a turn so an approval prompt can pause the spinner. */
  promptHooks?: { current: PromptHooks };
}

const EXIT_WINDOW_MS = 2000;

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
  const { out, style, config } = options;
  const agentPromise = options.agent();
  agentPromise.catch(() => {});
  let agent: CodingAgent | undefined;
  const getAgent = async () => agent ??= await agentPromise;
  let log = options.log;
  let verbose = config.verbose;
  const totals = { usage: emptyTotals(), turns: 0, wallMs: 0 };
  const history: string[] = [];

  const separator = () =>
    out.write(
      `${style.dim("─".repeat(Math.max(10, Math.min(out.columns(), 200))))}\n`,
    );
  out.write(
    `${style.bold("nanocode")} ${
      style.dim(
        `v${VERSION} · ${sanitize(config.lm)} · ${sanitize(options.cwd)}`,
      )
    }\n`,
  );
  for (const note of options.notes) out.write(`${style.dim(sanitize(note))}\n`);
  out.write(`${style.dim("Type a task, /help for commands, /q to quit.")}\n`);

  let current: AbortController | null = null;
  let editor: LineEditor | null = null;
  let lastInterrupt = -Infinity;
  let exitRequested = false;
  let wake: (() => void) | null = null;
  const removeInterrupt = options.onInterrupt(() => {
    if (current) {
      if (!current.signal.aborted) current.abort();
      return;
    }
    if (editor && editor.text !== "") {
      editor.clear();
      return;
    }
    const now = performance.now();
    if (now - lastInterrupt < EXIT_WINDOW_MS) {
      exitRequested = true;
      wake?.();
      return;
    }
    lastInterrupt = now;
    out.write(`\n${style.dim("(press Ctrl-C again to exit)")}\n`);
    editor?.start();
  });

  const readLine = async (): Promise<string | null> => {
    editor = new LineEditor({
      out,
      prompt: style.bold(style.blue("❯ ")),
      history,
    });
    editor.start();
    try {
      for (;;) {
        const next = options.input.next();
        const key = await Promise.race([
          next,
          new Promise<"exit">((resolve) => {
            wake = () => resolve("exit");
            if (exitRequested) resolve("exit");
          }),
        ]);
        if (key === "exit" || key === null) {
          out.write("\n");
          return null;
        }
        const event = editor.handle(key);
        if (event?.type === "submit") {
          const entry = event.text.trim();
          if (entry && history.at(-1) !== event.text) history.push(event.text);
          return event.text;
        }
        if (event?.type === "eof") {
          out.write("\n");
          return null;
        }
      }
    } finally {
      wake = null;
      editor = null;
    }
  };

  const context: CommandContext = {
    out,
    style,
    config,
    env: options.env,
    cwd: options.cwd,
    agent: getAgent,
    get log() {
      return log;
    },
    setLog: (next) => {
      log = next;
    },
    totals,
    get verbose() {
      return verbose;
    },
    setVerbose: (on) => {
      verbose = on;
    },
    extra: options.extra,
    approver: options.approver,
  };

  /** The task of the last turn that failed or was interrupted (for /retry). */
  let unfinished: string | null = null;
  const runTurn = async (task: string) => {
    unfinished = task;
    const spinner = new Spinner(out, style);
    const turnOut = new SpinnerOutput(out, spinner);
    const renderer = new EventRenderer({
      out: turnOut,
      style,
      verbose,
      streamReasoning: out.isTerminal,
    });
    renderer.turnStart();
    spinner.start("Starting");
    let label = "Starting";
    if (options.promptHooks) {
      options.promptHooks.current = {
        before: () => spinner.stop(),
        after: () => spinner.start(label),
      };
    }
    const controller = new AbortController();
    current = controller;
    const started = performance.now();
    const recorder = recordTurn(log, task, { trace: config.track_trace });
    try {
      const ready = await getAgent();
      if (controller.signal.aborted) {
        throw new DOMException("interrupted", "AbortError");
      }
      const onEvent = (event: RlmEvent) => {
        recorder.onEvent(event);
        renderer.handle(event);
        const next = event.type === "step_start" || event.type === "observation"
          ? "Thinking"
          : event.type === "code"
          ? "Running"
          : event.type === "tool_call"
          ? toolLabel(event.name, event.args, 40)
          : event.type === "sub_lm_call"
          ? "Asking the sub-model"
          : null;
        if (next) spinner.start(label = next);
      };
      const result = await ready.forward(task, {
        signal: controller.signal,
        onEvent,
      });
      spinner.stop();
      unfinished = null;
      recorder.answered(result);
      const wallMs = performance.now() - started;
      totals.turns++;
      totals.wallMs += wallMs;
      for (
        const key of [
          "promptTokens",
          "completionTokens",
          "cachedTokens",
          "lmCalls",
          "subLmCalls",
        ] as const
      ) {
        totals.usage[key] += result.usage[key];
      }
      if (result.usage.cost !== undefined) {
        totals.usage.cost = (totals.usage.cost ?? 0) + result.usage.cost;
      }
      const width = Math.max(20, out.columns() - 2);
      const answer = renderMarkdown(result.answer, style, width).replace(
        /\n/g,
        "\n  ",
      );
      out.write(`\n${style.cyan("⏺")} ${answer}\n`);
      if (config.track_usage) {
        out.write(`${style.dim(`  ${usageLine(result.usage, wallMs)}`)}\n`);
      }
    } catch (error) {
      spinner.stop();
      if (controller.signal.aborted) {
        recorder.interrupted();
        out.write(
          `${
            style.yellow("⏺ Interrupted. The conversation so far is kept.")
          }\n`,
        );
      } else {
        recorder.failed(error);
        out.write(
          `${
            style.red(
              `⏺ ${sanitize((error as Error)?.message ?? String(error))}`,
            )
          }\n`,
        );
        out.write(
          `${
            style.dim("  The session is intact; /retry sends the task again.")
          }\n`,
        );
      }
    } finally {
      current = null;
      options.input.discard();
    }
  };

  try {
    for (;;) {
      separator();
      const line = await readLine();
      if (line === null) break;
      if (line.trim()) separator();
      const task = line.trim();
      if (!task) continue;
      if (task === "exit" || task === "quit") break;
      lastInterrupt = -Infinity;
      if (task === "/retry") {
        if (unfinished) await runTurn(unfinished);
        else {out.write(
            `${
              style.yellow("⏺ There is no failed or interrupted turn to retry.")
            }\n`,
          );}
        continue;
      }
      if (task.startsWith("/")) {
        if (await runCommand(task, context) === "exit") break;
        continue;
      }
      await runTurn(task);
    }
  } finally {
    removeInterrupt();
    if (agent) await agent.close();
    else void agentPromise.then((a) => a.close(), () => {});
  }
  return 0;
}
