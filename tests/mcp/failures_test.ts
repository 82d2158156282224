/**
 * A broken or slow MCP server is one clear line, never a hung turn: a
 * server that crashes mid-call, one that never answers (at start-up or on
 * a call), and Ctrl-C during a long call.
 */

import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  alive,
  denoRunArgs,
  EVERYTHING,
  everythingStdio,
  processesWith,
} from "../helpers/mcp_servers.ts";
import { mcpAgent } from "./_agent.ts";

Deno.test("a server that crashes mid-call is an error the cell catches; the next call starts it again", async () => {
  await using fx = await mcpAgent({
    servers: (ws) => ({
      everything: {
        command: "bash",
        args: [
          "-c",
          `echo $$ > ${ws}/server.pid; exec "$0" "$@"`,
          Deno.execPath(),
          ...denoRunArgs(EVERYTHING, "stdio"),
        ],
      },
    }),
    cells: [
      [
        `try { mcp.everything.trigger_long_running_operation({ duration: 60, steps: 60 }) }`,
        `catch (e) { print("caught:", e.name, e.message) }`,
        `print(mcp.everything.echo({ message: "back" }))`,
      ].join("\n"),
      `SUBMIT("x")`,
    ],
  });
  // Kill the server once the long call has reported progress.
  let killed = false;
  const turn = fx.agent.forward("go", {
    onEvent: (event) => {
      if (event.type === "tool_progress" && !killed) {
        killed = true;
        const pid = Number(Deno.readTextFileSync(`${fx.ws.path}/server.pid`));
        Deno.kill(pid, "SIGKILL");
      }
    },
  });
  await turn;
  assert(killed, "the call reported progress");
  const seen = fx.observations()[1];
  assertStringIncludes(
    seen,
    'caught: McpError MCP server "everything" stopped during the call of trigger-long-running-operation',
  );
  assertStringIncludes(seen, "Echo: back");
});

Deno.test("a server that never answers at start-up is one line; the turn goes on without it", async () => {
  const token = `never-answers-${crypto.randomUUID()}`;
  await using fx = await mcpAgent({
    servers: () => ({
      silent: {
        command: Deno.execPath(),
        args: ["eval", `setInterval(() => {}, 1000) // ${token}`],
      },
      everything: everythingStdio(),
    }),
    mcpStartupTimeout: 5,
    cells: [
      `print(mcp_help())\nprint(mcp.everything.echo({ message: "works" }))`,
      `SUBMIT("x")`,
    ],
  });
  const result = await fx.agent.forward("go");
  assertEquals(result.answer, "x");
  const errors = fx.events.filter((e) => e.type === "error");
  assertEquals(errors.length, 1);
  assert(errors[0].type === "error" && !errors[0].fatal);
  assertEquals(
    errors[0].message,
    'MCP server "silent" did not start within 5 s (mcp_startup_timeout)',
  );
  const seen = fx.observations()[1];
  assertStringIncludes(seen, 'unavailable: MCP server "silent" did not start');
  assertStringIncludes(seen, "Echo: works");
  const system = fx.system();
  assertStringIncludes(
    system,
    '- unavailable: MCP server "silent" did not start',
  );
  assertEquals(await processesWith(token), [], "the silent server was killed");
});

Deno.test("a call that gets no answer within the tool timeout is an error; the turn goes on", async () => {
  await using fx = await mcpAgent({
    servers: () => ({ everything: everythingStdio() }),
    mcpToolTimeout: 1,
    cells: [
      [
        `try { mcp.everything.trigger_long_running_operation({ duration: 20, steps: 1 }) }`,
        `catch (e) { print("caught:", e.message) }`,
        `print(mcp.everything.echo({ message: "after" }))`,
      ].join("\n"),
      `SUBMIT("x")`,
    ],
  });
  await fx.agent.forward("go");
  const seen = fx.observations()[1];
  assertStringIncludes(
    seen,
    'caught: MCP server "everything" did not answer trigger-long-running-operation within 1 s (mcp_tool_timeout)',
  );
  assertStringIncludes(seen, "Echo: after");
});

Deno.test("Ctrl-C during a long MCP call ends the turn; progress was reported; the server stays usable", async () => {
  await using fx = await mcpAgent({
    servers: () => ({ everything: everythingStdio() }),
    cells: [
      `mcp.everything.trigger_long_running_operation({ duration: 120, steps: 120 })`,
      `print(mcp.everything.echo({ message: "next turn" }))`,
      `SUBMIT("x")`,
    ],
  });
  const controller = new AbortController();
  await assertRejects(
    () =>
      fx.agent.forward("long", {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === "tool_progress") controller.abort();
        },
      }),
    DOMException,
    "interrupted",
  );
  const progress = fx.events.find((e) => e.type === "tool_progress");
  assert(progress?.type === "tool_progress");
  assertEquals(progress.name, "mcp.everything.trigger_long_running_operation");
  assertEquals(progress.total, 120);
  const result = fx.events.find((e) => e.type === "tool_result");
  assert(result?.type === "tool_result" && !result.ok);
  assertStringIncludes(result.output, "interrupted");
  const again = await fx.agent.forward("again");
  assertEquals(again.answer, "x");
  assertStringIncludes(fx.observations().at(-1)!, "Echo: next turn");
});

Deno.test("closing the agent stops stdio servers and every process they started", async () => {
  // A duration no other process on the machine has.
  const seconds = `300.${String(Math.random()).slice(2, 10)}`;
  const fx = await mcpAgent({
    servers: () => ({
      everything: {
        command: "bash",
        args: [
          "-c",
          `sleep ${seconds} & exec "$0" "$@"`,
          Deno.execPath(),
          ...denoRunArgs(EVERYTHING, "stdio"),
        ],
      },
    }),
    cells: [`print(mcp.everything.echo({ message: "up" }))`, `SUBMIT("x")`],
  });
  await fx.agent.forward("go");
  const sleepers = await processesWith(`sleep\u0000${seconds}`);
  assert(sleepers.length > 0, "the server's child is running");
  await fx[Symbol.asyncDispose]();
  for (const pid of sleepers) {
    assertEquals(
      await alive(pid),
      false,
      `process ${pid} outlived the session`,
    );
  }
});

Deno.test("Ctrl-C while a slow server starts ends the turn without waiting for its start-up timeout", async () => {
  await using fx = await mcpAgent({
    servers: () => ({
      silent: {
        command: Deno.execPath(),
        args: ["eval", "setInterval(() => {}, 1000)"],
      },
    }),
    mcpStartupTimeout: 60,
    cells: [`SUBMIT("x")`],
  });
  const controller = new AbortController();
  const turn = fx.agent.forward("go", { signal: controller.signal });
  setTimeout(() => controller.abort(), 200);
  await assertRejects(() => turn, DOMException, "interrupted");
  // The model was never asked: the turn ended while the server was starting.
  assertEquals(
    fx.server.requests.filter((r) => r.path.endsWith("/chat/completions"))
      .length,
    0,
  );
});
