/**
 * One MCP server: started on first use (with a start-up timeout), its tool
 * list kept current (`tools/list_changed`), calls with progress,
 * cancellation and a timeout, and a stop that takes its whole process
 * tree. Every failure is one sentence naming the server.
 *
 * @module
 */

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Tool as SdkTool } from "@modelcontextprotocol/sdk/types.js";
import type { ToolProgress } from "../tools/types.ts";
import { VERSION } from "../version.ts";
import {
  expandConfig,
  type McpServerConfig,
  type McpServerEntry,
} from "./config.ts";
import { describeFailure } from "./errors.ts";
import type { ToolResult } from "./result.ts";
import {
  type MessageObserver,
  observedTransport,
  type OpenedTransport,
  openTransport,
  type StdioSetting,
} from "./transports.ts";

/** A tool as the server lists it. */
export type McpToolInfo = SdkTool;

/** Where a connection stands. */
export type ConnectionState = "idle" | "starting" | "ready" | "failed";

/** How a connection is set up. */
export interface ConnectionOptions {
  /** The server's entry. */
  entry: McpServerEntry;
  /** Reads `${VAR}` values for the entry (the user's environment). */
  lookup: (name: string) => string | undefined;
  /** Environment and folder of a stdio server. */
  stdio: StdioSetting;
  /** Milliseconds to connect and list tools. */
  startupTimeoutMs: number;
  /** Milliseconds a call may go without an answer or progress. */
  toolTimeoutMs: number;
  /** Called when the server's tool list changed. */
  onToolsChanged?: () => void;
  /** Sees every message (tests). */
  observe?: MessageObserver;
  /** Opens the transport (default {@linkcode openTransport}). */
  open?: (config: McpServerConfig, stdio: StdioSetting) => OpenedTransport;
}

/** A call's extras. */
export interface CallOptions {
  /** Aborting cancels the call (the server is told). */
  signal?: AbortSignal;
  /** Receives the server's progress notifications. */
  onProgress?: (progress: ToolProgress) => void;
}

/** A failure to start, call or reach a server; its message is one sentence for people and the model. */
export class McpError extends Error {
  /** Always `"McpError"`. */
  override name = "McpError";
}

/**
 * A connection to one server. Nothing starts until {@linkcode start} (or a
 * call) needs it; a server that stopped is started again by the next call.
 *
 * @example
 * ```ts ignore
 * const server = new McpConnection({ entry, lookup: processEnv, stdio: { env, cwd }, startupTimeoutMs: 30_000, toolTimeoutMs: 120_000 });
 * await server.start();
 * const result = await server.call("echo", { message: "hi" });
 * await server.close();
 * ```
 */
export class McpConnection {
  /** The server's name as configured. */
  readonly name: string;
  /** The tools, as last listed. */
  tools: McpToolInfo[] = [];
  /** Where the connection stands. */
  state: ConnectionState = "idle";
  /** Why the last start failed, when it did. */
  error?: string;
  /** The protocol version the server agreed to. */
  protocolVersion?: string;
  /** The server's name and version, as it says. */
  serverInfo?: { name: string; version: string };
  readonly #options: ConnectionOptions;
  #client: Client | null = null;
  #opened: OpenedTransport | null = null;
  #starting: Promise<void> | null = null;

  /** Takes the settings; nothing starts yet. */
  constructor(options: ConnectionOptions) {
    this.#options = options;
    this.name = options.entry.name;
  }

