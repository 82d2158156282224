import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
  assertThrows,
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
import { PermissionError } from "../../src/safety/approval.ts";

const agentFor = testAgent;

Deno.test("CodingAgent.getTools() returns callable functions by name that run through the policy", async () => {
  await using repo = await tempDir({ "a.txt": "alpha\nbeta\n" });
  await using server = await startLmServer([]);
  await using agent = agentFor(server.url, repo.path, {
    config: { permission_mode: "ask" },
  });
  const tools = agent.getTools();
  assertEquals(Object.keys(tools), [
    "read_file",
    "write_file",
    "edit_file",
    "glob_files",
    "grep_files",
    "run_bash",
  ]);
  for (const fn of Object.values(tools)) assertEquals(typeof fn, "function");
  const read = tools.read_file as (path: string) => Promise<string>;
  assertEquals(await read("a.txt"), "   1| alpha\n   2| beta");
  // A write needs approval in "ask" mode; a library agent without an
  // approver refuses it, as a cell's call would be refused.
  const write = tools.write_file as (p: string, c: string) => Promise<string>;
  await assertRejects(() => write("b.txt", "x"), PermissionError);
  await assertRejects(
    () => Deno.stat(repo.file("b.txt")),
    Deno.errors.NotFound,
  );
  const shout = (text: string) => text.toUpperCase();
  agent.setTool("shout", shout);
  assert(agent.getTools().shout === shout);
  assertEquals(server.requests.length, 0);
});

Deno.test("CodingAgent.getTools() gives glob_files and grep_files results as a cell gets them: arrays that print as the original's text", async () => {
  await using repo = await tempDir({ "a.txt": "alpha\n", "b.txt": "beta\n" });
  await using server = await startLmServer([]);
  await using agent = agentFor(server.url, repo.path);
  const { glob_files, grep_files } = agent.getTools() as Record<
    string,
    (...args: unknown[]) => Promise<string[]>
  >;
  const files = await glob_files("*.txt");
  assert(Array.isArray(files), JSON.stringify(files));
  assertEquals([...files].sort(), ["a.txt", "b.txt"]);
  assertEquals(String(files).split("\n").sort(), ["a.txt", "b.txt"]);
  const hits = await grep_files("alpha");
  assertEquals([...hits], ["a.txt:1:alpha"]);
  assertEquals(`${hits}`, "a.txt:1:alpha");
  const none = await glob_files("*.nothing");
  assertEquals([none.length, String(none)], [0, "no files found"]);
});

Deno.test("CodingAgent.setTool() works without a doc, deriving the prompt line from the function", async () => {
  await using repo = await tempDir({ "a.txt": "1\n2\n3\n" });
  await using server = await startLmServer(routeByModel([
    cell("print(count_lines('a.txt'), count_lines('a.txt', 2))"),
    cell("SUBMIT('three')"),
  ]));
  await using agent = agentFor(server.url, repo.path);
  agent.setTool(
    "count_lines",
    (path: string, max = Infinity) =>
      Math.min(
        Deno.readTextFileSync(`${repo.path}/${path}`).trim().split("\n")
          .length,
        max,
      ),
  );
  agent.setTool("sayHello", function greet(name: string) {
    return `hello ${name}`;
  }, "greets someone");
  const prompt = agent.systemPrompt();
  assertStringIncludes(
    prompt,
    "- count_lines(path, max?): count lines (a function added with setTool)",
  );
  assertStringIncludes(prompt, "- sayHello(name): greets someone");
  const result = await agent.forward("How many lines?");
  assertEquals(result.trajectory[0].observation, "3 2");
  assertStringIncludes(
    messagesOf(requestsOf(server.requests, MAIN_MODEL)[0])[0].content,
    "count_lines(path, max?)",
  );
});

