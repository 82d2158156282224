/**
 * `run_bash(cmd, timeout_s?, sandbox?)`: runs a shell command in the
 * workspace (in the OS sandbox where there is one).
 *
 * @module
 */

import { z } from "zod";
import { plainExecutor } from "../exec/executor.ts";
import { restrictionNote } from "../exec/restriction.ts";
import { runToEnd } from "../exec/run.ts";
import { RUN_MARKER_VARIABLE } from "../exec/spawn.ts";
import { ResultBuffer } from "./bash/result_buffer.ts";
import { findExecutable } from "./context.ts";
import { defineTool } from "./define.ts";
import {
  DEFAULT_TIMEOUT_S,
  MAX_RESULT_BYTES,
  MAX_TIMEOUT_S,
  TOOL_SPECS,
} from "./specs.ts";
export {
  DEFAULT_TIMEOUT_S,
  MAX_RESULT_BYTES,
  MAX_TIMEOUT_S,
  RUN_MARKER_VARIABLE,
};
import type { Tool, ToolContext } from "./types.ts";

const tool = defineTool({
  ...TOOL_SPECS.run_bash,
  schema: z.object({
    cmd: z.string(),
    timeout_s: z.number().positive("must be more than 0").max(
      MAX_TIMEOUT_S,
      `must be at most ${MAX_TIMEOUT_S}`,
    ).optional(),
    sandbox: z.boolean().optional(),
  }),
  maxOutputChars: Infinity,
  run({ cmd, timeout_s, sandbox }, context) {
    return runBash(cmd, timeout_s ?? DEFAULT_TIMEOUT_S, sandbox, context);
  },
});

/**
 * The `run_bash` tool. Runs `bash -c cmd` in the workspace with stdin
 * closed, stdout and stderr merged in order, and `context.env` (plus
 * `NANOCODE_RUN=<id>`) as environment, through `context.executor` (the OS
 * sandbox, where there is one). Returns all of the output (or `(empty
 * output)`) and a line `[exit code N]`: the result is data the model's
 * code works on, never cut. An output of more than
 * {@linkcode MAX_RESULT_BYTES} is an error (after the command has run to
 * its end, or was stopped) giving the exit code, the output's size, its
 * first and last lines, and how to capture it in a file instead. On timeout
 * (default 120 s) the line
 * `[timed out after N s: the command and its child processes were killed]`
 * follows; on `context.signal` abort,
 * `[interrupted: the command and its child processes were killed]`; when a
 * sandboxed command failed on a sandbox limit, a `[sandbox: ...]` line says
 * how to ask to leave it. Either way, and after a normal exit, processes
 * left in the command's process group are killed; on timeout or abort (or
 * when they hold the output open) so are processes that left the group;
 * when the agent dies, the sandbox (or, without one, a small supervisor)
 * takes the whole tree with it.
 * When `context.confirmCommand` is set it is awaited first (with the
 * model's `sandbox` wish) and says where the command runs; if it throws,
 * the command never starts and its error is the result. Besides
 * `run_bash(cmd, timeout_s?, sandbox?)`, the options may come as an
 * object: `run_bash(cmd, { sandbox: false, timeout_s: 60 })`.
 *
 * @example
 * ```ts
 * await runBashTool.run(["echo hi; exit 3"], context); // "hi\n[exit code 3]"
 * await runBashTool.run(["git commit -am fix", { sandbox: false }], context);
 * ```
 */
export const runBashTool: Tool = {
  name: tool.name,
  description: tool.description,
  params: tool.params,
  run(args, context) {
    const [cmd, options] = args;
    if (args.length === 2 && isPlainObject(options)) {
      return tool.run([{ ...options, cmd }], context);
    }
    return tool.run(args, context);
  },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

async function runBash(
  cmd: string,
  timeoutS: number,
  sandbox: boolean | undefined,
  context: ToolContext,
): Promise<string> {
  const { signal } = context;
  signal.throwIfAborted();
  const planned = await context.confirmCommand?.(cmd, { sandbox });
  signal.throwIfAborted();
  const bash = findExecutable("bash", context.env.PATH) ??
    findExecutable("bash") ?? "/bin/bash";
  const executor = context.executor ?? plainExecutor;
  const child = await executor.spawn({
    argv: [bash, "-c", `exec 2>&1; ${cmd}`],
    cwd: context.workspace,
    env: context.env,
    sandbox: planned ? planned.sandbox : undefined,
  });

  const output = new ResultBuffer(MAX_RESULT_BYTES);
  const onOutput = context.onOutput;
  const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  const result = await runToEnd(child, {
    timeoutMs: timeoutS * 1000,
    signal,
    onOutput(chunk, stream) {
      output.push(chunk);
      if (onOutput) {
        notify(onOutput, decoders[stream].decode(chunk, { stream: true }));
      }
    },
  });
  if (onOutput) {
    for (const decoder of Object.values(decoders)) {
      notify(onOutput, decoder.decode());
    }
  }

  if (output.overflowed) {
    throw tooMuchOutput(output, result.code, result.stopped);
  }
  let text = output.text();
  if (text === "") text = "(empty output)";
  if (!text.endsWith("\n")) text += "\n";
  text += `[exit code ${result.code}]`;
  if (result.stopped === "timeout") {
    text +=
      `\n[timed out after ${timeoutS} s: the command and its child processes were killed]`;
  } else if (result.stopped === "abort") {
    text += "\n[interrupted: the command and its child processes were killed]";
  } else if (result.level === "workspace") {
    const note = restrictionNote(text, result.code);
    if (note) text += `\n${note}`;
  }
  if (result.outputLeftOpen) {
    text +=
      "\n[stopped reading: a background process still holds the output open]";
  }
  for (const note of result.notes) text += `\n${note}`;
  return text;
}

/** Passes text to the live view; a failing view never stops the reading. */
function notify(onOutput: (text: string) => void, text: string): void {
  if (text === "") return;
  try {
    onOutput(text);
  } catch {
    // the view's problem, not the command's
  }
}

/** The error for an output too big to return, with its start and end. */
function tooMuchOutput(
  output: ResultBuffer,
  code: number,
  stopped: "timeout" | "abort" | null,
): Error {
  const how = stopped === "timeout"
    ? "it timed out and was killed"
    : stopped === "abort"
    ? "it was interrupted"
    : "it ran to its end";
  return new Error(
    `run_bash: the command's output was ${
      (output.totalBytes / 1e6).toFixed(1)
    } MB, more than the ${
      MAX_RESULT_BYTES / 1e6
    } MB run_bash returns (${how}, exit code ${code}); send the output to a file and read or search it in parts, e.g. run_bash("cmd > out.txt 2>&1") then read_file("out.txt", 0, 200) or grep_files("error", "out.txt"). Its start and end:\n${output.preview()}`,
  );
}
