/**
 * An agent with MCP servers, driven by a scripted model, for the MCP
 * tests: real servers from npm, the real sandbox, policy and approvals.
 *
 * @module
 */

import { CodingAgent } from "../../src/agent/coding_agent.ts";
import type { PermissionMode } from "../../src/config/fields.ts";
import type { RlmEvent } from "../../src/rlm/events.ts";
import type { Approver } from "../../src/safety/approval.ts";
import { type LmServer, startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  routeByModel,
  SUB_MODEL,
} from "../helpers/script.ts";
import { type TempDir, tempDir } from "../helpers/temp.ts";
import { ensureCached } from "../helpers/mcp_servers.ts";

/** Options of {@linkcode mcpAgent}. */
export interface McpAgentOptions {
  /** `mcpServers`, given the workspace path. */
  servers: (workspace: string) => Record<string, unknown>;
  /** Cells of the main model, in order (SUBMIT cells included). */
  cells: string[];
  mode?: PermissionMode;
  approver?: Approver;
  permissions?: { allow?: string[]; deny?: string[] };
  mcpAllowReadOnly?: boolean;
  mcpStartupTimeout?: number;
  mcpToolTimeout?: number;
  files?: Record<string, string>;
  commandEnv?: Record<string, string>;
}

/** A running fixture. */
export interface McpAgent extends AsyncDisposable {
  readonly ws: TempDir;
  readonly server: LmServer;
  readonly agent: CodingAgent;
  readonly events: RlmEvent[];
  /** The observations the model was sent, in order. */
  observations(): string[];
  /** The system prompt of the first chat request. */
  system(): string;
}

/** Builds an agent whose model plays `cells`. */
export async function mcpAgent(options: McpAgentOptions): Promise<McpAgent> {
  await ensureCached();
  const ws = await tempDir(options.files ?? {});
  const server = await startLmServer(
    routeByModel(options.cells.map((code) => cell(code))),
  );
  const events: RlmEvent[] = [];
  const agent = new CodingAgent({
    workspace: ws.path,
    config: {
      lm: `openai/${MAIN_MODEL}`,
      sub_lm: `openai/${SUB_MODEL}`,
      api_base: server.url,
      cell_timeout: 60,
      permission_mode: options.mode ?? "yolo",
    },
    env: (
      name,
    ) => (name === "OPENAI_API_KEY" ? "test-key" : Deno.env.get(name)),
    snapshotsDir: null,
    approver: options.approver,
    permissions: options.permissions,
    mcpServers: options.servers(ws.path),
    mcpAllowReadOnly: options.mcpAllowReadOnly,
    mcpStartupTimeout: options.mcpStartupTimeout,
    mcpToolTimeout: options.mcpToolTimeout,
    commandEnv: options.commandEnv,
    onEvent: (event) => events.push(event),
  });
  return {
    ws,
    server,
    agent,
    events,
    system: () =>
      server.requests.find((r) => r.path.endsWith("/chat/completions"))!
        .body.messages![0].content,
    observations: () =>
      server.requests.flatMap((r) =>
        (r.body.messages ?? []).filter((m) => m.role === "user").map((m) =>
          m.content
        ).slice(-1)
      ),
    async [Symbol.asyncDispose]() {
      await agent.close();
      await server.close();
      await ws[Symbol.asyncDispose]();
    },
  };
}
