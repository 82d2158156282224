import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
  SUB_MODEL,
} from "../helpers/script.ts";
import { pyCell, pyReply, pythonSandbox } from "../helpers/python.ts";
import { tempDir } from "../helpers/temp.ts";
import { CodingAgent } from "../../src/agent/coding_agent.ts";
import type { RlmEvent } from "../../src/rlm/events.ts";

const REPO = {
  "src/math.py": "def add(a, b):\n    return a - b\n",
  "src/main.py": "from math import add\nprint(add(2, 3))\n",
  "notes/todo.txt": "x one\nx two\nx three\n",
  "README.md": "# demo\n",
};

function agentFor(url: string, workspace: string) {
  return new CodingAgent({
    workspace,
    config: {
      lm: `openai/${MAIN_MODEL}`,
      sub_lm: `openai/${SUB_MODEL}`,
      api_base: url,
      cell_timeout: 60,
      permission_mode: "yolo",
      repl: "python",
    },
    sandbox: pythonSandbox({ cwd: workspace, cellTimeout: 60 }),
    // Turns share history and REPL state, as in the CLI.
    conversation: true,
    snapshotsDir: null,
    env: (name) => (name === "OPENAI_API_KEY" ? "test-key" : undefined),
  });
}

Deno.test("CodingAgent with Python cells calls every function by position and by keyword", async () => {
  await using repo = await tempDir(REPO);
  const script = [
    pyCell(
      "print(glob_files('**/*.py'))\nprint(grep_files('return a', 'src'))\nprint(read_file('src/math.py', 0, 1))",
      "Let me look at the code first.",
    ),
    pyCell(
      "print(glob_files(pattern='*.md', path='.'))\n" +
        "print(grep_files(pattern='x', path='notes', glob='*.txt', max_results=1))\n" +
        "print(read_file(path='src/math.py', offset=1, limit=1))\n" +
        "print(read_file('notes/todo.txt', limit=1))",
    ),
    pyCell(
      "print(write_file('out/a.txt', 'one\\n'))\nprint(write_file(path='out/b.txt', content='two\\n'))",
    ),
    pyCell(
      "print(edit_file('src/math.py', 'return a - b', 'return a + b'))\n" +
        "print(edit_file(path='notes/todo.txt', old='x ', new='- ', replace_all=True))",
    ),
    pyCell(
      "print(run_bash('echo positional'))\nprint(run_bash(cmd='echo keyword; exit 3', timeout_s=20))",
    ),
    pyCell(
      "a = llm_query('first question')\nb = llm_query(prompt='second question')\n" +
        "c = llm_query_batched(['p1', 'p2'])\nd = llm_query_batched(prompts=['p3'])\nprint(a, b, c, d)",
    ),
    pyCell("SUBMIT(answer='Fixed add in src/math.py.')"),
  ];
  await using server = await startLmServer(
    routeByModel(script, (prompt) => ({ text: `answer to ${prompt}` })),
  );
  await using agent = agentFor(server.url, repo.path);
  const events: RlmEvent[] = [];
  const result = await agent.forward("Fix the add function.", {
    onEvent: (e) => events.push(e),
  });
  assertEquals(result.answer, "Fixed add in src/math.py.");

  // What reached the disk.
  assertEquals(
    await repo.read("src/math.py"),
    "def add(a, b):\n    return a + b\n",
  );
  assertEquals(await repo.read("notes/todo.txt"), "- one\n- two\n- three\n");
  assertEquals(await repo.read("out/a.txt"), "one\n");
  assertEquals(await repo.read("out/b.txt"), "two\n");

  // What the model saw.
  const seen = result.trajectory.map((s) => s.observation);
  assertEquals(seen[0].split("\n").slice(0, 2).sort(), [
    "src/main.py",
    "src/math.py",
  ]);
  assertStringIncludes(seen[0], "src/math.py:2:    return a - b");
  assertStringIncludes(seen[0], "   1| def add(a, b):");
  assert(!seen[0].includes("   2|"), "limit 1 by position");
  assertStringIncludes(seen[1], "README.md");
  assertStringIncludes(seen[1], "notes/todo.txt:1:x one");
  assert(!seen[1].includes("x two"), "max_results=1 by keyword");
  assertStringIncludes(seen[1], "   2|     return a - b");
  assertStringIncludes(seen[1], "   1| x one");
  assertStringIncludes(seen[2], "ok: wrote 1 line");
  assertStringIncludes(seen[3], "ok: replaced 1 occurrence in src/math.py");
  assertStringIncludes(seen[3], "ok: replaced 3 occurrences in notes/todo.txt");
  assertStringIncludes(seen[4], "positional\n[exit code 0]");
  assertStringIncludes(seen[4], "keyword\n[exit code 3]");
  assertEquals(
    seen[5],
    "answer to first question answer to second question ['answer to p1', 'answer to p2'] ['answer to p3']",
  );

  const subs = requestsOf(server.requests, SUB_MODEL).map((r) =>
    messagesOf(r)[0].content
  ).sort();
  assertEquals(subs, ["first question", "p1", "p2", "p3", "second question"]);
  const tools = events.flatMap((e) => e.type === "tool_call" ? [e.name] : []);
  assertEquals(
    new Set(tools),
    new Set([
      "glob_files",
      "grep_files",
      "read_file",
      "write_file",
      "edit_file",
      "run_bash",
    ]),
  );
});

