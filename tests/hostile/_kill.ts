/**
 * Killing the real CLI with SIGKILL while a command runs, and counting the
 * command's processes left behind.
 *
 * @module
 */

import { baseEnv, lmEnv, MAIN } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

/** What {@linkcode killMidCommand} saw. */
export interface KillOutcome {
  /** `sleep` processes of the command running before the kill. */
  before: number;
  /** Those still running (not zombies) a while after it. */
  left: string[];
}

/**
 * Runs nanocode in `mode` on a model whose first cell runs `command(s)`
 * (`s` is a number of seconds unique to this call: the command's `sleep s`
 * processes are the ones counted), waits until `expected` of them run,
 * SIGKILLs the agent and waits (bounded) for them to go.
 *
 * @example
 * ```ts ignore
 * const { before, left } = await killMidCommand("yolo", (s) => `setsid sleep ${s} & sleep ${s}`, 2);
 * ```
 */
export async function killMidCommand(
  mode: "auto-edit" | "yolo",
  command: (seconds: number) => string,
  expected: number,
): Promise<KillOutcome> {
  await using dir = await tempDir();
  const seconds = 3000 + Math.floor(Math.random() * 6000);
  await using server = await startLmServer(routeByModel([
    cell(`print(run_bash(${JSON.stringify(command(seconds))}))`),
  ]));
  const agent = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "wait"],
    cwd: dir.path,
    clearEnv: true,
    env: {
      ...baseEnv(dir.path),
      ...lmEnv(server.url, { NANOCODE_PERMISSION_MODE: mode }),
    },
    stdout: "null",
    stderr: "null",
  }).spawn();
  const sleepers = () => {
    const found: string[] = [];
    for (const entry of Deno.readDirSync("/proc")) {
      if (!/^\d+$/.test(entry.name)) continue;
      try {
        const cmdline = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`);
        const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
        if (cmdline === `sleep\0${seconds}\0` && !/\) Z /.test(stat)) {
          found.push(entry.name);
        }
      } catch { /* gone */ }
    }
    return found;
  };
  const pause = () => new Promise((r) => setTimeout(r, 50));
  for (let i = 0; i < 600 && sleepers().length < expected; i++) await pause();
  const before = sleepers().length;
  agent.kill("SIGKILL");
  await agent.status;
  let left = sleepers();
  for (let i = 0; i < 200 && left.length > 0; i++) {
    await pause();
    left = sleepers();
  }
  return { before, left };
}
