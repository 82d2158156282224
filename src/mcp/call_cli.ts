/**
 * `nanocode mcp call SERVER_OR_URL [TOOL] [JSON]`: connects to a configured
 * server or to a URL (Streamable HTTP, or SSE with `--transport sse`),
 * calls one tool and prints its result; with no tool, lists the tools.
 * The MCP conformance suite drives it as a client (it appends the URL):
 * `nanocode mcp call --tool add_numbers --args '{"a":1,"b":2}' URL`.
 *
 * @module
 */

import { forStream } from "../cli/safe_output.ts";
import {
  type McpServerEntry,
  parseMcpServers,
  parseServerConfig,
} from "./config.ts";
import {
  checkServers,
  MCP_USAGE,
  type McpCliContext,
  McpUsageError,
  printable,
} from "./cli.ts";
import { McpToolError, resultValue } from "./result.ts";

function headers(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf(":");
    if (at > 0) out[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return out;
}

/**
 * Runs `mcp call` with its words and options; returns the exit code (1
 * when the tool reports an error or the server cannot be reached).
 *
 * @example
 * ```ts ignore
 * const code = await callCommand(["http://127.0.0.1:3001/mcp", "echo", '{"message":"hi"}'], {}, context);
 * ```
 */
export async function callCommand(
  words: string[],
  options: Record<string, string[]>,
  context: McpCliContext,
): Promise<number> {
  const [target, ...rest] = words;
  if (!target) throw new McpUsageError(MCP_USAGE);
  const tool = options.tool?.at(-1) ?? rest[0];
  const json = options.args?.at(-1) ?? rest[options.tool ? 0 : 1] ?? "{}";
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(json);
  } catch (error) {
    throw new McpUsageError(
      `The arguments are not JSON: ${(error as Error).message}`,
    );
  }
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new McpUsageError("The arguments must be a JSON object");
  }
  let entry: McpServerEntry | undefined;
  if (/^https?:\/\//i.test(target)) {
    const type = options.transport?.at(-1) === "sse" ? "sse" : "http";
    entry = {
      name: "server",
      source: "the command line",
      config: parseServerConfig("server", {
        type,
        url: target,
        headers: headers(options.header),
      }),
    };
  } else {
    entry = parseMcpServers(context.servers, "config").find((e) =>
      e.name === target
    );
    if (!entry) {
      const ignored = context.ignored.find((i) => i.name === target);
      context.stderr.write(
        `nanocode: ${
          ignored
            ? `MCP server ${target} is not started: ${ignored.why}`
            : `no MCP server named ${target}; give a configured name or a URL`
        }\n`,
      );
      return 1;
    }
  }
  await using servers = checkServers([entry], context);
  const [failure] = await servers.startAll();
  if (failure) {
    context.stderr.write(
      `nanocode: ${forStream(failure, context.stderr.isTerminal)}\n`,
    );
    return 1;
  }
  const connection = servers.connections[0];
  if (!tool) {
    for (const t of connection.tools) {
      context.stdout.write(
        forStream(
          `${t.name}: ${(t.description ?? "").split("\n")[0]}\n`,
          context.stdout.isTerminal,
        ),
      );
    }
    return 0;
  }
  try {
    const value = resultValue(await connection.call(tool, args));
    context.stdout.write(
      `${forStream(printable(value), context.stdout.isTerminal)}\n`,
    );
    return 0;
  } catch (error) {
    const message = error instanceof McpToolError
      ? `${tool} reported an error: ${error.message}`
      : (error as Error).message;
    context.stderr.write(
      `nanocode: ${forStream(message, context.stderr.isTerminal)}\n`,
    );
    return 1;
  }
}
