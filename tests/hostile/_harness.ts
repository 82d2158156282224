/**
 * The hostile-case harness: a real CodingAgent in a temp workspace (with a
 * temp home), driven by a scripted model, with the real sandbox, tools,
 * policy and approvals. Each case runs cells and inspects what the model
 * saw, what reached the disk, and what the approver was asked.
 *
 * @module
 */

import { CodingAgent } from "../../src/agent/coding_agent.ts";
import type { PermissionMode } from "../../src/config/fields.ts";
import type { RlmEvent } from "../../src/rlm/events.ts";
import type { Sandbox } from "../../src/sandbox/sandbox.ts";
import type {
  ApprovalAnswer,
  ApprovalRequest,
  Approver,
} from "../../src/safety/approval.ts";
import { type LmServer, startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { type TempDir, tempDir } from "../helpers/temp.ts";
import { pyCell, pythonSandbox } from "../helpers/python.ts";

/** An approver that records what it was asked and answers from a list (then "no"). */
export class ScriptedApprover implements Approver {
  readonly interactive = true;
  readonly asked: ApprovalRequest[] = [];
  constructor(private answers: ApprovalAnswer[] = []) {}
  approve(request: ApprovalRequest): Promise<ApprovalAnswer> {
    this.asked.push(request);
    return Promise.resolve(this.answers.shift() ?? "no");
  }
}

/** Options of {@linkcode hostile}. */
export interface HostileOptions {
  /** Files in the workspace. */
  files?: Record<string, string | Uint8Array>;
  /** Files in the (fake) home folder. */
  homeFiles?: Record<string, string | Uint8Array>;
  mode?: PermissionMode;
  /** The `sandbox` setting (default `auto`: bubblewrap where it works). */
  sandbox?: "auto" | "off";
  approver?: Approver;
  permissions?: { allow?: string[]; deny?: string[] };
  envAllow?: string[];
  commandEnv?: Record<string, string>;
  cellTimeout?: number;
  /** The REPL (default: the agent's own, as configured). */
  repl?: Sandbox;
  /** The cells' language (default JavaScript); Python cells get a Python sandbox. */
  language?: "js" | "python";
  /** Answers the sub-model (`llm_query`); a test can act in between here. */
  sub?: (prompt: string) => { text: string };
}

/** A hostile-case fixture; dispose it to clean up. */
export interface Hostile extends AsyncDisposable {
  readonly ws: TempDir;
  readonly home: TempDir;
  readonly server: LmServer;
  readonly agent: CodingAgent;
  readonly events: RlmEvent[];
  /** Runs one turn of these cells (a final SUBMIT is added); returns each cell's observation. */
  turn(...cells: string[]): Promise<string[]>;
}

/**
 * Sets up a hostile case.
 *
 * @example
 * ```ts ignore
 * await using h = await hostile({ files: { "a.txt": "x" } });
 * const [seen] = await h.turn("print(read_file('../outside.txt'))");
 * ```
 */
export async function hostile(options: HostileOptions = {}): Promise<Hostile> {
  const ws = await tempDir(options.files ?? {});
  const home = await tempDir(options.homeFiles ?? {});
  const steps: ReturnType<typeof cell>[] = [];
  const server = await startLmServer(routeByModel(steps, options.sub));
  const events: RlmEvent[] = [];
  const env: Record<string, string> = {
    HOME: home.path,
    OPENAI_API_KEY: "test",
  };
  const agent = new CodingAgent({
    workspace: ws.path,
    config: {
      lm: "openai/main-model",
      sub_lm: "openai/sub-model",
      api_base: server.url,
      permission_mode: options.mode ?? "ask",
      sandbox: options.sandbox ?? "auto",
      cell_timeout: options.cellTimeout ?? 30,
      ...(options.language ? { repl: options.language } : {}),
    },
    env: (name) => env[name],
    approver: options.approver,
    sandbox: options.repl ??
      (options.language === "python"
        ? pythonSandbox({
          cwd: ws.path,
          cellTimeout: options.cellTimeout ?? 30,
        })
        : undefined),
    permissions: options.permissions,
    envAllow: options.envAllow,
    commandEnv: options.commandEnv ??
      { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: home.path },
    snapshotsDir: `${home.path}/.snapshots`,
    onEvent: (event) => events.push(event),
    conversation: true,
  });
  return {
    ws,
    home,
    server,
    agent,
    events,
    async turn(...cells: string[]) {
      const step = options.language === "python" ? pyCell : cell;
      steps.push(...cells.map((code) => step(code)), step("SUBMIT('done')"));
      const result = await agent.forward("hostile case");
      return result.trajectory.slice(0, -1).map((s) => s.observation);
    },
    async [Symbol.asyncDispose]() {
      await agent.close();
      await server.close();
      await ws[Symbol.asyncDispose]();
      await home[Symbol.asyncDispose]();
    },
  };
}

/** Whether a path exists (without following a final symlink). */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}