  /**
   * Connects and lists the tools, once; later calls wait for the same
   * start. A failed start rejects with an {@linkcode McpError} (and is
   * tried again by the next `start`).
   */
  start(): Promise<void> {
    if (this.state === "ready") return Promise.resolve();
    return this.#starting ??= this.#start().finally(() => {
      this.#starting = null;
    });
  }

  async #start(): Promise<void> {
    this.state = "starting";
    const { entry, startupTimeoutMs } = this.#options;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new McpError(
              `MCP server "${this.name}" did not start within ${
                startupTimeoutMs / 1000
              } s (mcp_startup_timeout)`,
            ),
          ),
        startupTimeoutMs,
      );
    });
    try {
      await Promise.race([this.#connect(), timedOut]);
      this.state = "ready";
      this.error = undefined;
    } catch (error) {
      const message = error instanceof McpError
        ? error.message
        : `MCP server "${this.name}" failed to start: ${
          describeFailure(error, entry.config, this.#opened?.stderrTail())
        }`;
      await this.#stop();
      this.state = "failed";
      this.error = message;
      throw new McpError(message);
    } finally {
      clearTimeout(timer);
    }
  }

  async #connect(): Promise<void> {
    const { entry, lookup, stdio, observe } = this.#options;
    const config = expandConfig(entry.config, lookup);
    const opened = (this.#options.open ?? openTransport)(config, stdio);
    this.#opened = opened;
    const transport = observedTransport(opened.transport, (dir, message) => {
      const result = (message as { result?: { protocolVersion?: unknown } })
        .result;
      if (dir === "received" && typeof result?.protocolVersion === "string") {
        this.protocolVersion = result.protocolVersion;
      }
      observe?.(dir, message);
    });
    const client = new Client({ name: "nanocode", version: VERSION }, {
      capabilities: {},
      listChanged: {
        tools: {
          debounceMs: 0,
          onChanged: (error: Error | null, tools: McpToolInfo[] | null) => {
            if (error || !tools) return;
            this.tools = tools;
            this.#options.onToolsChanged?.();
          },
        },
      },
    });
    client.onclose = () => {
      // The server went away: the next call starts it again.
      if (this.#client === client) {
        this.#client = null;
        if (this.state === "ready") this.state = "idle";
      }
    };
    this.#client = client;
    await client.connect(transport);
    this.serverInfo = client.getServerVersion();
    const tools: McpToolInfo[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined);
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    this.tools = tools;
  }

  /**
   * Calls a tool (starting the server first when needed).
   *
   * @throws {McpError} when the server cannot be started or reached, stops
   *   during the call, or does not answer within the tool timeout.
   * @throws {DOMException} `AbortError` when `options.signal` aborts (the
   *   server is told the call is cancelled).
   */
  async call(
    tool: string,
    args: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<ToolResult> {
    await this.start();
    const client = this.#client;
    if (!client) {
      throw new McpError(`MCP server "${this.name}" is not running`);
    }
    const { toolTimeoutMs } = this.#options;
    try {
      return await client.callTool({ name: tool, arguments: args }, undefined, {
        signal: options.signal,
        timeout: toolTimeoutMs,
        resetTimeoutOnProgress: true,
        onprogress: options.onProgress
          ? (p: ToolProgress) =>
            options.onProgress!({
              progress: p.progress,
              total: p.total,
              message: p.message,
            })
          : undefined,
      }) as ToolResult;
    } catch (error) {
      if (options.signal?.aborted) {
        throw new DOMException(
          `The call of ${this.name}.${tool} was interrupted`,
          "AbortError",
        );
      }
      const code = (error as { code?: unknown }).code;
      if (code === -32001) {
        // The SDK's RequestTimeout: the server is told the call is cancelled.
        throw new McpError(
          `MCP server "${this.name}" did not answer ${tool} within ${
            toolTimeoutMs / 1000
          } s (mcp_tool_timeout)`,
        );
      }
      if (this.#client !== client) {
        const why = [
          this.#opened?.failure?.(),
          this.#opened?.stderrTail().trim().split("\n").at(-1)?.slice(0, 200),
        ].filter(Boolean).join(": ");
        throw new McpError(
          `MCP server "${this.name}" stopped during the call of ${tool}${
            why ? ` (${why})` : ""
          }; the next call starts it again`,
        );
      }
      throw new McpError(
        `MCP server "${this.name}" refused the call of ${tool}: ${
          (error as Error).message
        }`,
      );
    }
  }

  /** Stops the server (and, for stdio, every process it started). */
  async close(): Promise<void> {
    await this.#stop();
    this.state = "idle";
  }

  async #stop(): Promise<void> {
    const client = this.#client;
    const opened = this.#opened;
    this.#client = null;
    this.#opened = null;
    // A stdio server's input is closed, it has a moment to leave, then its
    // whole tree is killed (the transport's close); a remote one is let go.
    await (client ? client.close() : opened?.transport.close())?.catch(
      () => {},
    );
  }
}
