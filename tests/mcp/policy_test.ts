/**
 * MCP calls go through the same policy as every tool: asked in `ask`
 * mode (server, tool and arguments shown), refused headless, named by
 * allow and deny rules, read-only tools allowed by a setting, run in yolo.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { everythingStdio } from "../helpers/mcp_servers.ts";
import { ScriptedApprover } from "../hostile/_harness.ts";
import { mcpAgent } from "./_agent.ts";

const servers = () => ({ everything: everythingStdio() });

Deno.test("an MCP call asks in ask mode, showing server, tool and arguments; no is an error the cell catches", async () => {
  const approver = new ScriptedApprover(["no", "yes"]);
  await using fx = await mcpAgent({
    servers,
    mode: "ask",
    approver,
    cells: [
      `try { mcp.everything.echo({ message: "first" }) } catch (e) { print(e.name, e.message) }`,
      `print(mcp.everything.echo({ message: "second" }))`,
      `SUBMIT("done")`,
    ],
  });
  await fx.agent.forward("echo twice");
  assertEquals(approver.asked.length, 2);
  assertEquals(approver.asked[0].tool, "mcp");
  assertEquals(approver.asked[0].action, "call");
  assertEquals(approver.asked[0].subject, "everything.echo");
  assertEquals(JSON.parse(approver.asked[0].args!), { message: "first" });
  const seen = fx.observations();
  assertStringIncludes(
    seen[1],
    'PermissionError Not allowed: the user declined mcp("everything.echo")',
  );
  assertStringIncludes(seen[2], "Echo: second");
});

Deno.test("headless, an MCP call that would ask is refused with the way to allow it", async () => {
  await using fx = await mcpAgent({
    servers,
    mode: "ask",
    cells: [`print(mcp.everything.echo({ message: "hi" }))`, `SUBMIT("x")`],
  });
  await fx.agent.forward("echo");
  const seen = fx.observations()[1];
  assertStringIncludes(
    seen,
    'Not allowed: mcp("everything.echo") needs approval (MCP tools ask in ask mode), and nanocode is running without a terminal to ask',
  );
  assert(!seen.includes("Echo: hi"));
});

Deno.test("a deny rule mcp(server.pattern) refuses the call even in yolo; other tools run", async () => {
  await using fx = await mcpAgent({
    servers,
    mode: "yolo",
    permissions: { deny: ["mcp(everything.get-*)"] },
    cells: [
      `try { mcp.everything.get_sum({ a: 1, b: 2 }) } catch (e) { print(e.message) }\nprint(mcp.everything.echo({ message: "still here" }))`,
      `SUBMIT("x")`,
    ],
  });
  await fx.agent.forward("sum");
  const seen = fx.observations()[1];
  assertStringIncludes(
    seen,
    'Permission denied: mcp("everything.get-sum") is not allowed (denied by rule mcp(everything.get-*))',
  );
  assertStringIncludes(seen, "Echo: still here");
});

Deno.test("an allow rule runs a tool without asking; mcp_allow_read_only runs read-only tools, others still ask", async () => {
  const approver = new ScriptedApprover([]);
  await using fx = await mcpAgent({
    servers,
    mode: "ask",
    approver,
    permissions: { allow: ["mcp(everything.get_sum)"] },
    mcpAllowReadOnly: true,
    cells: [
      [
        `print(mcp.everything.get_sum({ a: 2, b: 3 }))`,
        `print(mcp.everything.echo({ message: "read-only" }))`,
        `try { mcp.everything.toggle_simulated_logging() } catch (e) { print(e.name) }`,
      ].join("\n"),
      `SUBMIT("x")`,
    ],
  });
  await fx.agent.forward("go");
  const seen = fx.observations()[1];
  assertStringIncludes(seen, "The sum of 2 and 3 is 5.");
  assertStringIncludes(seen, "Echo: read-only");
  assertStringIncludes(seen, "PermissionError");
  assertEquals(approver.asked.map((r) => r.subject), [
    "everything.toggle-simulated-logging",
  ]);
});

Deno.test("an MCP call is journaled as a tool_call event with its arguments before it runs", async () => {
  await using fx = await mcpAgent({
    servers,
    cells: [`mcp.everything.echo({ message: "logged" })`, `SUBMIT("x")`],
  });
  await fx.agent.forward("go");
  const call = fx.events.find((e) => e.type === "tool_call");
  const result = fx.events.find((e) => e.type === "tool_result");
  assert(call?.type === "tool_call" && result?.type === "tool_result");
  assertEquals(call.name, "mcp.everything.echo");
  assertEquals(call.args, [{ message: "logged" }]);
  assertEquals(result.ok, true);
  assertStringIncludes(result.output, "Echo: logged");
  assert(fx.events.indexOf(call) < fx.events.indexOf(result));
});

Deno.test("a stdio server starts with the scrubbed environment plus its entry's env", async () => {
  const entry = { ...everythingStdio(), env: { FROM_ENTRY: "entry-value" } };
  await using fx = await mcpAgent({
    servers: () => ({ everything: entry }),
    commandEnv: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        `${Deno.env.get("HOME")}/.cache/deno`,
      GITHUB_TOKEN: "ghp_secret_value_1234567890",
      PLAIN_SETTING: "plain-value",
    },
    cells: [`print(mcp.everything.get_env())`, `SUBMIT("x")`],
  });
  await fx.agent.forward("env");
  const seen = fx.observations()[1];
  assertStringIncludes(seen, "entry-value");
  assertStringIncludes(seen, "plain-value");
  assert(!seen.includes("ghp_secret_value"), "the token was scrubbed");
});
