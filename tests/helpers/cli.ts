/**
 * Runs the real nanocode CLI as a subprocess, for tests.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { NO_BWRAP } from "./bwrap.ts";

/** Absolute path of main.ts. */
export const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** What a CLI run produced. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode runCli}. */
export interface CliRunOptions {
  cwd: string;
  /** Environment (added to a minimal base: PATH, HOME set to `home`). */
  env?: Record<string, string>;
  /** The HOME folder (also XDG dirs live there); default `cwd`. */
  home?: string;
  /** Text for stdin (default: stdin closed). */
  stdin?: string;
  /** Extra deno flags before main.ts (default `-A`). */
  denoFlags?: string[];
}

/** The minimal environment a CLI test runs with. */
export function baseEnv(home: string): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: home,
    XDG_CONFIG_HOME: `${home}/.config`,
    XDG_DATA_HOME: `${home}/.local/share`,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
    NO_COLOR: "1",
    // Where bubblewrap cannot run, its one-line notice would be on every
    // run's stderr; the tests that check that notice set this themselves.
    ...(NO_BWRAP ? { NANOCODE_SANDBOX: "off" } : {}),
  };
}

/**
 * Runs `deno run -A main.ts ...args` and collects its output.
 *
 * @example
 * ```ts ignore
 * const run = await runCli(["--version"], { cwd: Deno.cwd() });
 * ```
 */
export async function runCli(
  args: string[],
  options: CliRunOptions,
): Promise<CliRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...(options.denoFlags ?? ["-A"]), MAIN, ...args],
    cwd: options.cwd,
    clearEnv: true,
    env: { ...baseEnv(options.home ?? options.cwd), ...options.env },
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** Environment pointing nanocode at a scripted server. */
export function lmEnv(
  url: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NANOCODE_API_BASE: url,
    NANOCODE_LM: "openai/main-model",
    NANOCODE_SUB_LM: "openai/sub-model",
    OPENAI_API_KEY: "test-key",
    ...extra,
  };
}
