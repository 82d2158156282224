/**
 * Plan mode is read-only for MCP tools too: a tool its server does not
 * mark read-only may change the world (create an issue, send a message),
 * so plan mode refuses it, whatever an allow rule or a "don't ask again"
 * says; read-only tools still answer.
 */

import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { everythingStdio } from "../helpers/mcp_servers.ts";
import { mcpAgent } from "../mcp/_agent.ts";
import { ScriptedApprover } from "./_harness.ts";

Deno.test("hostile: plan mode refuses an MCP tool that is not read-only, even with an allow rule", async () => {
  const approver = new ScriptedApprover(["yes", "yes", "yes"]);
  await using fx = await mcpAgent({
    servers: () => ({ everything: everythingStdio() }),
    mode: "plan",
    approver,
    permissions: { allow: ["mcp(everything.*)"] },
    cells: [
      [
        `try { print(mcp.everything.toggle_simulated_logging()) } catch (e) { print(e.name, e.message) }`,
        `print(mcp.everything.echo({ message: "still readable" }))`,
      ].join("\n"),
      `SUBMIT("planned")`,
    ],
  });
  await fx.agent.forward("plan the change");
  const seen = fx.observations()[1];
  assertStringIncludes(seen, "plan mode is read-only");
  assertStringIncludes(seen, "Echo: still readable");
  const toggled = fx.events.filter((e) =>
    e.type === "tool_result" && e.name.includes("toggle") && e.ok
  );
  assertEquals(toggled.length, 0);
  assertEquals(approver.asked.length, 0);
});

Deno.test("hostile: plan mode refuses an MCP tool that is not read-only without asking", async () => {
  const approver = new ScriptedApprover(["yes", "yes"]);
  await using fx = await mcpAgent({
    servers: () => ({ everything: everythingStdio() }),
    mode: "plan",
    approver,
    cells: [
      `try { print(mcp.everything.toggle_simulated_logging()) } catch (e) { print(e.name, e.message) }`,
      `SUBMIT("planned")`,
    ],
  });
  await fx.agent.forward("plan the change");
  assertStringIncludes(fx.observations()[1], "plan mode is read-only");
  assertEquals(approver.asked.length, 0);
});
