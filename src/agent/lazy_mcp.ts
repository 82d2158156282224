/**
 * An agent's MCP servers, with the MCP client loaded only when the agent
 * has servers and its first turn needs them (the SDK is not loaded
 * otherwise, so it never holds back the first request of an agent
 * without servers).
 *
 * @module
 */

import { scrubEnv } from "../policy/env.ts";
import type { ReplFunction } from "../rlm/functions.ts";
import type { ToolContext } from "../tools/types.ts";
import { parseMcpServers } from "../mcp/config.ts";
import type { McpSession, McpSettings, McpTurn } from "../mcp/session.ts";

/** What the agent knows that its MCP servers need. */
export interface AgentMcpOptions {
  /** Reads `${VAR}` values of entries. */
  lookup: (name: string) => string | undefined;
  /** The environment stdio servers start from, before scrubbing. */
  commandEnv?: Record<string, string>;
  /** Variables kept although they look secret (`env_allow`). */
  envAllow?: string[];
  /** The workspace (stdio servers run there). */
  cwd: string;
  /** The tool context of each call (the agent's policy). */
  context: (
    signal: AbortSignal,
    tool: string,
  ) => ToolContext | Promise<ToolContext>;
  /** Called when a server's tool list changed. */
  onToolsChanged?: () => void;
}

function processEnvironment(): Record<string, string> {
  try {
    return Deno.env.toObject();
  } catch {
    return {};
  }
}

/**
 * The agent's MCP servers, loaded on first use.
 *
 * @example
 * ```ts ignore
 * const mcp = new LazyMcp(options, { lookup: processEnv, cwd, context });
 * const turn = await mcp.prepare(); // null without servers
 * ```
 */
export class LazyMcp {
  readonly #settings: McpSettings;
  readonly #options: AgentMcpOptions;
  readonly #enabled: boolean;
  #session: Promise<McpSession | null> | null = null;
  #loaded: McpSession | null = null;

  /** @throws {TypeError} for a malformed server entry. */
  constructor(settings: McpSettings, options: AgentMcpOptions) {
    this.#settings = settings;
    this.#options = options;
    this.#enabled =
      parseMcpServers(settings.mcpServers, "the agent's options").length > 0;
  }

  /** Whether any server is configured. */
  get enabled(): boolean {
    return this.#enabled;
  }

  /**
   * Starts the servers that are not up and returns the turn's functions;
   * `null` without servers. An abort does not wait for slow servers (they
   * go on starting for the next turn).
   *
   * @throws {DOMException} `AbortError` when `signal` aborts first.
   */
  async prepare(signal?: AbortSignal): Promise<McpTurn | null> {
    const work = this.#load().then((session) => session?.prepare() ?? null);
    if (!signal) return await work;
    work.catch(() => {});
    const aborted = new Promise<never>((_, reject) => {
      const stop = () =>
        reject(new DOMException("The turn was interrupted", "AbortError"));
      if (signal.aborted) stop();
      signal.addEventListener("abort", stop, { once: true });
    });
    aborted.catch(() => {});
    return await Promise.race([work, aborted]);
  }

  /** The current MCP functions (after `prepare`), e.g. after a tool list changed. */
  functions(): ReplFunction[] {
    return this.#loaded?.functions() ?? [];
  }

  /** Stops the servers, if they were loaded. */
  async close(): Promise<void> {
    const session = await this.#session?.catch(() => null);
    await session?.close();
  }

  #load(): Promise<McpSession | null> {
    if (!this.#enabled) return Promise.resolve(null);
    return this.#session ??= import("../mcp/session.ts").then(
      ({ McpSession }) => {
        const { lookup, cwd, context } = this.#options;
        const env = scrubEnv(
          this.#options.commandEnv ?? processEnvironment(),
          this.#options.envAllow ?? [],
        );
        const session = McpSession.from(this.#settings, {
          lookup,
          env,
          cwd,
          context,
        });
        if (session) {
          session.servers.onToolsChanged = () =>
            this.#options.onToolsChanged?.();
        }
        this.#loaded = session;
        return session;
      },
    );
  }
}
