/**
 * `nanocode mcp add|list|get|call|remove` on real servers.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import {
  denoRunArgs,
  ensureCached,
  EVERYTHING,
  startEverythingHttp,
} from "../helpers/mcp_servers.ts";
import { tempDir } from "../helpers/temp.ts";

// Fetch the pinned servers once before any start-up timeout runs.
await ensureCached();

Deno.test("nanocode mcp add, list, get, call and remove manage a stdio server in the user config", async () => {
  await using home = await tempDir();
  await using repo = await tempDir();
  const run = (...args: string[]) =>
    runCli(["mcp", ...args], { cwd: repo.path, home: home.path });
  const added = await run(
    "add",
    "everything",
    "--",
    Deno.execPath(),
    ...denoRunArgs(EVERYTHING, "stdio"),
  );
  assertEquals(added.code, 0, added.stderr);
  assertStringIncludes(added.stdout, "Added MCP server everything in");
  const config = JSON.parse(
    await Deno.readTextFile(`${home.path}/.config/nanocode/config.json`),
  );
  assertEquals(config.mcpServers.everything.command, Deno.execPath());

  const listed = await run("list");
  assertEquals(listed.code, 0, listed.stderr);
  assertStringIncludes(listed.stdout, "everything: ");
  assertStringIncludes(listed.stdout, "✓ connected, 13 tools");

  const got = await run("get", "everything");
  assertEquals(got.code, 0, got.stderr);
  assertStringIncludes(got.stdout, "Status: ✓ connected (protocol 2025-11-25)");
  assertStringIncludes(got.stdout, "- mcp.everything.get_sum:");

  const called = await run("call", "everything", "get-sum", '{"a":40,"b":2}');
  assertEquals(called.code, 0, called.stderr);
  assertStringIncludes(called.stdout, "The sum of 40 and 2 is 42.");

  const removed = await run("remove", "everything");
  assertEquals(removed.code, 0, removed.stderr);
  const after = JSON.parse(
    await Deno.readTextFile(`${home.path}/.config/nanocode/config.json`),
  );
  assertEquals(after.mcpServers, {});
});

Deno.test("nanocode mcp add --scope project writes .mcp.json; call reaches a URL; a tool error exits 1", async () => {
  await using home = await tempDir();
  await using repo = await tempDir();
  await using http = await startEverythingHttp("streamableHttp");
  const run = (...args: string[]) =>
    runCli(["mcp", ...args], { cwd: repo.path, home: home.path });
  const added = await run(
    "add",
    "--scope",
    "project",
    "--transport",
    "http",
    "-H",
    "X-Team: core",
    "remote",
    http.url,
  );
  assertEquals(added.code, 0, added.stderr);
  const file = JSON.parse(await Deno.readTextFile(`${repo.path}/.mcp.json`));
  assertEquals(file.mcpServers.remote, {
    type: "http",
    url: http.url,
    headers: { "X-Team": "core" },
  });
  // The project's file is not trusted: list says so and starts nothing.
  const listed = await run("list");
  assertStringIncludes(listed.stdout, "remote: not started (");
  assertStringIncludes(listed.stdout, "is not trusted");

  const tools = await run("call", http.url);
  assertEquals(tools.code, 0, tools.stderr);
  assertStringIncludes(tools.stdout, "get-sum: ");
  const structured = await run(
    "call",
    "--tool",
    "get-structured-content",
    "--args",
    '{"location":"Chicago"}',
    http.url,
  );
  assertEquals(structured.code, 0, structured.stderr);
  assert("temperature" in JSON.parse(structured.stdout));
  const bad = await run("call", http.url, "get-sum", '{"a":"x"}');
  assertEquals(bad.code, 1);
  assertStringIncludes(bad.stderr, "nanocode: ");
  const usage = await run("frobnicate");
  assertEquals(usage.code, 2);
  assertStringIncludes(usage.stderr, "nanocode mcp add");
});
