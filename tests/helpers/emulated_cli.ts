/**
 * Runs the real nanocode CLI (headless, `stream-json`) against a provider
 * emulator and reads what happened: the exit code, the events, the result
 * line, and what the model was sent.
 *
 * @module
 */

import { assertEquals } from "./assert.ts";
import { runCli } from "./cli.ts";
import type { Emulator, EmuRequest } from "./emulator/server.ts";
import { tempDir } from "./temp.ts";

/** An event line of `--output-format stream-json`. */
export type EventLine = Record<string, unknown> & { type: string };

/** What one run produced. */
export interface EmulatedRun {
  code: number;
  stderr: string;
  /** Every event line, in order. */
  events: EventLine[];
  /** The final `result` line. */
  result: EventLine;
  /** The workspace folder (deleted after the run unless `keep`). */
  dir: string;
}

/** Options of {@linkcode runEmulated}. */
export interface EmulatedOptions {
  /** The model name (`provider/model`). */
  model: string;
  /** Extra environment (keys, settings). */
  env?: Record<string, string>;
  /** Extra arguments before the task. */
  args?: string[];
  /** Files of the workspace. */
  files?: Record<string, string>;
  /** Point `NANOCODE_API_BASE` at the emulator (default true). */
  apiBase?: boolean;
  /** Inspect the workspace after the run. */
  inspect?: (dir: string) => Promise<void> | void;
}

/** The keys every provider in the emulator accepts. */
export const EMULATOR_KEYS: Readonly<Record<string, string>> = {
  OPENAI_API_KEY: "test-key",
  OPENROUTER_API_KEY: "test-key",
  DEEPSEEK_API_KEY: "test-key",
  GROQ_API_KEY: "test-key",
  GEMINI_API_KEY: "test-key",
  XAI_API_KEY: "test-key",
  MISTRAL_API_KEY: "test-key",
};

/**
 * Runs `nanocode --output-format stream-json TASK` against the emulator.
 *
 * @example
 * ```ts ignore
 * const run = await runEmulated(emu, "read a.txt", { model: "deepseek/deepseek-chat" });
 * ```
 */
export async function runEmulated(
  emu: Emulator,
  task: string,
  options: EmulatedOptions,
): Promise<EmulatedRun> {
  await using dir = await tempDir(options.files ?? {});
  const run = await runCli(
    ["--output-format", "stream-json", "-y", ...(options.args ?? []), task],
    {
      cwd: dir.path,
      env: {
        ...(options.apiBase === false ? {} : { NANOCODE_API_BASE: emu.url }),
        NANOCODE_LM: options.model,
        ...EMULATOR_KEYS,
        ...options.env,
      },
    },
  );
  const events = run.stdout.trim().split("\n").filter(Boolean).map((l) =>
    JSON.parse(l) as EventLine
  );
  await options.inspect?.(dir.path);
  return {
    code: run.code,
    stderr: run.stderr,
    events,
    result: events.at(-1)!,
    dir: dir.path,
  };
}

/**
 * The one line a failed run printed on stderr (fails when there are more).
 *
 * @example
 * ```ts ignore
 * assertStringIncludes(oneLine(run.stderr), "check GEMINI_API_KEY");
 * ```
 */
export function oneLine(stderr: string): string {
  const lines = stderr.trim().split("\n");
  assertEquals(lines.length, 1, stderr);
  return lines[0];
}

/** The events of one type. */
export function eventsOf(run: EmulatedRun, type: string): EventLine[] {
  return run.events.filter((e) => e.type === type);
}

/** The last user message of a request: what the model was shown last. */
export function lastUser(request: EmuRequest): string {
  return request.messages.filter((m) => m.role === "user").at(-1)?.content ??
    "";
}

/** The requests the emulator answered with a reply (not an error). */
export function answered(emu: Emulator): EmuRequest[] {
  return emu.chats().filter((r) => r.status === 200);
}
