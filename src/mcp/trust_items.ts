/**
 * What a config file's MCP settings would loosen, for the trust decision:
 * each server it declares (it runs a program or reaches a host) and
 * `mcp_allow_read_only`. Used by `src/trust/loosening.ts`.
 *
 * @module
 */

import { describeServer, parseServerConfig } from "./config.ts";

/** One loosening item, in the shape of `src/trust/loosening.ts`. */
export interface McpLoosening {
  setting: string;
  id: string;
  text: string;
}

/**
 * The items of `values` (a config file or `.mcp.json`): one per server in
 * `mcpServers` (its id covers the whole entry, so any change asks again),
 * and one for `mcp_allow_read_only: true`.
 *
 * @example
 * ```ts
 * import { mcpLoosening } from "./trust_items.ts";
 * const [item] = mcpLoosening({ mcpServers: { fs: { command: "mcp-fs", args: ["."] } } });
 * console.log(item.text); // "start MCP server fs: mcp-fs ."
 * ```
 */
export function mcpLoosening(values: Record<string, unknown>): McpLoosening[] {
  const items: McpLoosening[] = [];
  const servers = values.mcpServers;
  if (typeof servers === "object" && servers !== null) {
    for (const [name, raw] of Object.entries(servers)) {
      let what: string;
      try {
        what = describeServer(parseServerConfig(name, raw));
      } catch {
        what = JSON.stringify(raw);
      }
      items.push({
        setting: "mcpServers",
        id: `mcp:${name}=${JSON.stringify(raw)}`,
        text: `start MCP server ${name}: ${what}`,
      });
    }
  }
  if (values.mcp_allow_read_only === true) {
    items.push({
      setting: "mcp_allow_read_only",
      id: "mcp_allow_read_only",
      text:
        "run MCP tools marked read-only without asking (mcp_allow_read_only)",
    });
  }
  return items;
}

/**
 * The lines of a trust question: MCP server items folded into one line
 * `start MCP servers: a (cmd), b (url)`, the rest as they are.
 *
 * @example
 * ```ts
 * import { questionLines } from "./trust_items.ts";
 * console.log(questionLines([
 *   { setting: "mcpServers", id: "a", text: "start MCP server a: x" },
 *   { setting: "mcpServers", id: "b", text: "start MCP server b: y" },
 * ])); // ["start MCP servers: a (x), b (y)"]
 * ```
 */
export function questionLines(items: McpLoosening[]): string[] {
  const servers = items.filter((i) => i.setting === "mcpServers").map((i) =>
    i.text.replace(/^start MCP server ([^:]*): (.*)$/s, "$1 ($2)")
  );
  const rest = items.filter((i) => i.setting !== "mcpServers").map((i) =>
    i.text
  );
  return servers.length
    ? [...rest, `start MCP servers: ${servers.join(", ")}`]
    : rest;
}
