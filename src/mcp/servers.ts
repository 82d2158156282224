/**
 * The MCP servers of one session: started together, in parallel, when the
 * session first needs their tools; each bounded by the start-up timeout; a
 * server that fails is one line and stays out of the session.
 *
 * @module
 */

import type { McpServerEntry } from "./config.ts";
import {
  type ConnectionOptions,
  McpConnection,
  type McpToolInfo,
} from "./connection.ts";
import { uniqueIdentifiers } from "./names.ts";
import type { MessageObserver } from "./transports.ts";

/** Default seconds a server has to start and list its tools. */
export const DEFAULT_STARTUP_TIMEOUT_S = 30;
/** Default seconds a tool call may go without an answer or progress. */
export const DEFAULT_TOOL_TIMEOUT_S = 120;

/** How the servers of a session are set up. */
export interface McpServersOptions {
  /** The servers in force (already vetted by the trust decision). */
  servers: McpServerEntry[];
  /** Reads `${VAR}` values in entries (the user's environment). */
  lookup: (name: string) => string | undefined;
  /** The scrubbed environment stdio servers start from. */
  env: Record<string, string>;
  /** The folder stdio servers run in. */
  cwd: string;
  /** Seconds to start (default {@linkcode DEFAULT_STARTUP_TIMEOUT_S}). */
  startupTimeout?: number;
  /** Seconds a call may wait (default {@linkcode DEFAULT_TOOL_TIMEOUT_S}). */
  toolTimeout?: number;
  /** Sees every message of every server (tests). */
  observe?: (server: string) => MessageObserver;
  /** Opens transports (tests). */
  open?: ConnectionOptions["open"];
}

/** A server as the REPL names it, with its tools. */
export interface CatalogServer {
  /** `<server>` in `mcp.<server>.<tool>`. */
  id: string;
  /** The server. */
  connection: McpConnection;
  /** Its tools, each with its `<tool>` identifier. */
  tools: { id: string; info: McpToolInfo }[];
}

/**
 * The servers of a session.
 *
 * @example
 * ```ts ignore
 * const servers = new McpServers({ servers: entries, lookup: processEnv, env: scrubbed, cwd });
 * const failures = await servers.startAll();
 * console.log(servers.catalog().map((s) => s.id));
 * await servers.close();
 * ```
 */
export class McpServers {
  /** One connection per server, in the order given. */
  readonly connections: McpConnection[];
  /** Called when a server's tool list changed. */
  onToolsChanged?: (server: string) => void;
  #catalog: CatalogServer[] | null = null;

  /**
   * One connection per entry; nothing starts yet.
   *
   * @throws {TypeError} when two entries share a name.
   */
  constructor(options: McpServersOptions) {
    const names = new Set<string>();
    for (const entry of options.servers) {
      if (names.has(entry.name)) {
        throw new TypeError(`MCP server "${entry.name}" is declared twice`);
      }
      names.add(entry.name);
    }
    this.connections = options.servers.map((entry) =>
      new McpConnection({
        entry,
        lookup: options.lookup,
        stdio: { env: options.env, cwd: options.cwd },
        startupTimeoutMs: 1000 *
          (options.startupTimeout ?? DEFAULT_STARTUP_TIMEOUT_S),
        toolTimeoutMs: 1000 * (options.toolTimeout ?? DEFAULT_TOOL_TIMEOUT_S),
        observe: options.observe?.(entry.name),
        open: options.open,
        onToolsChanged: () => {
          this.#catalog = null;
          this.onToolsChanged?.(entry.name);
        },
      })
    );
  }

  /**
   * Starts every server that has not started (or that stopped since), all
   * at once, and waits for them (each within its start-up timeout).
   * Servers that failed before are left alone. Resolves with one line per
   * server that failed now.
   */
  async startAll(): Promise<string[]> {
    const pending = this.connections.filter((c) => c.state === "idle");
    const results = await Promise.allSettled(pending.map((c) => c.start()));
    this.#catalog = null;
    return results.flatMap((r) =>
      r.status === "rejected" ? [(r.reason as Error).message] : []
    );
  }

  /** The servers that are up, with identifiers for them and their tools. */
  catalog(): CatalogServer[] {
    if (this.#catalog) return this.#catalog;
    const up = this.connections.filter((c) =>
      c.state === "ready" || (c.state === "idle" && c.tools.length > 0)
    );
    const ids = uniqueIdentifiers(up.map((c) => c.name));
    this.#catalog = up.map((connection, i) => {
      const toolIds = uniqueIdentifiers(connection.tools.map((t) => t.name));
      return {
        id: ids[i],
        connection,
        tools: connection.tools.map((info, j) => ({ id: toolIds[j], info })),
      };
    });
    return this.#catalog;
  }

  /** Stops every server and the processes they started. */
  async close(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close()));
  }

  /** Same as {@linkcode McpServers.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
