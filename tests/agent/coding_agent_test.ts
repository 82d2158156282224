import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
  SUB_MODEL,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { testAgent } from "./_agent.ts";
import type { RlmEvent } from "../../src/rlm/events.ts";
import type { CodingAgentOptions } from "../../src/agent/types.ts";

const REPO = {
  "src/math.ts":
    "export function add(a: number, b: number): number {\n  return a - b;\n}\n",
  "src/main.ts": 'import { add } from "./math.ts";\nconsole.log(add(2, 3));\n',
  "README.md": "# demo\n",
  ".gitignore": "dist/\n",
  "dist/out.js": "ignored\n",
};

function agentFor(
  url: string,
  workspace: string,
  config: Record<string, unknown> = {},
  options: Partial<CodingAgentOptions> = {},
) {
  return testAgent(url, workspace, { ...options, config });
}

Deno.test("CodingAgent.forward() does an end-to-end turn on a real repository", async () => {
  await using repo = await tempDir(REPO);
  const script = [
    cell("print(glob_files('**/*.ts'))"),
    cell("print(grep_files('return a', 'src'))"),
    cell("print(read_file('src/math.ts'))"),
    cell("print(edit_file('src/math.ts', 'return a - b;', 'return a + b;'))"),
    cell("print(run_bash('cat src/math.ts | grep return; echo done'))"),
    cell(
      "const review = llm_query('Is this right? ' + read_file('src/math.ts'))\n" +
        "const votes = llm_query_batched(['a', 'b'])\nprint(review, votes.length)",
    ),
    cell("SUBMIT('Fixed `add` in src/math.ts: it now returns a + b.')"),
  ];
  await using server = await startLmServer(
    routeByModel(
      script,
      (p) => ({ text: p.startsWith("Is this") ? "Yes." : `ok ${p}` }),
    ),
  );
  await using agent = agentFor(server.url, repo.path);
  const events: RlmEvent[] = [];
  const result = await agent.forward("Fix the add function.", {
    onEvent: (e) => events.push(e),
  });

  assertEquals(
    result.answer,
    "Fixed `add` in src/math.ts: it now returns a + b.",
  );
  assertEquals(
    await repo.read("src/math.ts"),
    "export function add(a: number, b: number): number {\n  return a + b;\n}\n",
  );

  const observations = result.trajectory.map((s) => s.observation);
  assertEquals(observations[0].split("\n").sort(), [
    "src/main.ts",
    "src/math.ts",
  ]);
  assertEquals(observations[1], "src/math.ts:2:  return a - b;");
  assertEquals(
    observations[2],
    "   1| export function add(a: number, b: number): number {\n   2|   return a - b;\n   3| }",
  );
  assertEquals(observations[3], "ok: replaced 1 occurrence in src/math.ts");
  assertEquals(observations[4], "  return a + b;\ndone\n[exit code 0]");
  assertEquals(observations[5], "Yes. 2");
  assertEquals(observations[6], "(submitted)");

  // Every request of the turn extends the previous one without rewriting it.
  const mains = requestsOf(server.requests, MAIN_MODEL).map(messagesOf);
  assertEquals(mains.length, 7);
  for (let i = 1; i < mains.length; i++) {
    assertEquals(
      mains[i].slice(0, mains[i - 1].length),
      mains[i - 1],
      `request ${i + 1} rewrote earlier messages`,
    );
    assertEquals(mains[i].length, mains[i - 1].length + 2);
  }
  assertStringIncludes(mains[0][1].content, "Fix the add function.");
  const subs = requestsOf(server.requests, SUB_MODEL);
  assertEquals(subs.length, 3);
  assertStringIncludes(messagesOf(subs[0])[0].content, "return a + b;");

  const tools = events.filter((e) => e.type === "tool_call").map((e) =>
    e.type === "tool_call" && e.name
  );
  assertEquals(tools, [
    "glob_files",
    "grep_files",
    "read_file",
    "edit_file",
    "run_bash",
    "read_file",
  ]);
  assertEquals(result.usage.lmCalls, 7);
  assertEquals(result.usage.subLmCalls, 3);
});

