/**
 * MCP server entries in the shape Claude Code's `.mcp.json` uses, under
 * `mcpServers`: `command`/`args`/`env` for a local (stdio) server,
 * `type: "http"` with `url` and `headers` for Streamable HTTP, and
 * `type: "sse"` for old remote servers. `${VAR}` and `${VAR:-default}` in
 * any string are read from the user's environment when the server starts.
 *
 * @module
 */

/** A local server: a program nanocode starts, talking over its stdin/stdout. */
export interface StdioServerConfig {
  /** Always `stdio`. */
  type: "stdio";
  /** The program (looked up on `PATH`). */
  command: string;
  /** Its arguments. */
  args: string[];
  /** Variables added to the scrubbed environment it starts with. */
  env: Record<string, string>;
}

/** A remote server, reached over Streamable HTTP (`http`) or the old SSE transport (`sse`). */
export interface RemoteServerConfig {
  /** `http` (Streamable HTTP) or `sse` (the old HTTP+SSE transport). */
  type: "http" | "sse";
  /** The server's endpoint, e.g. `https://api.example.com/mcp`. */
  url: string;
  /** Headers sent with every request, e.g. `{ "Authorization": "Bearer ${TOKEN}" }`. */
  headers: Record<string, string>;
}

/** One server entry. */
export type McpServerConfig = StdioServerConfig | RemoteServerConfig;

/** A server entry with its name and where it was declared. */
export interface McpServerEntry {
  /** The key under `mcpServers` (the `<server>` of `mcp.<server>.<tool>`). */
  name: string;
  /** What it runs or reaches. */
  config: McpServerConfig;
  /** Where it was declared (a file path, or `options` for the library API). */
  source: string;
}

/** Thrown for an entry that does not have the expected shape. */
export class McpConfigError extends TypeError {
  /** Always `"McpConfigError"`. */
  override name = "McpConfigError";
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringMap(
  value: unknown,
  what: string,
): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (
    !isObject(value) ||
    Object.values(value).some((v) => typeof v !== "string")
  ) {
    throw new McpConfigError(`${what} must be an object of strings`);
  }
  return { ...value } as Record<string, string>;
}

/**
 * Checks one entry and fills in its defaults (`type` from the presence of
 * `command` or `url`).
 *
 * @throws {McpConfigError} naming the server and the field.
 * @example
 * ```ts
 * import { parseServerConfig } from "./config.ts";
 * console.log(parseServerConfig("fs", { command: "npx", args: ["-y", "@modelcontextprotocol/server-filesystem", "."] }).type); // "stdio"
 * console.log(parseServerConfig("gh", { type: "http", url: "https://api.githubcopilot.com/mcp/" }).type); // "http"
 * ```
 */
export function parseServerConfig(
  name: string,
  raw: unknown,
): McpServerConfig {
  const where = `MCP server "${name}"`;
  if (!isObject(raw)) throw new McpConfigError(`${where} must be an object`);
  const type = raw.type ?? (raw.url !== undefined ? "http" : "stdio");
  if (type === "stdio") {
    if (typeof raw.command !== "string" || !raw.command.trim()) {
      throw new McpConfigError(`${where} needs a "command" (a program to run)`);
    }
    const args = raw.args ?? [];
    if (!Array.isArray(args) || args.some((a) => typeof a !== "string")) {
      throw new McpConfigError(`${where}: "args" must be a list of strings`);
    }
    return {
      type: "stdio",
      command: raw.command,
      args: [...args] as string[],
      env: stringMap(raw.env, `${where}: "env"`),
    };
  }
  if (type === "http" || type === "streamable-http" || type === "sse") {
    if (typeof raw.url !== "string" || !/^https?:\/\//i.test(raw.url)) {
      throw new McpConfigError(`${where} needs an http(s) "url"`);
    }
    return {
      type: type === "sse" ? "sse" : "http",
      url: raw.url,
      headers: stringMap(raw.headers, `${where}: "headers"`),
    };
  }
  throw new McpConfigError(
    `${where}: unknown "type" ${
      JSON.stringify(type)
    } (use "stdio", "http" or "sse")`,
  );
}

/**
 * Reads an `mcpServers` object (from `.mcp.json` or a config file).
 *
 * @throws {McpConfigError} for a malformed object or entry.
 * @example
 * ```ts
 * import { parseMcpServers } from "./config.ts";
 * const entries = parseMcpServers({ fs: { command: "mcp-fs" } }, "~/.config/nanocode/config.json");
 * console.log(entries[0].name, entries[0].source); // "fs" "~/.config/nanocode/config.json"
 * ```
 */
export function parseMcpServers(
  value: unknown,
  source: string,
): McpServerEntry[] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) {
    throw new McpConfigError(
      `"mcpServers" in ${source} must be an object of servers by name`,
    );
  }
  return Object.entries(value).map(([name, raw]) => ({
    name,
    config: parseServerConfig(name, raw),
    source,
  }));
}

/**
 * Replaces `${VAR}` and `${VAR:-default}` with values from `env`; a
 * variable that is not set (and has no default) is named in the error.
 *
 * @throws {McpConfigError} naming the missing variable.
 * @example
 * ```ts
 * import { expandVariables } from "./config.ts";
 * console.log(expandVariables("Bearer ${T}", (n) => n === "T" ? "abc" : undefined)); // "Bearer abc"
 * console.log(expandVariables("${PORT:-8080}", () => undefined)); // "8080"
 * ```
 */
export function expandVariables(
  text: string,
  env: (name: string) => string | undefined,
): string {
  return text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_, name: string, fallback: string | undefined) => {
      const value = env(name);
      if (value !== undefined && value !== "") return value;
      if (fallback !== undefined) return fallback;
      throw new McpConfigError(`the variable ${name} is not set`);
    },
  );
}

/**
 * The entry with every `${...}` expanded.
 *
 * @throws {McpConfigError} naming a missing variable.
 * @example
 * ```ts
 * import { expandConfig } from "./config.ts";
 * const config = expandConfig({ type: "http", url: "https://x/mcp", headers: { Authorization: "Bearer ${T}" } }, () => "t0k");
 * console.log(config.type === "http" && config.headers.Authorization); // "Bearer t0k"
 * ```
 */
export function expandConfig(
  config: McpServerConfig,
  env: (name: string) => string | undefined,
): McpServerConfig {
  const x = (text: string) => expandVariables(text, env);
  const map = (values: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([k, v]) => [k, x(v)]));
  return config.type === "stdio"
    ? {
      type: "stdio",
      command: x(config.command),
      args: config.args.map(x),
      env: map(config.env),
    }
    : { type: config.type, url: x(config.url), headers: map(config.headers) };
}

/**
 * One line saying what an entry runs or reaches, for lists and trust
 * questions: the command line, or the type and URL.
 *
 * @example
 * ```ts
 * import { describeServer } from "./config.ts";
 * console.log(describeServer({ type: "stdio", command: "npx", args: ["-y", "srv"], env: {} })); // "npx -y srv"
 * ```
 */
export function describeServer(config: McpServerConfig): string {
  if (config.type !== "stdio") return `${config.type} ${config.url}`;
  const quote = (word: string) =>
    /^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word);
  return [config.command, ...config.args].map(quote).join(" ");
}
