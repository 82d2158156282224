import { assertEquals } from "../helpers/assert.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { testAgent } from "./_agent.ts";

Deno.test("CodingAgent.warmUp() prepares the model client, tools and sandbox without sending the model server anything", async () => {
  await using repo = await tempDir({ "a.txt": "alpha\n" });
  await using server = await startLmServer([
    cell("const text = read_file('a.txt')\nprint(text.trim())"),
    cell("SUBMIT(_out[1].trim())"),
  ]);
  await using agent = testAgent(server.url, repo.path);
  await agent.warmUp();
  // Interactive mode warms up while the user types: nothing may reach the
  // server before there is a task.
  assertEquals(server.requests.length, 0);

  const result = await agent.forward("What does a.txt say?");
  assertEquals(result.answer, "1| alpha");
  assertEquals(result.trajectory[0].observation, "1| alpha");
  assertEquals(
    server.requests.map((r) => `${r.method} ${r.path}`),
    [
      "GET /v1/models",
      "POST /v1/chat/completions",
      "POST /v1/chat/completions",
    ],
  );
});