Deno.test("CodingAgent.forward() gives the second turn the first turn's request, answer and variables when keeping a conversation", async () => {
  await using repo = await tempDir({ "a.txt": "alpha\n" });
  await using server = await startLmServer(routeByModel([
    cell("const first = read_file('a.txt')\nSUBMIT('It says alpha.')"),
    cell("print(JSON.stringify(history), first.length)"),
    cell("SUBMIT(history[0].answer + ' Again.')"),
  ]));
  await using agent = agentFor(server.url, repo.path, {}, {
    conversation: true,
  });
  await agent.forward("What does a.txt say?");
  const second = await agent.forward("Say it again.");
  assertEquals(second.answer, "It says alpha. Again.");
  assertEquals(
    second.trajectory[0].observation,
    '[{"user":"What does a.txt say?","answer":"It says alpha."}] 11',
  );
  const secondFirstRequest = messagesOf(
    requestsOf(server.requests, MAIN_MODEL)[1],
  );
  assertStringIncludes(secondFirstRequest[1].content, "What does a.txt say?");
  assertStringIncludes(secondFirstRequest[1].content, "It says alpha.");
  assertEquals(agent.history, [
    { user: "What does a.txt say?", answer: "It says alpha." },
    { user: "Say it again.", answer: "It says alpha. Again." },
  ]);
});

Deno.test("CodingAgent.forward() answers an empty task without calling the model", async () => {
  await using server = await startLmServer([]);
  await using agent = agentFor(server.url, Deno.cwd());
  assertEquals((await agent.forward("   ")).answer, "No Task Given.");
  assertEquals(server.requests.length, 0);
});

Deno.test("CodingAgent.forward() extracts an answer when max_iters runs out", async () => {
  await using server = await startLmServer(routeByModel([
    cell("print(1)"),
    {
      text:
        "[[ ## answer ## ]]\nOut of steps, but here is what I found.\n\n[[ ## completed ## ]]",
    },
  ]));
  await using agent = agentFor(server.url, Deno.cwd(), { max_iters: 1 });
  const result = await agent.forward("Do a long thing.");
  assertEquals(result.answer, "Out of steps, but here is what I found.");
  assert(result.extracted);
});

Deno.test("CodingAgent.forward() lets a failing tool become an observation", async () => {
  await using repo = await tempDir({});
  await using server = await startLmServer(routeByModel([
    cell("read_file('missing.ts')"),
    cell(
      "try { edit_file('nope.ts', 'a', 'b') } catch (e) { print(e.message) }",
    ),
    cell("SUBMIT('done')"),
  ]));
  await using agent = agentFor(server.url, repo.path);
  const result = await agent.forward("Read a missing file.");
  assertEquals(
    result.trajectory[0].observation,
    'Error: Cannot read "missing.ts": no such file (line 1)',
  );
  assertEquals(
    result.trajectory[1].observation,
    'Cannot edit file "nope.ts": no such file; use write_file to create it',
  );
  assertEquals(result.answer, "done");
});

Deno.test("CodingAgent tools can be listed, added and removed, and the prompt follows", async () => {
  await using repo = await tempDir({});
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT(shout('hi') + typeof run_bash)"),
  ]));
  await using agent = agentFor(server.url, repo.path);
  assertEquals(Object.keys(agent.getTools()), [
    "read_file",
    "write_file",
    "edit_file",
    "glob_files",
    "grep_files",
    "run_bash",
  ]);
  agent.setTool(
    "shout",
    (text: string) => text.toUpperCase(),
    "shout(text): the text in capitals",
  );
  agent.removeTool("run_bash");
  assertStringIncludes(
    agent.systemPrompt(),
    "- shout(text): the text in capitals",
  );
  assert(!agent.systemPrompt().includes("run_bash(cmd"));
  const result = await agent.forward("Shout.");
  assertEquals(result.answer, "HIundefined");
});

Deno.test("CodingAgent.clearHistory() forgets turns and REPL variables", async () => {
  await using server = await startLmServer(routeByModel([
    cell("const kept = 1\nSUBMIT('one')"),
    cell("SUBMIT(`${history.length} ${typeof kept}`)"),
  ]));
  await using agent = agentFor(server.url, Deno.cwd(), {}, {
    conversation: true,
  });
  await agent.forward("first");
  await agent.clearHistory();
  assertEquals((await agent.forward("second")).answer, "0 undefined");
});

Deno.test("CodingAgent.reloadLms() switches to the model now in the config", async () => {
  await using server = await startLmServer((request) => ({
    text: "```js\nSUBMIT('from ' + " + JSON.stringify(request.body.model) +
      ")\n```",
  }));
  await using agent = agentFor(server.url, Deno.cwd());
  assertEquals(
    (await agent.forward("which model?")).answer,
    `from ${MAIN_MODEL}`,
  );
  agent.config.lm = "openai/other-model";
  agent.reloadLms();
  assertEquals(
    (await agent.forward("which model now?")).answer,
    "from other-model",
  );
});
