/**
 * The MCP settings of the config files in force: `mcpServers` merged by
 * name across files (a later file's entry replaces an earlier one's), and
 * `mcp_startup_timeout`, `mcp_tool_timeout`, `mcp_allow_read_only`.
 *
 * @module
 */

import type { McpSettings } from "./session.ts";

/** What the agent takes from the config files about MCP. */
export interface McpConfigSettings extends McpSettings {
  mcpAllowReadOnly?: boolean;
}

function seconds(value: unknown, key: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !(value > 0)) {
    throw new TypeError(`Config "${key}" must be a number of seconds above 0`);
  }
  return value;
}

/**
 * Reads the MCP settings from the config files' extra keys, lowest
 * precedence first.
 *
 * @throws {TypeError} naming a malformed setting.
 * @example
 * ```ts
 * import { mcpSettings } from "./settings.ts";
 * const settings = mcpSettings([
 *   { mcpServers: { fs: { command: "a" } } },
 *   { mcpServers: { fs: { command: "b" } }, mcp_tool_timeout: 30 },
 * ]);
 * console.log(settings.mcpServers, settings.mcpToolTimeout); // { fs: { command: "b" } } 30
 * ```
 */
export function mcpSettings(
  layers: Record<string, unknown>[],
): McpConfigSettings {
  const servers: Record<string, unknown> = {};
  const settings: McpConfigSettings = {};
  for (const layer of layers) {
    const declared = layer.mcpServers;
    if (declared !== undefined && declared !== null) {
      if (typeof declared !== "object" || Array.isArray(declared)) {
        throw new TypeError(
          'Config "mcpServers" must be an object of servers by name',
        );
      }
      Object.assign(servers, declared);
    }
    settings.mcpStartupTimeout =
      seconds(layer.mcp_startup_timeout, "mcp_startup_timeout") ??
        settings.mcpStartupTimeout;
    settings.mcpToolTimeout =
      seconds(layer.mcp_tool_timeout, "mcp_tool_timeout") ??
        settings.mcpToolTimeout;
    if (layer.mcp_allow_read_only !== undefined) {
      if (typeof layer.mcp_allow_read_only !== "boolean") {
        throw new TypeError(
          'Config "mcp_allow_read_only" must be true or false',
        );
      }
      settings.mcpAllowReadOnly = layer.mcp_allow_read_only;
    }
  }
  if (Object.keys(servers).length) settings.mcpServers = servers;
  return settings;
}
