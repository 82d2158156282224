/**
 * `nanocode mcp list|get|add|remove|call`: managing MCP servers the way
 * `claude mcp` does, and calling one tool from the command line.
 *
 * @module
 */

import type { EnvReader } from "../config/paths.ts";
import { forStream } from "../cli/safe_output.ts";
import { scrubEnv } from "../policy/env.ts";
import type { Output } from "../ui/terminal.ts";
import {
  type McpScope,
  readServers,
  scopeFile,
  writeServers,
} from "./cli_files.ts";
import {
  describeServer,
  type McpServerEntry,
  parseMcpServers,
  parseServerConfig,
} from "./config.ts";
import { McpServers } from "./servers.ts";
import { serverHelp } from "./help.ts";

/** What the command works with. */
export interface McpCliContext {
  cwd: string;
  env: EnvReader;
  stdout: Output;
  stderr: Output;
  /** The servers in force (trusted), merged across config files. */
  servers: Record<string, unknown>;
  /** Servers declared by untrusted files, with why they are not started. */
  ignored: { name: string; why: string }[];
  startupTimeout?: number;
  toolTimeout?: number;
}

/**
 * A command line `nanocode mcp ...` could not use (exit code 2).
 *
 * @example
 * ```ts
 * import { McpUsageError } from "./cli.ts";
 * console.log(new McpUsageError("x").name); // "McpUsageError"
 * ```
 */
export class McpUsageError extends Error {
  override name = "McpUsageError";
}

/**
 * The usage text of `nanocode mcp`.
 *
 * @example
 * ```ts
 * import { MCP_USAGE } from "./cli.ts";
 * console.log(MCP_USAGE.includes("nanocode mcp add")); // true
 * ```
 */
export const MCP_USAGE = `Usage:
  nanocode mcp list                          servers in force, started to check them
  nanocode mcp get NAME                      one server: what it runs and its tools
  nanocode mcp add [--scope user|project] [--transport stdio|http|sse]
                   [-e KEY=VALUE]... [-H "Name: value"]... NAME COMMAND_OR_URL [ARGS...]
  nanocode mcp remove [--scope user|project] NAME
  nanocode mcp call [--tool TOOL] [--args JSON] SERVER_OR_URL [TOOL] [JSON]
                                             call one tool (no tool: list its tools)`;

interface Parsed {
  words: string[];
  options: Record<string, string[]>;
}

const TAKES_VALUE: Record<string, string> = {
  "--scope": "scope",
  "-s": "scope",
  "--transport": "transport",
  "-t": "transport",
  "--env": "env",
  "-e": "env",
  "--header": "header",
  "-H": "header",
  "--tool": "tool",
  "--args": "args",
};

function parse(args: string[]): Parsed {
  const words: string[] = [];
  const options: Record<string, string[]> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      words.push(...args.slice(i + 1));
      break;
    }
    const [flag, inline] = arg.startsWith("--") && arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [arg, undefined];
    const name = TAKES_VALUE[flag];
    if (name) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new McpUsageError(`${flag} needs a value`);
      (options[name] ??= []).push(value);
    } else if (arg.startsWith("-") && arg.length > 1 && words.length < 2) {
      throw new McpUsageError(`Unknown flag '${arg}'`);
    } else words.push(arg);
  }
  return { words, options };
}

function scopeOf(parsed: Parsed): McpScope | undefined {
  const scope = parsed.options.scope?.at(-1);
  if (scope === undefined) return undefined;
  if (scope !== "user" && scope !== "project") {
    throw new McpUsageError(`--scope must be user or project, not "${scope}"`);
  }
  return scope;
}

/**
 * Runs `nanocode mcp ...` and returns the exit code.
 *
 * @throws {McpUsageError} for a command line it cannot use.
 * @example
 * ```ts ignore
 * const code = await runMcpCli(["list"], context);
 * ```
 */
export async function runMcpCli(
  args: string[],
  context: McpCliContext,
): Promise<number> {
  const [verb, ...rest] = args;
  if (asksForHelp(verb, rest)) {
    context.stdout.write(`${MCP_USAGE}\n`);
    return 0;
  }
  const parsed = parse(rest);
  switch (verb) {
    case "list":
      return await list(context);
    case "get":
      if (parsed.words.length !== 1) throw new McpUsageError(MCP_USAGE);
      return await get(parsed.words[0], context);
    case "add":
      return await add(parsed, context);
    case "remove":
      return await remove(parsed, context);
    case "call": {
      const { callCommand } = await import("./call_cli.ts");
      return await callCommand(parsed.words, parsed.options, context);
    }
    default:
      throw new McpUsageError(MCP_USAGE);
  }
}

const HELP = new Set(["--help", "-h", "help"]);

/** `mcp --help`, `mcp help`, `mcp SUB --help` (before any `--`). */
function asksForHelp(verb: string | undefined, rest: string[]): boolean {
  if (verb !== undefined && HELP.has(verb)) return true;
  const end = rest.indexOf("--");
  return (end === -1 ? rest : rest.slice(0, end)).some((arg) =>
    arg === "--help" || arg === "-h"
  );
}

function say(out: Output, text: string): void {
  out.write(`${forStream(text, out.isTerminal)}\n`);
}

/**
 * Servers for a check from the command line: the given entries, the
 * scrubbed environment, the current folder.
 *
 * @example
 * ```ts ignore
 * await using servers = checkServers(entries, context);
 * await servers.startAll();
 * ```
 */
