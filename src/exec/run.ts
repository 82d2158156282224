/**
 * Running a started command to its end: output streamed to the caller, a
 * timeout and an abort signal that kill the whole process tree, and no
 * hang on a background process that keeps the output open.
 *
 * @module
 */

import type { ExecProcess, SandboxLevel } from "./types.ts";

/** How long to wait for the output to close after the command exits. */
const DRAIN_GRACE_MS = 1000;

/** Options of {@linkcode runToEnd}. */
export interface RunToEndOptions {
  /** Milliseconds before the command and its children are killed. */
  timeoutMs: number;
  /** Aborting kills the command and its children. */
  signal?: AbortSignal;
  /** Receives stdout and stderr bytes as they arrive (a failing callback is ignored). */
  onOutput?: (chunk: Uint8Array, stream: "stdout" | "stderr") => void;
}

/** How a command ended. */
export interface RunResult {
  /** The exit code (128 + signal number when killed by a signal). */
  code: number;
  /** Why nanocode stopped it, or `null` when it ended by itself. */
  stopped: "timeout" | "abort" | null;
  /** A background process kept the output open after the exit; reading stopped. */
  outputLeftOpen: boolean;
  /** The sandbox level the command ran at. */
  level: SandboxLevel;
  /** What the sandbox did after the command, for the model (see `ExecProcess.notes`). */
  notes: string[];
}

/**
 * Waits for a started command, streaming its output to `onOutput`. On
 * timeout or abort, and after a normal exit, processes left in the
 * command's process group are killed; on timeout or abort (or when they
 * hold the output open) so are those that left the group.
 *
 * @example
 * ```ts ignore
 * const child = await executor.spawn({ argv: ["/bin/bash", "-c", "make"], cwd, env });
 * const result = await runToEnd(child, { timeoutMs: 120_000, onOutput: (b) => buffer.push(b) });
 * console.log(result.code, result.stopped);
 * ```
 */
export async function runToEnd(
  child: ExecProcess,
  options: RunToEndOptions,
): Promise<RunResult> {
  const { signal, onOutput } = options;
  const readers = [child.stdout.getReader(), child.stderr.getReader()];
  const reading = Promise.all(
    readers.map((reader, i) =>
      pump(reader, i === 0 ? "stdout" : "stderr", onOutput)
    ),
  );

  let stopped: RunResult["stopped"] = null;
  let killing: Promise<unknown> = Promise.resolve();
  const stop = (why: "timeout" | "abort") => {
    if (stopped) return;
    stopped = why;
    child.stop();
    killing = child.killTree();
  };
  const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
  const onAbort = () => stop("abort");
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });

  let status: Deno.CommandStatus;
  try {
    status = await child.status;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", onAbort);
  }
  child.stop();
  await killing;
  if (stopped) await child.killTree();

  let outputLeftOpen = false;
  if (!await settlesWithin(reading, DRAIN_GRACE_MS)) {
    await child.killTree();
    if (!await settlesWithin(reading, DRAIN_GRACE_MS)) {
      await Promise.all(readers.map((reader) => reader.cancel()));
      outputLeftOpen = true;
    }
  }
  await reading;
  return {
    code: status.code,
    stopped,
    outputLeftOpen,
    level: child.level,
    notes: [...child.notes ?? []],
  };
}

async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  stream: "stdout" | "stderr",
  onOutput: RunToEndOptions["onOutput"],
): Promise<void> {
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      try {
        onOutput?.(value, stream);
      } catch {
        // the caller's problem, not the command's
      }
    }
  } catch {
    // the stream was cancelled or failed; keep what arrived
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