Deno.test("CodingAgent with Python cells keeps variables across cells and turns, with task and history", async () => {
  await using repo = await tempDir({ "a.txt": "alpha\n" });
  await using server = await startLmServer(routeByModel([
    pyCell("first = read_file('a.txt')\ncounter = [1]"),
    pyCell(
      "counter.append(2)\nSUBMIT(f'It says alpha ({len(counter)} cells).')",
    ),
    pyCell(
      "print(task)\nprint(history[0]['user'], '|', history[0]['answer'])\nprint(len(first), counter)",
    ),
    pyCell("SUBMIT(history[-1]['answer'] + ' Again.')"),
  ]));
  await using agent = agentFor(server.url, repo.path);
  const first = await agent.forward("What does a.txt say?");
  assertEquals(first.answer, "It says alpha (2 cells).");
  const second = await agent.forward("Say it again.");
  assertEquals(second.answer, "It says alpha (2 cells). Again.");
  assertEquals(
    second.trajectory[0].observation,
    "Say it again.\nWhat does a.txt say? | It says alpha (2 cells).\n11 [1, 2]",
  );
});

Deno.test("CodingAgent with Python cells prompts in Python and reports a JavaScript block as the wrong language", async () => {
  await using repo = await tempDir({ "a.txt": "alpha\n" });
  await using server = await startLmServer(routeByModel([
    {
      text:
        "I'll read the file.\n\n```js\nconst text = read_file('a.txt');\nprint(text);\n```\n",
    },
    {
      text: pyReply(
        "Right, Python then.",
        "const text = read_file('a.txt');",
      ),
    },
    pyCell("text = read_file('a.txt')\nprint(text)"),
    pyCell('SUBMIT("""It says alpha.""")'),
  ]));
  await using agent = agentFor(server.url, repo.path);
  const result = await agent.forward("What does a.txt say?");
  assertEquals(result.answer, "It says alpha.");
  const mains = requestsOf(server.requests, MAIN_MODEL).map(messagesOf);
  const system = mains[0][0].content;
  assertStringIncludes(system, "You work by writing Python");
  assertStringIncludes(system, "exactly one ```python code block");
  assertStringIncludes(system, "read_file(path, offset=None, limit=None)");
  assertStringIncludes(system, "edit_file(path, old, new, replace_all=None)");
  assertStringIncludes(system, "llm_query_batched(prompts) → list[str]");
  assertStringIncludes(system, "raises ToolError");
  assertStringIncludes(system, "print(*values)");
  assert(!system.includes("```js"), "no JavaScript in the Python prompt");
  const wrongBlock = mains[1].at(-1)!.content;
  assertStringIncludes(wrongBlock, "Your js block did not run");
  assertStringIncludes(wrongBlock, "the REPL runs Python, not JavaScript");
  const wrongCode = mains[2].at(-1)!.content;
  assertStringIncludes(wrongCode, "SyntaxError");
  assertStringIncludes(wrongCode, "the REPL runs Python, not JavaScript");
  assertStringIncludes(mains[3].at(-1)!.content, "   1| alpha");
});

Deno.test("CodingAgent starts Python while the model's first reply is still streaming", async () => {
  await using repo = await tempDir({ "a.txt": "alpha\n" });
  const first = pyReply(
    "Checking the version.",
    "import sys\nsys.version_info[0]",
  );
  await using server = await startLmServer(routeByModel([
    {
      text: first,
      chunks: [first.slice(0, 10), first.slice(10, 30), first.slice(30)],
      chunkDelayMs: 50,
    },
    pyCell("SUBMIT('ready')"),
  ]));
  await using agent = agentFor(server.url, repo.path);
  assertEquals(agent.sandbox.pid, undefined, "nothing runs before the turn");
  let pidAtFirstDelta: number | undefined | null = null;
  const result = await agent.forward("Which Python?", {
    onEvent: (event) => {
      if (event.type === "model_delta" && pidAtFirstDelta === null) {
        pidAtFirstDelta = agent.sandbox.pid;
      }
    },
  });
  assertEquals(result.answer, "ready");
  assert(
    pidAtFirstDelta,
    "the Python sandbox was starting while the reply streamed",
  );
  assertEquals(result.trajectory[0].observation, "3");
});
