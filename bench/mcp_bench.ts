/**
 * MCP benchmarks (issue 13): prompt tokens with 3 servers and 60 tools
 * against the same tools as JSON tool definitions; tokens through the
 * model for a task that copies a 50 KB tool result into another tool;
 * cold start of a stdio server on first use and per-call time, each
 * against a direct SDK client on the same server.
 *
 * @module
 */

import { countTokens } from "gpt-tokenizer";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { CodingAgent } from "../src/agent/coding_agent.ts";
import { parseMcpServers } from "../src/mcp/config.ts";
import { McpServers } from "../src/mcp/servers.ts";
import { type Figure, median } from "./lib.ts";
import { relayFloor } from "./relay_floor.ts";
import { startLmServer } from "../tests/helpers/lm_server.ts";
import { cell, routeByModel } from "../tests/helpers/script.ts";
import {
  denoRunArgs,
  ensureCached,
  EVERYTHING,
  FILESYSTEM,
} from "../tests/helpers/mcp_servers.ts";

const TRACKER = new URL("./fixtures/tracker_server.ts", import.meta.url)
  .pathname;

function servers(workspace: string): Record<string, unknown> {
  return {
    everything: {
      command: Deno.execPath(),
      args: denoRunArgs(EVERYTHING, "stdio"),
    },
    fs: {
      command: Deno.execPath(),
      args: denoRunArgs(FILESYSTEM, workspace),
    },
    tracker: { command: Deno.execPath(), args: denoRunArgs(TRACKER) },
  };
}

