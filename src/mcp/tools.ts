/**
 * MCP tools as nanocode tools, built with the same definition path as the
 * built-in ones (`defineTool`: argument checks, result caps), asking the
 * policy through `confirmCall` before each call; and `mcp_help`.
 *
 * @module
 */

import { defineTool } from "../tools/define.ts";
import type { Tool } from "../tools/types.ts";
import type { ReplFunction } from "../rlm/functions.ts";
import { serverHelp, toolHelp } from "./help.ts";
import { resultValue } from "./result.ts";
import {
  acceptsOtherKeys,
  argumentSchema,
  type JsonSchema,
  toolParams,
} from "./schema.ts";
import type { CatalogServer, McpServers } from "./servers.ts";

/**
 * Characters of JSON (or text) one MCP result may have. Results stay in
 * REPL variables (printing is capped by `max_output_chars`), so this only
 * bounds memory and transfer.
 */
export const MCP_MAX_RESULT_CHARS = 5_000_000;

/** An MCP tool ready for the REPL. */
export interface McpTool {
  /** Named `mcp.<server>.<tool>`. */
  tool: Tool<unknown>;
  /** Its `.help` text. */
  help: string;
}

/**
 * The tools of every server that is up.
 *
 * @example
 * ```ts ignore
 * for (const { tool } of mcpTools(servers)) console.log(tool.name); // mcp.everything.echo, ...
 * ```
 */
export function mcpTools(servers: McpServers): McpTool[] {
  return servers.catalog().flatMap((server) =>
    server.tools.map(({ id, info }) => {
      const input = (info.inputSchema ?? {}) as JsonSchema;
      const readOnly = info.annotations?.readOnlyHint === true;
      const connection = server.connection;
      const tool = defineTool<ReturnType<typeof argumentSchema>, unknown>({
        name: `mcp.${server.id}.${id}`,
        description: (info.description ?? "").split("\n")[0],
        params: toolParams(input),
        schema: argumentSchema(input),
        openKeys: acceptsOtherKeys(input),
        maxOutputChars: MCP_MAX_RESULT_CHARS,
        async run(args, context) {
          const call = { ...args } as Record<string, unknown>;
          await context.confirmCall?.({
            server: connection.name,
            tool: info.name,
            args: call,
            readOnly,
          });
          const result = await connection.call(info.name, call, {
            signal: context.signal,
            onProgress: context.onProgress,
          });
          return resultValue(result);
        },
      });
      return { tool, help: toolHelp(server.id, id, info) };
    })
  );
}

function find(
  catalog: CatalogServer[],
  name: string,
): CatalogServer | undefined {
  return catalog.find((s) => s.id === name || s.connection.name === name);
}

/**
 * `mcp_help(name?)`: a tool's signature and description
 * (`"server.tool"`), a server's tools (`"server"`), or every server
 * (no name). Names may be the REPL's or the server's own.
 *
 * @example
 * ```ts ignore
 * const help = mcpHelpFunction(servers);
 * console.log(await help.run(["everything.get_sum"], { signal, step: 1 }));
 * ```
 */
export function mcpHelpFunction(servers: McpServers): ReplFunction {
  return {
    name: "mcp_help",
    signature: "mcp_help(name?)",
    description:
      'string — help on MCP tools: "server.tool" gives its parameters as a TypeScript signature, "server" lists its tools, no name lists the servers.',
    run(args) {
      const name = String(args[0] ?? "").replace(/^mcp\./, "").trim();
      const catalog = servers.catalog();
      if (!name) {
        const down = servers.connections.filter((c) => c.state === "failed");
        return [
          ...catalog.map((s) => serverHelp(s).split("\n")[0]),
          ...down.map((c) => `unavailable: ${c.error}`),
        ].join("\n") || "No MCP servers are configured.";
      }
      const dot = name.indexOf(".");
      const server = find(catalog, dot === -1 ? name : name.slice(0, dot));
      if (!server) {
        throw new ReferenceError(
          `mcp_help: no MCP server ${JSON.stringify(name.split(".")[0])}; ` +
            `servers: ${catalog.map((s) => s.id).join(", ") || "none"}`,
        );
      }
      if (dot === -1) return serverHelp(server);
      const toolName = name.slice(dot + 1);
      const tool = server.tools.find((t) =>
        t.id === toolName || t.info.name === toolName
      );
      if (!tool) {
        throw new ReferenceError(
          `mcp_help: server ${server.id} has no tool ${
            JSON.stringify(toolName)
          }; mcp_help("${server.id}") lists its tools`,
        );
      }
      return toolHelp(server.id, tool.id, tool.info);
    },
  };
}
