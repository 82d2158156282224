/**
 * Headless mode: one task, the answer on stdout, nothing decorative there.
 * Progress goes to stderr, and only when stderr is a terminal.
 *
 * @module
 */

import type { CodingAgent } from "../agent/coding_agent.ts";
import type { RlmEvent } from "../rlm/events.ts";
import { EventRenderer, usageLine } from "../ui/render.ts";
import type { Style } from "../ui/style.ts";
import type { Output } from "../ui/terminal.ts";
import type { OutputFormat } from "./args.ts";

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
  sessionId?: string;
  /** Extra events to forward (session log). */
  onEvent?: (event: RlmEvent) => void;
}

/** Exit codes of the CLI. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

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
  const streamLine = (value: unknown) =>
    stdout.write(`${JSON.stringify(value)}\n`);
  const started = performance.now();
  progress?.turnStart();
  if (format === "stream-json") {
    streamLine({
      type: "turn_start",
      task: options.task,
      session_id: options.sessionId ?? null,
    });
  }
  try {
    const result = await options.agent.forward(options.task, {
      signal: options.signal,
      onEvent: (event) => {
        options.onEvent?.(event);
        progress?.handle(event);
        if (format === "stream-json") streamLine(event);
      },
    });
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
      session_id: options.sessionId ?? null,
      duration_ms: Math.round(wallMs),
    };
    if (format === "text") {
      stdout.write(
        result.answer.endsWith("\n") ? result.answer : `${result.answer}\n`,
      );
    } else if (format === "json") {
      stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else streamLine({ type: "result", ...summary });
    return EXIT.ok;
  } catch (error) {
    const interrupted = options.signal.aborted ||
      (error as Error)?.name === "AbortError";
    const message = interrupted ? "Interrupted." : (error as Error).message;
    if (format === "stream-json") {
      streamLine({
        type: "result",
        error: message,
        interrupted,
        session_id: options.sessionId ?? null,
      });
    } else if (format === "json") {
      stdout.write(
        `${
          JSON.stringify(
            {
              error: message,
              interrupted,
              session_id: options.sessionId ?? null,
            },
            null,
            2,
          )
        }\n`,
      );
    }
    stderr.write(`nanocode: ${message}\n`);
    return interrupted ? EXIT.interrupted : EXIT.failed;
  }
}
