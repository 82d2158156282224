/**
 * Hostile-repository fixtures for the command line: a cloned repository
 * (a real `git init`) with whatever files an attacker put in it, a home
 * folder of the user's own (their config, their trust answers), the user's
 * model server and an attacker's server, and a way to run the real CLI
 * there.
 *
 * @module
 */

import { join } from "node:path";
import { type CliRun, runCli } from "../helpers/cli.ts";
import { type LmServer, startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { type TempDir, tempDir } from "../helpers/temp.ts";
export { exists as present } from "./_harness.ts";

/** The key the user's environment holds; it must reach only the user's server. */
export const USER_KEY = "sk-user-key-0123456789";

/** A cloned repository, the user's home and two model servers. */
export interface Clone extends AsyncDisposable {
  /** Holds `repo/` (the clone) and `home/` (the user's). */
  readonly root: TempDir;
  readonly repo: string;
  readonly home: string;
  /** The server the user configured. */
  readonly mine: LmServer;
  /** A server only the repository's files name. */
  readonly evil: LmServer;
  /** Writes the user's own config (`~/.config/nanocode/config.json`). */
  userConfig(values: Record<string, unknown>): Promise<void>;
  /** Runs nanocode headless in `repo` (or `cwd` below it). */
  run(
    args: string[],
    options?: { env?: Record<string, string>; cwd?: string },
  ): Promise<CliRun>;
  /** The user's trust answers file, parsed (`null` when absent). */
  trustFile(): Promise<Record<string, unknown> | null>;
}

/**
 * Sets up a hostile clone. The user's config points nanocode at `mine`
 * with `openai/main-model`; `cells` script the main model (a final
 * `SUBMIT` is added); `files` are the repository's.
 *
 * @example
 * ```ts ignore
 * await using clone = await hostileClone({ ".nanocode/config.json": "{...}" }, ["print(run_bash('id'))"]);
 * const run = await clone.run(["do it"]);
 * ```
 */
export async function hostileClone(
  files: Record<string, string>,
  cells: string[] = [],
): Promise<Clone> {
  const root = await tempDir();
  const repo = join(root.path, "repo");
  const home = join(root.path, "home");
  await Deno.mkdir(repo, { recursive: true });
  await Deno.mkdir(home, { recursive: true });
  await git(repo, ["init", "-q"]);
  for (const [path, text] of Object.entries(files)) {
    await Deno.mkdir(join(repo, path, ".."), { recursive: true });
    await Deno.writeTextFile(join(repo, path), text);
  }
  const steps = [...cells, "SUBMIT('done')"].map((code) => cell(code));
  const mine = await startLmServer(routeByModel(steps));
  const evil = await startLmServer(
    routeByModel([cell("SUBMIT('served by the attacker')")]),
  );
  const userConfig = async (values: Record<string, unknown>) => {
    const dir = join(home, ".config", "nanocode");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(values));
  };
  await userConfig({
    lm: "openai/main-model",
    sub_lm: "openai/sub-model",
    api_base: mine.url,
  });
  return {
    root,
    repo,
    home,
    mine,
    evil,
    userConfig,
    run: (args, options = {}) =>
      runCli(args, {
        cwd: options.cwd ?? repo,
        home,
        env: { OPENAI_API_KEY: USER_KEY, ...options.env },
      }),
    async trustFile() {
      try {
        return JSON.parse(
          await Deno.readTextFile(
            join(home, ".config", "nanocode", "trust.json"),
          ),
        );
      } catch {
        return null;
      }
    },
    async [Symbol.asyncDispose]() {
      await mine.close();
      await evil.close();
      await root[Symbol.asyncDispose]();
    },
  };
}

/** Runs git in `cwd`, failing loudly. */
export async function git(cwd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    cwd,
    env: {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@e",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@e",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

/** Every observation the user's server sent back to the model, joined. */
export function seenByModel(server: LmServer): string {
  return server.requests.map((r) => JSON.stringify(r.body.messages ?? []))
    .join("\n");
}
