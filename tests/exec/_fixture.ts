/**
 * A workspace, a home folder and an outside folder with secrets in them,
 * and a real executor over them, for the sandbox tests.
 *
 * @module
 */

import { createExecutor } from "../../src/exec/executor.ts";
import { runToEnd } from "../../src/exec/run.ts";
import type { Executor, SandboxRequest } from "../../src/exec/types.ts";
import { secretReason } from "../../src/policy/classify.ts";
import { type TempDir, tempDir } from "../helpers/temp.ts";

/** The secret the fixture's secret files hold. */
export const SECRET = "sk-live-0123456789abcdef";

/** A sandbox fixture; dispose it to clean up. */
export interface SandboxFixture extends AsyncDisposable {
  readonly ws: TempDir;
  readonly home: TempDir;
  readonly outside: TempDir;
  readonly executor: Executor;
  /** Runs `cmd` with bash at `level` in the workspace; returns exit code and output. */
  run(
    cmd: string,
    sandbox?: Partial<SandboxRequest>,
    env?: Record<string, string>,
  ): Promise<{ code: number; out: string }>;
}

/**
 * Builds the fixture: `.env`, `config/.env.local`, `deploy/id_rsa` in the
 * workspace, a `.git` and a `.nanocode` folder; `~/.ssh`, `~/.aws`,
 * `~/.npmrc`, `~/.config/gh/hosts.yml` and nanocode's data folder in home.
 *
 * @example
 * ```ts ignore
 * await using f = await sandboxFixture();
 * const { out } = await f.run("cat .env");
 * ```
 */
export async function sandboxFixture(
  options: { scanLimit?: number } = {},
): Promise<SandboxFixture> {
  const ws = await tempDir({
    ".env": `API_KEY=${SECRET}\n`,
    "config/.env.local": `TOKEN=${SECRET}\n`,
    "deploy/id_rsa": `-----BEGIN KEY ${SECRET}\n`,
    ".env.example": "API_KEY=\n",
    "src/a.ts": "export const a = 1;\n",
    ".git/HEAD": "ref: refs/heads/main\n",
    ".nanocode/config.json": '{"permission_mode": "ask"}\n',
  });
  const home = await tempDir({
    ".ssh/id_ed25519": `${SECRET}\n`,
    ".aws/credentials": `aws_secret_access_key=${SECRET}\n`,
    ".npmrc": `//registry.npmjs.org/:_authToken=${SECRET}\n`,
    ".config/gh/hosts.yml": `oauth_token: ${SECRET}\n`,
    ".local/share/nanocode/sessions/s.jsonl": `{"key":"${SECRET}"}\n`,
    "notes.txt": "plain notes\n",
  });
  const outside = await tempDir({ "keep.txt": "outside\n" });
  const protectedDirs = [`${home.path}/.local/share/nanocode`];
  const executor = createExecutor({
    sandbox: "auto",
    roots: [ws.path],
    home: home.path,
    protectedDirs,
    secretReason: (path) =>
      secretReason(path, { home: home.path, protectedDirs }),
    scanLimit: options.scanLimit,
  });
  return {
    ws,
    home,
    outside,
    executor,
    async run(cmd, sandbox = {}, env = {}) {
      const child = await executor.spawn({
        argv: ["/bin/bash", "-c", `exec 2>&1; ${cmd}`],
        cwd: ws.path,
        env: {
          PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
          HOME: home.path,
          ...env,
        },
        sandbox: { level: "workspace", ...sandbox },
      });
      const chunks: Uint8Array[] = [];
      const result = await runToEnd(child, {
        timeoutMs: 60_000,
        onOutput: (chunk) => chunks.push(chunk.slice()),
      });
      const out = new TextDecoder().decode(
        new Uint8Array(chunks.flatMap((c) => [...c])),
      );
      return { code: result.code, out };
    },
    async [Symbol.asyncDispose]() {
      await executor.close();
      for (const dir of [ws, home, outside]) await dir[Symbol.asyncDispose]();
    },
  };
}