export function checkServers(
  entries: McpServerEntry[],
  context: McpCliContext,
): McpServers {
  return new McpServers({
    servers: entries,
    lookup: context.env,
    env: scrubEnv(Deno.env.toObject(), []),
    cwd: context.cwd,
    startupTimeout: context.startupTimeout,
    toolTimeout: context.toolTimeout,
  });
}

async function list(context: McpCliContext): Promise<number> {
  const entries = parseMcpServers(context.servers, "config");
  if (entries.length === 0 && context.ignored.length === 0) {
    say(
      context.stdout,
      "No MCP servers configured. Add one with: nanocode mcp add NAME COMMAND [ARGS...]",
    );
    return 0;
  }
  await using servers = checkServers(entries, context);
  await servers.startAll();
  for (const c of servers.connections) {
    const entry = entries.find((e) => e.name === c.name)!;
    const status = c.state === "ready"
      ? `✓ connected, ${c.tools.length} tools`
      : `✗ ${c.error}`;
    say(
      context.stdout,
      `${c.name}: ${describeServer(entry.config)} - ${status}`,
    );
  }
  for (const { name, why } of context.ignored) {
    say(context.stdout, `${name}: not started (${why})`);
  }
  return servers.connections.every((c) => c.state === "ready") ? 0 : 1;
}

async function get(name: string, context: McpCliContext): Promise<number> {
  const entries = parseMcpServers(context.servers, "config");
  const entry = entries.find((e) => e.name === name);
  if (!entry) {
    const ignored = context.ignored.find((i) => i.name === name);
    say(
      context.stderr,
      ignored
        ? `nanocode: MCP server ${name} is not started: ${ignored.why}`
        : `nanocode: no MCP server named ${name}; "nanocode mcp list" shows them`,
    );
    return 1;
  }
  say(
    context.stdout,
    `${name}:\n  Type: ${entry.config.type}\n  ${
      entry.config.type === "stdio" ? "Command" : "URL"
    }: ${describeServer(entry.config).replace(/^(http|sse) /, "")}`,
  );
  await using servers = checkServers([entry], context);
  const [failure] = await servers.startAll();
  if (failure) {
    say(context.stdout, `  Status: ✗ ${failure}`);
    return 1;
  }
  const c = servers.connections[0];
  say(context.stdout, `  Status: ✓ connected (protocol ${c.protocolVersion})`);
  say(context.stdout, serverHelp(servers.catalog()[0]).replace(/^/gm, "  "));
  return 0;
}

function pairs(values: string[] | undefined, separator: string, what: string) {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf(separator);
    if (at <= 0) {
      throw new McpUsageError(
        `${what} must look like NAME${separator}VALUE, not "${value}"`,
      );
    }
    out[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return out;
}

async function add(parsed: Parsed, context: McpCliContext): Promise<number> {
  const [name, target, ...args] = parsed.words;
  if (!name || !target) throw new McpUsageError(MCP_USAGE);
  const transport = parsed.options.transport?.at(-1) ??
    (/^https?:\/\//.test(target) ? "http" : "stdio");
  const entry: Record<string, unknown> = transport === "stdio"
    ? { command: target, args, env: pairs(parsed.options.env, "=", "-e") }
    : {
      type: transport,
      url: target,
      headers: pairs(parsed.options.header, ":", "-H"),
    };
  parseServerConfig(name, entry);
  const scope = scopeOf(parsed) ?? "user";
  const path = scopeFile(scope, context.cwd, context.env);
  const servers = await readServers(path);
  const replaced = name in servers;
  servers[name] = entry;
  await writeServers(path, servers);
  say(
    context.stdout,
    `${replaced ? "Replaced" : "Added"} MCP server ${name} in ${path}`,
  );
  return 0;
}

async function remove(parsed: Parsed, context: McpCliContext): Promise<number> {
  const [name] = parsed.words;
  if (!name || parsed.words.length !== 1) throw new McpUsageError(MCP_USAGE);
  const scopes: McpScope[] = scopeOf(parsed)
    ? [scopeOf(parsed)!]
    : ["user", "project"];
  const holding: [McpScope, string, Record<string, unknown>][] = [];
  for (const scope of scopes) {
    const path = scopeFile(scope, context.cwd, context.env);
    const servers = await readServers(path);
    if (name in servers) holding.push([scope, path, servers]);
  }
  if (holding.length === 0) {
    say(
      context.stderr,
      `nanocode: no MCP server named ${name} in ${
        scopes.map((s) => scopeFile(s, context.cwd, context.env)).join(" or ")
      }`,
    );
    return 1;
  }
  if (holding.length > 1) {
    throw new McpUsageError(
      `MCP server ${name} is in both the user config and .mcp.json: say which with --scope user or --scope project`,
    );
  }
  const [[, path, servers]] = holding;
  delete servers[name];
  await writeServers(path, servers);
  say(context.stdout, `Removed MCP server ${name} from ${path}`);
  return 0;
}

/**
 * The value of a call for printing: JSON for data, the text itself for text.
 *
 * @example
 * ```ts
 * import { printable } from "./cli.ts";
 * console.log(printable({ a: 1 })); // "{\n  \"a\": 1\n}"
 * ```
 */
export function printable(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value, null, 2);
}
