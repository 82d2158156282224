/**
 * `run_bash(cmd, timeout_s?)`: runs a shell command in the workspace.
 *
 * @module
 */

import { z } from "zod";
import { HeadTailBuffer } from "./bash/head_tail_buffer.ts";
import { killMarkedProcesses, killProcessGroup } from "./bash/process_tree.ts";
import { newRunMarker, supervisedArgs } from "./bash/supervisor.ts";
import { findExecutable } from "./context.ts";
import { defineTool } from "./define.ts";
import { DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S, TOOL_SPECS } from "./specs.ts";
export { DEFAULT_TIMEOUT_S, MAX_TIMEOUT_S };
import type { Tool, ToolContext } from "./types.ts";

/**
 * Bytes of output kept (half from the start, half from the end).
 *
 * @example
 * ```ts
 * // output longer than this keeps MAX_BASH_OUTPUT_BYTES / 2 bytes at each end
 * ```
 */
export const MAX_BASH_OUTPUT_BYTES = 30_000;
/**
 * Environment variable that tags every process a command starts.
 *
 * @example
 * ```ts
 * await runBashTool.run([`echo $${RUN_MARKER_VARIABLE}`], context); // a fresh id per call
 * ```
 */
export const RUN_MARKER_VARIABLE = "NANOCODE_RUN";
/** How long to wait for the output to close after the command exits. */
const DRAIN_GRACE_MS = 1000;

/**
 * The `run_bash` tool. Runs `bash -c cmd` in the workspace with stdin
 * closed, stdout and stderr merged in order, and `context.env` (plus
 * `NANOCODE_RUN=<id>`) as environment. Returns the output (or
 * `(empty output)`) and a line `[exit code N]`; output over
 * {@linkcode MAX_BASH_OUTPUT_BYTES} keeps head and tail around
 * `... [N bytes omitted] ...`. On timeout (default 120 s) the line
 * `[timed out after N s: the command and its child processes were killed]`
 * follows; on `context.signal` abort,
 * `[interrupted: the command and its child processes were killed]`. Either
 * way, and after a normal exit, processes left in the command's process
 * group are killed; on timeout or abort (or when they hold the output open)
 * so are processes that left the group but carry the marker. The command
 * runs under a supervisor that does the same when the agent dies
 * (`./bash/supervisor.ts`). When
 * `context.confirmCommand` is set it is awaited first; if it throws, the
 * command never starts and its error is the result.
 *
 * @example
 * ```ts
 * await runBashTool.run(["echo hi; exit 3"], context); // "hi\n[exit code 3]"
 * ```
 */
export const runBashTool: Tool = defineTool({
  ...TOOL_SPECS.run_bash,
  schema: z.object({
    cmd: z.string(),
    timeout_s: z.number().positive("must be more than 0").max(
      MAX_TIMEOUT_S,
      `must be at most ${MAX_TIMEOUT_S}`,
    ).optional(),
  }),
  maxOutputChars: MAX_BASH_OUTPUT_BYTES + 1000,
  run({ cmd, timeout_s }, context) {
    return runBash(cmd, timeout_s ?? DEFAULT_TIMEOUT_S, context);
  },
});

async function runBash(
  cmd: string,
  timeoutS: number,
  context: ToolContext,
): Promise<string> {
  const { signal } = context;
  signal.throwIfAborted();
  await context.confirmCommand?.(cmd);
  signal.throwIfAborted();
  const [, runId] = newRunMarker();
  const marker = `${RUN_MARKER_VARIABLE}=${runId}`;
  const bash = findExecutable("bash", context.env.PATH) ??
    findExecutable("bash") ?? "/bin/bash";
  const child = new Deno.Command(bash, {
    args: supervisedArgs(`exec 2>&1; ${cmd}`, runId),
    cwd: context.workspace,
    env: { ...context.env, [RUN_MARKER_VARIABLE]: runId },
    clearEnv: true,
    // The supervisor's lifeline: it kills the command when this closes.
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    detached: true,
  }).spawn();

  const output = new HeadTailBuffer(MAX_BASH_OUTPUT_BYTES);
  const readers = [child.stdout.getReader(), child.stderr.getReader()];
  const reading = Promise.all(
    readers.map((reader) => pump(reader, output, context.onOutput)),
  );

  let stopped: "timeout" | "abort" | null = null;
  let killing: Promise<unknown> = Promise.resolve();
  const stop = (why: "timeout" | "abort") => {
    if (stopped) return;
    stopped = why;
    killProcessGroup(child.pid);
    killing = killMarkedProcesses(marker);
  };
  const timer = setTimeout(() => stop("timeout"), timeoutS * 1000);
  const onAbort = () => stop("abort");
  signal.addEventListener("abort", onAbort, { once: true });

  let status: Deno.CommandStatus;
  try {
    status = await child.status;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
  killProcessGroup(child.pid);
  await killing;
  if (stopped) await killMarkedProcesses(marker);
  await child.stdin.close().catch(() => {});

  let note = "";
  if (!await settlesWithin(reading, DRAIN_GRACE_MS)) {
    await killMarkedProcesses(marker);
    if (!await settlesWithin(reading, DRAIN_GRACE_MS)) {
      await Promise.all(readers.map((reader) => reader.cancel()));
      note =
        "\n[stopped reading: a background process still holds the output open]";
    }
  }
  await reading;

  let text = output.text();
  if (text === "") text = "(empty output)";
  if (!text.endsWith("\n")) text += "\n";
  text += `[exit code ${status.code}]`;
  if (stopped === "timeout") {
    text +=
      `\n[timed out after ${timeoutS} s: the command and its child processes were killed]`;
  } else if (stopped === "abort") {
    text += "\n[interrupted: the command and its child processes were killed]";
  }
  return text + note;
}

async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  output: HeadTailBuffer,
  onOutput: ((text: string) => void) | undefined,
): Promise<void> {
  const decoder = onOutput ? new TextDecoder() : null;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      output.push(value);
      if (decoder) notify(onOutput, decoder.decode(value, { stream: true }));
    }
    if (decoder) notify(onOutput, decoder.decode());
  } catch {
    // the stream was cancelled or failed; keep what arrived
  }
}

/** Passes text to the live view; a failing view never stops the reading. */
function notify(
  onOutput: ((text: string) => void) | undefined,
  text: string,
): void {
  if (!onOutput || text === "") return;
  try {
    onOutput(text);
  } catch {
    // the view's problem, not the command's
  }
}

async function settlesWithin(
  promise: Promise<unknown>,
  ms: number,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