Deno.test("CodingAgent.setTool() refuses reserved names with a clear error", async () => {
  await using server = await startLmServer([]);
  await using agent = agentFor(server.url, Deno.cwd());
  const before = agent.systemPrompt();
  for (
    const name of [
      "SUBMIT",
      "print",
      "llm_query",
      "llm_query_batched",
      "task",
      "history",
      "console",
      "JSON",
      "globalThis",
      "setTimeout",
      "postMessage",
    ]
  ) {
    const error = assertThrows(
      () => agent.setTool(name, () => 1, "a tool"),
      TypeError,
    );
    assertStringIncludes(error.message, `Cannot add tool "${name}"`);
    assertStringIncludes(error.message, "reserved");
  }
  assertEquals(agent.systemPrompt(), before);
  assertEquals(Object.keys(agent.getTools()).length, 6);
  // Replacing a built-in tool stays allowed, as in the original.
  agent.setTool("run_bash", (cmd: string) => `would run ${cmd}`);
  assertEquals(
    (agent.getTools().run_bash as (c: string) => string)("ls"),
    "would run ls",
  );
});

Deno.test("CodingAgent.setTool() refuses JavaScript reserved words, which no cell could call", async () => {
  await using server = await startLmServer([]);
  await using agent = agentFor(server.url, Deno.cwd());
  const before = agent.systemPrompt();
  for (
    const name of [
      "if",
      "class",
      "return",
      "let",
      "await",
      "yield",
      "enum",
      "null",
      "true",
    ]
  ) {
    const error = assertThrows(() => agent.setTool(name, () => 1), TypeError);
    assertStringIncludes(error.message, `Cannot add tool "${name}"`);
    assertStringIncludes(error.message, "reserved word");
  }
  assertEquals(agent.systemPrompt(), before);
});

Deno.test("CodingAgent.loadState() loads a program.json into an agent and keeps the config's models", async () => {
  await using dir = await tempDir({
    "program.json": JSON.stringify({
      "agent.generate_action": {
        traces: [],
        train: [],
        demos: [{ task: "t", code: "print(1)" }],
        signature: {
          instructions:
            "Answer like a pirate.\n\nYou are tasked with producing the following outputs given the inputs `task`, `history`:\n- {answer}",
          fields: [],
        },
        lm: { model: "openrouter/saved/model", max_tokens: 10 },
      },
      "agent.extract": {
        traces: [],
        train: [],
        demos: [],
        signature: { instructions: "Answer like a pirate.", fields: [] },
        lm: { model: "openrouter/saved/model" },
      },
    }),
  });
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('Arr.')"),
  ]));
  await using agent = agentFor(server.url, dir.path);
  await agent.loadState(dir.file("program.json"));
  assertEquals(agent.instructions, "Answer like a pirate.");
  assert(agent.systemPrompt().startsWith("Answer like a pirate."));
  assertEquals((await agent.forward("Greet me.")).answer, "Arr.");
  // The request went to the configured model, not the one saved in the file.
  assertEquals(
    server.requests.filter((r) => r.body.model).map((r) => r.body.model),
    [MAIN_MODEL],
  );
  // Saving keeps what was loaded (the demo) with the config's model.
  await agent.savePrecompiled(`${dir.path}/saved`);
  const saved = JSON.parse(await dir.read("saved/program.json"));
  assertEquals(saved["agent.generate_action"].demos, [
    { task: "t", code: "print(1)" },
  ]);
  assertEquals(
    saved["agent.generate_action"].lm.model,
    `openai/${MAIN_MODEL}`,
  );
  // A folder works as well as the file; a missing one is a clear error.
  await agent.loadState(dir.path);
  await assertRejects(
    () => agent.loadState(`${dir.path}/nope`),
    Deno.errors.NotFound,
    "No program state",
  );
});

