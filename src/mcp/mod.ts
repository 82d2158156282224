/**
 * MCP servers as code: the client (the official SDK), server entries in
 * the `.mcp.json` shape, and result mapping. Give `mcpServers` to
 * `CodingAgent` and each tool is `mcp.<server>.<tool>(args)` in the REPL.
 *
 * @example
 * ```ts ignore
 * import { McpServers, parseMcpServers } from "@nanocode/nanocode/mcp";
 *
 * await using servers = new McpServers({
 *   servers: parseMcpServers({ fs: { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "."] } }, "mine"),
 *   lookup: (name) => Deno.env.get(name),
 *   env: { PATH: Deno.env.get("PATH") ?? "" },
 *   cwd: Deno.cwd(),
 * });
 * await servers.startAll();
 * console.log(servers.catalog().map((s) => s.tools.map((t) => t.id)));
 * ```
 *
 * @module
 */

export {
  describeServer,
  McpConfigError,
  type McpServerConfig,
  type McpServerEntry,
  parseMcpServers,
  type RemoteServerConfig,
  type StdioServerConfig,
} from "./config.ts";
export type { McpSettings } from "./session.ts";
export {
  type CatalogServer,
  McpServers,
  type McpServersOptions,
} from "./servers.ts";
export {
  type CallOptions,
  type ConnectionOptions,
  type ConnectionState,
  McpConnection,
  McpError,
  type McpToolInfo,
} from "./connection.ts";
export type {
  Direction,
  MessageObserver,
  OpenedTransport,
  StdioSetting,
} from "./transports.ts";
export {
  type ContentItem,
  McpToolError,
  resultValue,
  type ToolResult,
} from "./result.ts";
export type { ToolCallRequest, ToolProgress } from "../tools/types.ts";
