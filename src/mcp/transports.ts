/**
 * The SDK transport for a server entry: stdio (a process the exec layer
 * starts with the scrubbed environment and the entry's `env`, under the
 * supervisor that kills its whole tree when the agent goes away),
 * Streamable HTTP or SSE (with the entry's headers). A thin
 * wrapper lets nanocode watch the messages (the negotiated protocol
 * version; tests see what was sent).
 *
 * @module
 */

import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type {
  Transport,
  TransportSendOptions,
} from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { plainExecutor } from "../exec/executor.ts";
import type { Executor } from "../exec/types.ts";
import type { McpServerConfig } from "./config.ts";
import { ExecTransport } from "./exec_transport.ts";

/** Which way a message went. */
export type Direction = "sent" | "received";

/** Sees every message of a connection. */
export type MessageObserver = (
  direction: Direction,
  message: JSONRPCMessage,
) => void;

/** A transport and what nanocode keeps about it. */
export interface OpenedTransport {
  /** The SDK transport. */
  transport: Transport;
  /** The last lines the stdio server wrote to stderr. */
  stderrTail(): string;
  /** Why the transport gave up on the server (a runaway message, an exit code), when it did. */
  failure?(): string | undefined;
}

/** What a stdio server starts with besides its entry. */
export interface StdioSetting {
  /** The scrubbed environment (the entry's `env` is added). */
  env: Record<string, string>;
  /** The folder it runs in. */
  cwd: string;
  /** Starts the process (default the plain executor: no OS sandbox, supervised). */
  executor?: Executor;
}

/**
 * Opens the transport for an (expanded) entry.
 *
 * @example
 * ```ts ignore
 * const { transport } = openTransport({ type: "http", url: "http://127.0.0.1:3001/mcp", headers: {} }, { env: {}, cwd: "." });
 * ```
 */
export function openTransport(
  config: McpServerConfig,
  stdio: StdioSetting,
): OpenedTransport {
  if (config.type === "stdio") {
    const transport = new ExecTransport({
      argv: [config.command, ...config.args],
      env: { ...stdio.env, ...config.env },
      cwd: stdio.cwd,
    }, stdio.executor ?? plainExecutor);
    return {
      transport,
      stderrTail: () => transport.stderrTail(),
      failure: () => transport.failure,
    };
  }
  const requestInit = { headers: config.headers };
  const url = new URL(config.url);
  const transport = config.type === "http"
    ? new StreamableHTTPClientTransport(url, { requestInit })
    : new SSEClientTransport(url, {
      requestInit,
      eventSourceInit: {
        fetch: (input: string | URL, init?: RequestInit) =>
          fetch(input, {
            ...init,
            headers: { ...headersOf(init?.headers), ...config.headers },
          }),
      },
    });
  return { transport, stderrTail: () => "" };
}

function headersOf(headers: HeadersInit | undefined): Record<string, string> {
  return Object.fromEntries(new Headers(headers ?? {}).entries());
}

/**
 * A transport that passes everything through and shows each message to
 * `observe` first.
 *
 * @example
 * ```ts ignore
 * const watched = observedTransport(transport, (direction, message) => console.log(direction, message));
 * await client.connect(watched);
 * ```
 */
export function observedTransport(
  inner: Transport,
  observe: MessageObserver,
): Transport {
  const outer: Transport = {
    start: () => inner.start(),
    close: () => inner.close(),
    send(message: JSONRPCMessage, options?: TransportSendOptions) {
      observe("sent", message);
      return inner.send(message, options);
    },
    setProtocolVersion: (version: string) =>
      inner.setProtocolVersion?.(version),
    get sessionId() {
      return inner.sessionId;
    },
  };
  inner.onclose = () => outer.onclose?.();
  inner.onerror = (error: Error) => outer.onerror?.(error);
  inner.onmessage = (message: JSONRPCMessage, extra?: unknown) => {
    observe("received", message);
    outer.onmessage?.(message, extra as never);
  };
  return outer;
}