Deno.test("CodingAgent.forward() is stateless by default: no history or REPL variables leak between calls", async () => {
  await using server = await startLmServer(routeByModel([
    cell("const secret = 42\nSUBMIT('set')"),
    cell("SUBMIT(`${history.length} ${typeof secret}`)"),
  ]));
  await using agent = agentFor(server.url, Deno.cwd());
  assertEquals((await agent.forward("remember 42")).answer, "set");
  assertEquals((await agent.forward("what was it?")).answer, "0 undefined");
  assertEquals(agent.history, []);
  const second = messagesOf(requestsOf(server.requests, MAIN_MODEL)[1]);
  assert(!second[1].content.includes("remember 42"));
});

Deno.test("CodingAgent with verbose writes reasoning, code, output and sub-model results to its verbose output", async () => {
  await using server = await startLmServer(routeByModel(
    [
      cell(
        "const a = llm_query('Summarise: ' + 'x'.repeat(150))\nconst b = llm_query_batched(['p1', 'p2'])\nprint(a, b.length)",
        "I will ask the sub-model.",
      ),
      cell("SUBMIT('done')", "Now I can answer."),
    ],
    (prompt) => ({ text: `summary of ${prompt.length} chars` }),
  ));
  let text = "";
  await using agent = agentFor(server.url, Deno.cwd(), {
    config: { verbose: true },
    verboseOutput: (t) => text += t,
  });
  await agent.forward("Summarise.");
  assertStringIncludes(text, "⏺ [REASONING STEP]\nI will ask the sub-model.");
  assertStringIncludes(text, "⏺ [CODE]\n```js\nconst a = llm_query(");
  assertStringIncludes(
    text,
    `⏺ [LLM QUERY]\nSummarise: ${"x".repeat(89)}...`,
  );
  assertStringIncludes(text, "⏺ [LLM QUERY RESULT]\nsummary of 161 chars");
  assertStringIncludes(text, "⏺ [LLM QUERY BATCHED]\n2 prompts");
  assertStringIncludes(text, "⏺ [LLM QUERY BATCHED]\n2 results");
  assertStringIncludes(text, "⏺ [OUTPUT]\nsummary of 161 chars 2");
  assertStringIncludes(text, "⏺ [REASONING STEP]\nNow I can answer.");
  // Off when verbose is off.
  text = "";
  await using quiet = await startLmServer(routeByModel([cell("SUBMIT(1)")]));
  await using agent2 = agentFor(quiet.url, Deno.cwd(), {
    verboseOutput: (t) => text += t,
  });
  await agent2.forward("x");
  assertEquals(text, "");
});

Deno.test("CodingAgent with verbose prints the steps on stderr for a library user's script", async () => {
  await using dir = await tempDir({
    "script.ts": `import { CodingAgent } from ${
      JSON.stringify(new URL("../../mod.ts", import.meta.url).href)
    };
const agent = new CodingAgent({
  config: { lm: "openai/${MAIN_MODEL}", sub_lm: "openai/${SUB_MODEL}", api_base: Deno.args[0], verbose: true },
  snapshotsDir: null,
});
const { answer } = await agent.forward("Ask the sub-model.");
await agent.close();
console.log(answer);
`,
  });
  await using server = await startLmServer(routeByModel(
    [
      cell("print(llm_query('Is 7 prime?'))", "Ask first."),
      cell("SUBMIT('yes')"),
    ],
    () => ({ text: "Yes, 7 is prime." }),
  ));
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      new URL("../../deno.json", import.meta.url).pathname,
      dir.file("script.ts"),
      server.url,
    ],
    cwd: dir.path,
    env: { OPENAI_API_KEY: "k", NO_COLOR: "1" },
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 0, stderr);
  assertEquals(stdout, "yes\n");
  assertStringIncludes(stderr, "⏺ [REASONING STEP]\nAsk first.");
  assertStringIncludes(stderr, "⏺ [LLM QUERY]\nIs 7 prime?");
  assertStringIncludes(stderr, "⏺ [LLM QUERY RESULT]\nYes, 7 is prime.");
  assertStringIncludes(stderr, "⏺ [OUTPUT]\nYes, 7 is prime.");
});
