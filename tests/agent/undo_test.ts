import { assertEquals } from "../helpers/assert.ts";
import { CodingAgent } from "../../src/agent/coding_agent.ts";
import { type LmServer, startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { type TempDir, tempDir } from "../helpers/temp.ts";

/** An agent in `ws` for `session`, driven by a scripted model. */
function agentFor(
  ws: TempDir,
  home: TempDir,
  server: LmServer,
  sessionId?: string,
): CodingAgent {
  const env: Record<string, string> = {
    HOME: home.path,
    OPENAI_API_KEY: "test",
  };
  return new CodingAgent({
    workspace: ws.path,
    config: {
      lm: "openai/main-model",
      sub_lm: "openai/sub-model",
      api_base: server.url,
      permission_mode: "yolo",
    },
    env: (name) => env[name],
    commandEnv: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: home.path,
    },
    snapshotsDir: `${home.path}/.snapshots`,
    sessionId,
  });
}

Deno.test("CodingAgent.undo() undoes only its own session's turns, even when another session's turn came later", async () => {
  await using ws = await tempDir({ "a.txt": "a0\n", "b.txt": "b0\n" });
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("print(run_bash('echo one > a.txt'))"),
    cell("SUBMIT('first')"),
    cell("read_file('b.txt')\nprint(write_file('b.txt', 'two\\n'))"),
    cell("SUBMIT('second')"),
  ]));
  await using first = agentFor(ws, home, server, "first");
  await first.forward("change a");
  await using second = agentFor(ws, home, server);
  assertEquals(await second.planUndo(), null);
  await second.forward("change b");

  const plan = await first.planUndo();
  assertEquals(plan?.task, "change a");
  assertEquals(plan?.restore, ["a.txt"]);
  assertEquals(plan?.conflicts, []);
  assertEquals((await first.undo({ plan: plan! }))?.restored, ["a.txt"]);
  assertEquals(await ws.read("a.txt"), "a0\n");
  assertEquals(await ws.read("b.txt"), "two\n");
  assertEquals((await second.undo())?.restored, ["b.txt"]);
  assertEquals(await ws.read("b.txt"), "b0\n");
});

Deno.test("CodingAgent: a file the user edits after a turn is kept by undo, and redo puts the turn back", async () => {
  await using ws = await tempDir({ "a.txt": "a0\n", "b.txt": "b0\n" });
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell(
      "read_file('a.txt')\nprint(write_file('a.txt', 'a1\\n'))\nprint(run_bash('echo b1 > b.txt && echo c1 > c.txt'))",
    ),
    cell("SUBMIT('done')"),
  ]));
  await using agent = agentFor(ws, home, server, "s");
  await agent.forward("change things");
  await Deno.writeTextFile(ws.file("b.txt"), "b by hand\n");
  const result = await agent.undo();
  assertEquals(result?.restored, ["a.txt"]);
  assertEquals(result?.removed, ["c.txt"]);
  assertEquals(result?.kept, ["b.txt"]);
  assertEquals(await ws.read("b.txt"), "b by hand\n");
  const redone = await agent.redo();
  assertEquals(redone?.restored, ["a.txt", "c.txt"]);
  assertEquals(await ws.read("a.txt"), "a1\n");
  assertEquals(await ws.read("b.txt"), "b by hand\n");
});

Deno.test("CodingAgent.resume() with a session id undoes that session's turns from a new agent", async () => {
  await using ws = await tempDir({ "a.txt": "a0\n" });
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("read_file('a.txt')\nprint(write_file('a.txt', 'a1\\n'))"),
    cell("SUBMIT('done')"),
  ]));
  {
    await using agent = agentFor(ws, home, server, "20261124-101010-abcd");
    await agent.forward("change a");
  }
  await using later = agentFor(ws, home, server);
  assertEquals(await later.planUndo(), null);
  await later.resume(
    [{ user: "change a", answer: "done" }],
    "20261124-101010-abcd",
  );
  assertEquals((await later.undo())?.restored, ["a.txt"]);
  assertEquals(await ws.read("a.txt"), "a0\n");
});
