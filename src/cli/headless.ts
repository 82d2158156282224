/**
 * Headless mode: one task, the answer on stdout, nothing decorative there.
 * Progress goes to stderr, and only when stderr is a terminal.
 *
 * @module
 */

import type { CodingAgent } from "../agent/coding_agent.ts";
import { EventRenderer, usageLine } from "../ui/render.ts";
import type { Style } from "../ui/style.ts";
import type { Output } from "../ui/terminal.ts";
import { recordTurn } from "../session/recorder.ts";
import type { SessionLog } from "../session/store.ts";
import type { OutputFormat } from "./args.ts";
import { EXIT } from "./exit.ts";
import { forStream, inertJson } from "./safe_output.ts";

/** What headless mode needs. */
export interface HeadlessOptions {
  agent: CodingAgent;
  task: string;
  format: OutputFormat;
  stdout: Output;
  stderr: Output;
  /** Style for stderr progress. */
  style: Style;
  verbose: boolean;
  trackUsage: boolean;
  signal: AbortSignal;
  /** The session the turn is written to. */
  log?: SessionLog;
}

/**
 * Runs one task headlessly and returns the exit code.
 *
 * @example
 * ```ts ignore
 * const code = await runHeadless({ agent, task: "list files", format: "json", ... });
 * ```
 */
export async function runHeadless(options: HeadlessOptions): Promise<number> {
  const { stdout, stderr, format } = options;
  const progress = stderr.isTerminal
    ? new EventRenderer({
      out: stderr,
      style: options.style,
      verbose: options.verbose,
      streamReasoning: false,
    })
    : null;
  const streamLine = (value: unknown) => stdout.write(`${inertJson(value)}\n`);
  const started = performance.now();
  const sessionId = options.log?.id ?? null;
  const recorder = options.log
    ? recordTurn(options.log, options.task, {
      trace: options.agent.config.track_trace,
    })
    : null;
  progress?.turnStart();
  if (format === "stream-json") {
    streamLine({
      type: "turn_start",
      task: options.task,
      session_id: sessionId,
    });
  }
  try {
    const result = await options.agent.forward(options.task, {
      signal: options.signal,
      onEvent: (event) => {
        recorder?.onEvent(event);
        progress?.handle(event);
        // Without a terminal there is no progress view, but a notice (a limit
        // lowered, a fallback taken) is still one plain line on stderr.
        if (!progress && format !== "stream-json" && event.type === "notice") {
          stderr.write(`nanocode: ${forStream(event.message, false)}\n`);
        }
        if (format === "stream-json") streamLine(event);
        // A warning (an MCP server that did not start) is one line even without a terminal.
        if (!progress && event.type === "error" && !event.fatal) {
          stderr.write(`nanocode: ${forStream(event.message, false)}\n`);
        }
      },
    });
    recorder?.answered(result);
    const wallMs = performance.now() - started;
    if (progress && options.trackUsage) {
      stderr.write(options.style.dim(`⏺ ${usageLine(result.usage, wallMs)}\n`));
    }
    const summary = {
      answer: result.answer,
      usage: result.usage,
      steps: result.trajectory,
      num_steps: result.trajectory.length,
      extracted: result.extracted,
      session_id: sessionId,
      duration_ms: Math.round(wallMs),
    };
    if (format === "text") {
      const answer = forStream(result.answer, stdout.isTerminal);
      stdout.write(answer.endsWith("\n") ? answer : `${answer}\n`);
    } else if (format === "json") {
      stdout.write(`${inertJson(summary, 2)}\n`);
    } else streamLine({ type: "result", ...summary });
    return EXIT.ok;
  } catch (error) {
    const interrupted = options.signal.aborted ||
      (error as Error)?.name === "AbortError";
    const message = interrupted ? "Interrupted." : (error as Error).message;
    if (interrupted) recorder?.interrupted();
    else recorder?.failed(error);
    if (format === "stream-json") {
      streamLine({
        type: "result",
        error: message,
        interrupted,
        session_id: sessionId,
      });
    } else if (format === "json") {
      stdout.write(
        `${
          inertJson(
            {
              error: message,
              interrupted,
              session_id: sessionId,
            },
            2,
          )
        }\n`,
      );
    }
    stderr.write(`nanocode: ${forStream(message, stderr.isTerminal)}\n`);
    return interrupted ? EXIT.interrupted : EXIT.failed;
  }
}
