/**
 * MCP for one agent: the servers it was given, started when its first turn
 * needs their tools, turned into REPL functions (`mcp.<server>.<tool>` and
 * `mcp_help`) whose prompt entry lists servers and tool names.
 *
 * @module
 */

import type { ReplFunction } from "../rlm/functions.ts";
import type { Tool, ToolContext } from "../tools/types.ts";
import { parseMcpServers } from "./config.ts";
import { promptSection } from "./help.ts";
import { McpServers, type McpServersOptions } from "./servers.ts";
import { mcpHelpFunction, mcpTools } from "./tools.ts";

/** MCP settings of an agent (`CodingAgent` options). */
export interface McpSettings {
  /**
   * Servers by name, in the shape of `mcpServers` in `.mcp.json`:
   * `{ "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."] } }`.
   */
  mcpServers?: Record<string, unknown>;
  /** Seconds a server has to start (default 30). */
  mcpStartupTimeout?: number;
  /** Seconds a call may go without an answer or progress (default 120). */
  mcpToolTimeout?: number;
}

/** What the agent supplies besides the settings. */
export interface McpSessionOptions
  extends
    Omit<McpServersOptions, "servers" | "startupTimeout" | "toolTimeout"> {
  /** Builds the tool context of each call (the agent's policy). */
  context: (
    signal: AbortSignal,
    tool: string,
  ) => ToolContext | Promise<ToolContext>;
}

/** What a turn gets: the functions, and one line per server that failed to start. */
export interface McpTurn {
  functions: ReplFunction[];
  failures: string[];
}

/**
 * Wraps a tool as a REPL function (the agent's adapter, with progress).
 *
 * @example
 * ```ts ignore
 * const fn = replFunction(tool, context, { listed: false });
 * ```
 */
function replFunction(
  tool: Tool<unknown>,
  context: McpSessionOptions["context"],
  help: string,
): ReplFunction {
  return {
    name: tool.name,
    signature: `${tool.name}(args)`,
    description: tool.description,
    listed: false,
    help,
    run: async (args, call) =>
      tool.run(args, {
        ...await context(call.signal, tool.name),
        onProgress: call.progress,
      }),
  };
}

/**
 * The MCP side of an agent.
 *
 * @example
 * ```ts ignore
 * const mcp = McpSession.from({ mcpServers: { fs: { command: "mcp-fs" } } }, { lookup, env, cwd, context });
 * const { functions, failures } = await mcp!.prepare();
 * await mcp!.close();
 * ```
 */
export class McpSession {
  readonly servers: McpServers;
  readonly #context: McpSessionOptions["context"];

  /**
   * A session for the settings, or `null` when they name no server.
   *
   * @throws {TypeError} for a malformed server entry.
   */
  static from(
    settings: McpSettings,
    options: McpSessionOptions,
  ): McpSession | null {
    const entries = parseMcpServers(settings.mcpServers, "the agent's options");
    if (entries.length === 0) return null;
    return new McpSession(
      new McpServers({
        ...options,
        servers: entries,
        startupTimeout: settings.mcpStartupTimeout,
        toolTimeout: settings.mcpToolTimeout,
      }),
      options.context,
    );
  }

  constructor(servers: McpServers, context: McpSessionOptions["context"]) {
    this.servers = servers;
    this.#context = context;
  }

  /** Starts the servers that are not up (in parallel) and returns the turn's functions. */
  async prepare(): Promise<McpTurn> {
    const failures = await this.servers.startAll();
    return { functions: this.functions(), failures };
  }

  /** The REPL functions for the servers that are up now. */
  functions(): ReplFunction[] {
    const help = mcpHelpFunction(this.servers);
    const down = this.servers.connections.filter((c) => c.state === "failed")
      .map((c) => c.error ?? c.name);
    const section = promptSection(this.servers.catalog(), down);
    return [
      {
        ...help,
        description: `${help.description}\n${section.replace(/^/gm, "  ")}`,
      },
      ...mcpTools(this.servers).map(({ tool, help }) =>
        replFunction(tool, this.#context, help)
      ),
    ];
  }

  /** Stops the servers. */
  close(): Promise<void> {
    return this.servers.close();
  }
}
