/**
 * What the model reads about MCP tools: one prompt section listing server
 * and tool names (cut to a budget), and on demand a tool's description and
 * input schema as a TypeScript-style signature.
 *
 * @module
 */

import { type JsonSchema, tsType } from "./schema.ts";
import type { CatalogServer } from "./servers.ts";
import type { McpToolInfo } from "./connection.ts";

/** Characters the prompt's MCP section may take, by default. */
export const DEFAULT_PROMPT_BUDGET = 4000;
/** Characters of one server's line of tool names. */
const LINE_BUDGET = 400;

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function oneLine(text: string | undefined, max: number): string {
  const line = (text ?? "").replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * A tool's help: where it comes from, its description, and its call as a
 * TypeScript-style signature with one line per parameter.
 *
 * @example
 * ```ts ignore
 * console.log(toolHelp("github", "create_issue", info));
 * ```
 */
export function toolHelp(
  serverId: string,
  toolId: string,
  info: McpToolInfo,
): string {
  const input = (info.inputSchema ?? {}) as JsonSchema;
  const required = new Set(input.required ?? []);
  const props = Object.entries(input.properties ?? {});
  const hints = info.annotations?.readOnlyHint ? " (read-only)" : "";
  const lines = [
    `// MCP tool ${JSON.stringify(info.name)} of server ${
      JSON.stringify(serverId)
    }${hints}`,
  ];
  for (const line of (info.description ?? "").trim().split("\n")) {
    if (line.trim()) lines.push(`// ${line.trimEnd()}`);
  }
  const call = `mcp.${serverId}.${toolId}`;
  const output = info.outputSchema
    ? tsType(info.outputSchema as JsonSchema)
    : "string";
  if (props.length === 0) {
    lines.push(`${call}(args?: Record<string, unknown>): ${output}`);
    return lines.join("\n");
  }
  const optional = props.every(([name]) => !required.has(name));
  lines.push(`${call}(args${optional ? "?" : ""}: {`);
  for (const [name, schema] of props) {
    const s = (schema ?? {}) as JsonSchema;
    const doc = oneLine(s.description, 200);
    const fallback = s.default !== undefined
      ? ` (default ${JSON.stringify(s.default)})`
      : "";
    lines.push(
      `  ${key(name)}${required.has(name) ? "" : "?"}: ${tsType(s)};${
        doc || fallback ? ` // ${doc}${fallback}` : ""
      }`,
    );
  }
  lines.push(`}): ${output}`);
  return lines.join("\n");
}

/**
 * A server's tools, one line each: name and the first line of its
 * description.
 *
 * @example
 * ```ts ignore
 * console.log(serverHelp(catalog[0]));
 * ```
 */
export function serverHelp(server: CatalogServer): string {
  const head =
    `MCP server ${JSON.stringify(server.id)}: ${server.tools.length} tools` +
    (server.connection.serverInfo
      ? ` (${server.connection.serverInfo.name} ${server.connection.serverInfo.version})`
      : "");
  return [
    head,
    ...server.tools.map((t) =>
      `- mcp.${server.id}.${t.id}: ${oneLine(t.info.description, 120)}`
    ),
  ].join("\n");
}

/**
 * The prompt's MCP section: how to call tools and find their parameters,
 * then one line per server with its tool names, each line and the whole
 * section cut to a budget (the cut says how to see the rest). Empty when
 * no server is up and none failed.
 *
 * @example
 * ```ts ignore
 * const section = promptSection(servers.catalog(), ["MCP server \"x\" did not start within 30 s"]);
 * ```
 */
export function promptSection(
  catalog: CatalogServer[],
  unavailable: string[] = [],
  budget = DEFAULT_PROMPT_BUDGET,
): string {
  if (catalog.length === 0 && unavailable.length === 0) return "";
  const lines = [
    "MCP tools: each server's tools are functions `mcp.<server>.<tool>(args)` taking one object of arguments. " +
    "A call returns the tool's structured result (an object) or its text; images and resources come as described objects; " +
    "a tool error throws. Results stay in your variables unless you print them, so filter or combine them in code and print only what you need. " +
    'Before calling a tool, print(mcp_help("<server>.<tool>")) for its parameters. Servers and their tools:',
  ];
  let used = lines[0].length;
  let cut = 0;
  for (const server of catalog) {
    let names = "";
    let shown = 0;
    for (const tool of server.tools) {
      const next = names ? `${names}, ${tool.id}` : tool.id;
      if (next.length > LINE_BUDGET) break;
      names = next;
      shown++;
    }
    const more = server.tools.length - shown;
    const line = `- ${server.id}: ${names || "(no tools)"}${
      more ? ` (+${more} more: mcp_help("${server.id}"))` : ""
    }`;
    if (used + line.length > budget) {
      cut++;
      continue;
    }
    lines.push(line);
    used += line.length + 1;
  }
  if (cut) lines.push(`- (+${cut} more servers: mcp_help() lists them)`);
  for (const failure of unavailable) lines.push(`- unavailable: ${failure}`);
  return lines.join("\n");
}
