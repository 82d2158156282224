/**
 * The MCP client against real servers over each transport: protocol
 * version negotiation, tool lists, progress, cancellation, headers.
 */

import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  ensureCached,
  everythingStdio,
  startEverythingHttp,
} from "../helpers/mcp_servers.ts";
import { McpServers } from "../../src/mcp/servers.ts";
import { parseMcpServers } from "../../src/mcp/config.ts";
import { resultValue } from "../../src/mcp/result.ts";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

// Fetch the pinned servers once before any start-up timeout runs.
await ensureCached();

function serversFor(
  mcpServers: Record<string, unknown>,
  seen: [string, JSONRPCMessage][] = [],
) {
  return new McpServers({
    servers: parseMcpServers(mcpServers, "test"),
    lookup: (name) => Deno.env.get(name),
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    cwd: Deno.cwd(),
    observe: () => (direction, message) => seen.push([direction, message]),
  });
}

for (const mode of ["stdio", "streamableHttp", "sse"] as const) {
  Deno.test(`McpServers.startAll() negotiates a protocol version and lists tools over ${mode}`, async () => {
    await using http = mode === "stdio"
      ? null
      : await startEverythingHttp(mode);
    const entry = http
      ? { type: mode === "sse" ? "sse" : "http", url: http.url }
      : everythingStdio();
    await using servers = serversFor({ everything: entry });
    assertEquals(await servers.startAll(), []);
    const [connection] = servers.connections;
    assertEquals(connection.state, "ready");
    assert(
      ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"].includes(
        connection.protocolVersion ?? "",
      ),
      `negotiated ${connection.protocolVersion}`,
    );
    const names = servers.catalog()[0].tools.map((t) => t.id);
    assert(names.includes("get_sum") && names.includes("echo"), String(names));
    const value = resultValue(
      await connection.call("get-structured-content", { location: "Chicago" }),
    );
    assertEquals(
      typeof (value as { temperature: number }).temperature,
      "number",
    );
  });
}

Deno.test("McpConnection.call() maps images to described objects and reports progress", async () => {
  await using servers = serversFor({ everything: everythingStdio() });
  await servers.startAll();
  const [connection] = servers.connections;
  const image = resultValue(await connection.call("get-tiny-image", {}));
  assert(Array.isArray(image));
  const item = image.find((i) => (i as { type: string }).type === "image") as {
    mimeType: string;
    bytes: number;
    data: string;
  };
  assertEquals(item.mimeType, "image/png");
  assert(item.bytes > 0 && item.data.length > 0);
  const progress: number[] = [];
  await connection.call("trigger-long-running-operation", {
    duration: 0.3,
    steps: 3,
  }, { onProgress: (p) => progress.push(p.progress) });
  // The server may write its last notification after the result (its
  // race); the ones before it arrive in order.
  assert(progress.length >= 1, "progress was reported");
  assertEquals(progress, [1, 2, 3].slice(0, progress.length));
});

Deno.test("McpConnection.call() tells the server a call was cancelled when its signal aborts", async () => {
  const seen: [string, JSONRPCMessage][] = [];
  await using servers = serversFor({ everything: everythingStdio() }, seen);
  await servers.startAll();
  const controller = new AbortController();
  await assertRejects(
    () =>
      servers.connections[0].call("trigger-long-running-operation", {
        duration: 60,
        steps: 60,
      }, {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    DOMException,
    "interrupted",
  );
  const cancelled = seen.find(([direction, message]) =>
    direction === "sent" &&
    (message as { method?: string }).method === "notifications/cancelled"
  );
  assert(cancelled, "notifications/cancelled was sent");
});

Deno.test("McpServers sends an entry's headers, with ${VAR} read from the environment", async () => {
  const got: string[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      got.push(request.headers.get("authorization") ?? "");
      return new Response("no", { status: 401 });
    },
  );
  try {
    const servers = new McpServers({
      servers: parseMcpServers({
        remote: {
          type: "http",
          url: `http://127.0.0.1:${server.addr.port}/mcp`,
          headers: { Authorization: "Bearer ${MCP_TEST_TOKEN}" },
        },
      }, "test"),
      lookup: (name) => name === "MCP_TEST_TOKEN" ? "t0k3n" : undefined,
      env: {},
      cwd: Deno.cwd(),
    });
    const [failure] = await servers.startAll();
    assertEquals(got[0], "Bearer t0k3n");
    assertStringIncludes(failure, 'MCP server "remote" failed to start');
    assertStringIncludes(failure, "asks for authorization (401)");
    assertStringIncludes(failure, "OAuth");
    await servers.close();
  } finally {
    await server.shutdown();
  }
});

Deno.test("McpServers.startAll() names a missing program in one line", async () => {
  await using servers = serversFor({
    gone: { command: "nanocode-test-no-such-program" },
  });
  assertEquals(await servers.startAll(), [
    'MCP server "gone" failed to start: the program nanocode-test-no-such-program was not found (is it installed and on PATH?)',
  ]);
  assertEquals(servers.connections[0].state, "failed");
});