async function withAgent<T>(
  mcpServers: (ws: string) => Record<string, unknown> | undefined,
  cells: string[],
  files: Record<string, string>,
  fn: (
    agent: CodingAgent,
    server: Awaited<ReturnType<typeof startLmServer>>,
    ws: string,
  ) => Promise<T>,
): Promise<T> {
  const ws = await Deno.makeTempDir();
  for (const [path, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${ws}/${path}`, text);
  }
  const server = await startLmServer(routeByModel(cells.map((c) => cell(c))));
  const agent = new CodingAgent({
    workspace: ws,
    config: {
      lm: "openai/main-model",
      api_base: server.url,
      permission_mode: "yolo",
    },
    env: (name) => name === "OPENAI_API_KEY" ? "k" : Deno.env.get(name),
    snapshotsDir: null,
    mcpServers: mcpServers(ws),
  });
  try {
    return await fn(agent, server, ws);
  } finally {
    await agent.close();
    await server.close();
    await Deno.remove(ws, { recursive: true });
  }
}

function requestTokens(
  requests: { body: { messages?: { content: string }[] } }[],
): number {
  return requests.reduce(
    (sum, r) =>
      sum +
      countTokens((r.body.messages ?? []).map((m) => m.content).join("\n")),
    0,
  );
}

/** Prompt tokens of the MCP part of the first request vs JSON tool definitions. */
async function promptFigures(): Promise<Figure[]> {
  const ws = await Deno.makeTempDir();
  const entries = parseMcpServers(servers(ws), "bench");
  await using all = new McpServers({
    servers: entries,
    lookup: () => undefined,
    env: { PATH: Deno.env.get("PATH") ?? "" },
    cwd: ws,
  });
  const failures = await all.startAll();
  if (failures.length) throw new Error(failures.join("; "));
  const tools = all.connections.flatMap((c) => c.tools);
  const asJson = tools.map((t) => ({
    type: "function",
    function: {
      name: t.name,
      description: t.description,
      parameters: t.inputSchema,
    },
  }));
  const jsonTokens = countTokens(JSON.stringify(asJson));
  const first = (mcpServers?: Record<string, unknown>) =>
    withAgent(() => mcpServers, ["SUBMIT('x')"], {}, async (agent, server) => {
      await agent.forward("hi");
      return requestTokens(
        server.requests.filter((r) => r.path.endsWith("/chat/completions"))
          .slice(0, 1),
      );
    });
  const without = await first(undefined);
  const withServers = await first(servers(ws));
  await Deno.remove(ws, { recursive: true });
  console.error(
    `  ${all.connections.length} servers, ${tools.length} tools; first request ${without} -> ${withServers} tokens`,
  );
  return [{
    name: `prompt tokens for ${tools.length} MCP tools (3 servers)`,
    value: withServers - without,
    baseline: jsonTokens,
    baselineName: "as JSON tool definitions",
    unit: "tokens",
    limit: 0.1,
  }];
}

/** Tokens through the model to copy a 50 KB result from one tool into another. */
async function copyFigures(): Promise<Figure[]> {
  const big = Array.from(
    { length: 1000 },
    (_, i) => `line ${i}: ${"lorem ipsum dolor sit amet ".repeat(2)}`,
  ).join("\n").slice(0, 50_000);
  const cells = [
    [
      `const source = mcp.fs.read_text_file({ path: "big.txt" })`,
      `print(mcp.fs.write_file({ path: "copy.txt", content: source.content }))`,
      `print(source.content.length)`,
    ].join("\n"),
    `SUBMIT("copied")`,
  ];
  return await withAgent(
    (ws) => ({ fs: servers(ws).fs }),
    cells,
    { "big.txt": big },
    async (agent, server, ws) => {
      await agent.forward("copy big.txt to copy.txt");
      const copied = await Deno.readTextFile(`${ws}/copy.txt`);
      if (copied !== big) throw new Error("the copy differs");
      const sent = JSON.stringify(server.requests.map((r) => r.body));
      if (sent.includes(big.slice(20_000, 20_200))) {
        throw new Error("the 50 KB result entered the context");
      }
      const through = requestTokens(server.requests) +
        cells.reduce((n, c) => n + countTokens(c), 0);
      // A JSON tool-calling agent carries the text at least twice: the
      // read's result into the context, the write's argument out of the model.
      const baseline = 2 * countTokens(big) + through;
      console.error(
        `  50 KB = ${
          countTokens(big)
        } tokens; the turn sent ${through} tokens through the model; the text never entered the context`,
      );
      return [{
        name: "tokens through the model, 50 KB copy",
        value: through,
        baseline,
        baselineName: "JSON tool calling (2x the text + the same turn)",
        unit: "tokens",
        limit: 0.2,
      }];
    },
  );
}

async function directClient(): Promise<Client> {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(
    new StdioClientTransport({
      command: Deno.execPath(),
      args: denoRunArgs(EVERYTHING, "stdio"),
      stderr: "ignore",
    }),
  );
  return client;
}

/** Cold start on first use and per-call time, against a direct SDK client. */
async function callFigures(): Promise<Figure[]> {
  const cold: number[] = [];
  const coldDirect: number[] = [];
  for (let i = 0; i < 3; i++) {
    let start = performance.now();
    const client = await directClient();
    await client.listTools();
    await client.callTool({ name: "echo", arguments: { message: "x" } });
    coldDirect.push(performance.now() - start);
    await client.close();
    start = performance.now();
    await using mine = new McpServers({
      servers: parseMcpServers({
        everything: {
          command: Deno.execPath(),
          args: denoRunArgs(EVERYTHING, "stdio"),
        },
      }, "bench"),
      lookup: () => undefined,
      env: { PATH: Deno.env.get("PATH") ?? "" },
      cwd: Deno.cwd(),
    });
    await mine.startAll();
    await mine.connections[0].call("echo", { message: "x" });
    cold.push(performance.now() - start);
  }
  const perCall = await perCallFigures();
  return [
    {
      name: "cold start of a stdio server + first call",
      value: median(cold),
      baseline: median(coldDirect),
      baselineName: "direct SDK client",
      unit: "ms",
      limit: 1.5,
    },
    ...perCall,
  ];
}

/** Calls per block, and blocks of each kind, alternated. */
const CALLS = 200;
const ROUNDS = 7;

/**
 * Per-call time from a cell against a direct SDK client on a server of
 * its own, in alternating blocks (a cell's calls, then the direct
 * client's, ROUNDS times), so a machine whose speed drifts weighs on both
 * alike; medians of the blocks. The same cells time a no-op host function
 * (`mcp_help`): the REPL's own round trip, which together with a direct
 * call is the floor of an MCP call from a cell. Direct calls made each
 * after a 1 ms pause are printed beside them: the agent waits idle while
 * the REPL does its part, and a call from an idle process costs more than
 * one of a tight loop.
 */
async function perCallFigures(): Promise<Figure[]> {
  const time = (expr: string, tag: string) =>
    `{ const t0 = performance.now(); for (let i = 0; i < ${CALLS}; i++) ${expr}; print("${tag}", (performance.now() - t0) / ${CALLS}) }`;
  const round = [
    time(`mcp.everything.echo({ message: "m" + i })`, "call"),
    time(`mcp_help("everything.echo")`, "noop"),
  ].join("\n");
  const cells = [`mcp.everything.echo({ message: "warm" })`, `SUBMIT("x")`];
  for (let r = 0; r < ROUNDS; r++) cells.push(round, `SUBMIT("x")`);
  const client = await directClient();
  const blocks: Record<"call" | "noop" | "direct" | "idle", number[]> = {
    call: [],
    noop: [],
    direct: [],
    idle: [],
  };
  await withAgent(
    () => ({
      everything: {
        command: Deno.execPath(),
        args: denoRunArgs(EVERYTHING, "stdio"),
      },
    }),
    cells,
    {},
    async (agent) => {
      await agent.forward("warm up");
      for (let r = 0; r < ROUNDS; r++) {
        await agent.forward("loop", {
          onEvent: (e) => {
            if (e.type !== "cell_output") return;
            for (
              const [, tag, ms] of e.text.matchAll(/(call|noop) ([\d.]+)/g)
            ) {
              blocks[tag as "call" | "noop"].push(Number(ms));
            }
          },
        });
        const start = performance.now();
        for (let i = 0; i < CALLS; i++) {
          await client.callTool({
            name: "echo",
            arguments: { message: `m${i}` },
          });
        }
        blocks.direct.push((performance.now() - start) / CALLS);
        // The same calls, each after the client sat idle for a moment, as
        // the agent does while a cell runs: waking an idle process costs.
        let idle = 0;
        for (let i = 0; i < CALLS; i++) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          const at = performance.now();
          await client.callTool({
            name: "echo",
            arguments: { message: `m${i}` },
          });
          idle += performance.now() - at;
        }
        blocks.idle.push(idle / CALLS);
      }
    },
  );
  await client.close();
  const [call, noop, direct, idle] = [
    blocks.call,
    blocks.noop,
    blocks.direct,
    blocks.idle,
  ].map(median);
  console.error(
    `  per call: ${call.toFixed(3)} ms from a cell, ${
      direct.toFixed(3)
    } ms direct (${idle.toFixed(3)} ms direct after 1 ms idle), ${
      noop.toFixed(3)
    } ms for a no-op host call from a cell`,
  );
  // What Deno alone costs for the REPL's part of the path (see
  // relay_floor.ts): with a direct call, the least an MCP call from a cell
  // could cost with the cell in a worker of a process of its own.
  const floor = await relayFloor();
  console.error(
    `  bare relay of the host call's path (Deno alone): ${
      floor.relay.toFixed(3)
    } ms; bare relay + direct call ${(floor.relay + direct).toFixed(3)} ms = ${
      ((floor.relay + direct) / direct).toFixed(2)
    }x direct`,
  );
  return [
    {
      name: "per MCP call from a REPL cell",
      value: call,
      baseline: direct,
      baselineName: "direct SDK callTool",
      unit: "ms",
      limit: 1.5,
    },
    {
      name: "per MCP call from a REPL cell, against its floor",
      value: call,
      baseline: direct + noop,
      baselineName: "direct SDK callTool + a no-op host call from a cell",
      unit: "ms",
      limit: 1.2,
    },
  ];
}

/**
 * Runs the MCP benchmarks.
 *
 * @example
 * ```ts ignore
 * console.log(await mcpBench());
 * ```
 */
export async function mcpBench(): Promise<Figure[]> {
  await ensureCached();
  return [
    ...await promptFigures(),
    ...await copyFigures(),
    ...await callFigures(),
  ];
}
