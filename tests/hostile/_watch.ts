/**
 * Runs the real CLI in a hostile clone with a watchdog, for cases whose
 * failure is a hang: a run that has to be killed comes back as `null`.
 *
 * @module
 */

import { baseEnv, MAIN } from "../helpers/cli.ts";
import type { LmServer } from "../helpers/lm_server.ts";
import { USER_KEY } from "./_repo.ts";

/** What the model was shown after each cell (the last request's observations). */
export function observations(server: LmServer): string[] {
  const messages = (server.requests.at(-1)?.body.messages ?? []) as {
    role: string;
    content: string;
  }[];
  return messages.filter((m) => m.role === "user").slice(1).map((m) =>
    m.content
  );
}

/** Runs the CLI headless in `cwd`; `null` when it had to be killed. */
export async function runWatched(
  args: string[],
  cwd: string,
  home: string,
  env: Record<string, string> = {},
  denoFlags: string[] = [],
): Promise<{ code: number; stderr: string } | null> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...denoFlags, MAIN, ...args],
    cwd,
    clearEnv: true,
    env: { ...baseEnv(home), OPENAI_API_KEY: USER_KEY, ...env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let killed = false;
  const watchdog = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, 120_000);
  const out = await child.output();
  clearTimeout(watchdog);
  return killed
    ? null
    : { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** A PATH with git, bash and sh but no ripgrep: the built-in search runs. */
export async function pathWithoutRg(dir: string): Promise<string> {
  for (const tool of ["git", "bash", "sh"]) {
    for (const folder of ["/usr/bin", "/bin"]) {
      try {
        await Deno.symlink(`${folder}/${tool}`, `${dir}/${tool}`);
        break;
      } catch { /* try the next folder */ }
    }
  }
  return dir;
}
