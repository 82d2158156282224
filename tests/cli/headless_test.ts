import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { baseEnv, lmEnv, MAIN, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

Deno.test("nanocode --output-format json prints answer, usage, steps and session id", async () => {
  await using dir = await tempDir({ "a.txt": "alpha\n" });
  await using server = await startLmServer(routeByModel([
    cell("print(read_file('a.txt'))"),
    {
      text: "```js\nSUBMIT('It says alpha.')\n```",
      usage: {
        prompt_tokens: 100,
        completion_tokens: 7,
        cached_tokens: 60,
        cost: 0.002,
      },
    },
  ]));
  const run = await runCli(["--output-format", "json", "what is in a.txt?"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stderr, "");
  const out = JSON.parse(run.stdout);
  assertEquals(out.answer, "It says alpha.");
  assertEquals(out.num_steps, 2);
  assertEquals(out.steps[0].code, "print(read_file('a.txt'))");
  assertEquals(out.steps[0].observation, "   1| alpha");
  assertEquals(out.usage.lmCalls, 2);
  assertEquals(out.usage.cachedTokens, 60);
  assertEquals(out.usage.cost, 0.002);
  assert(out.usage.promptTokens >= 100);
  assertMatch(out.session_id, /^\d{8}-\d{6}-[0-9a-f]{4}$/);
  assertEquals(out.extracted, false);
  assertEquals(typeof out.duration_ms, "number");
});

Deno.test("nanocode --output-format stream-json prints one event per line, the same events the UI renders", async () => {
  await using dir = await tempDir({ "a.txt": "alpha\n" });
  await using server = await startLmServer(
    routeByModel([cell("print(read_file('a.txt'))"), cell("SUBMIT('done')")]),
  );
  const run = await runCli(
    ["--output-format", "stream-json", "-p", "read it"],
    { cwd: dir.path, env: lmEnv(server.url) },
  );
  assertEquals(run.code, 0, run.stderr);
  const lines = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(lines[0].type, "turn_start");
  assertEquals(lines[0].task, "read it");
  const types = lines.map((l) => l.type);
  for (
    const t of [
      "step_start",
      "model_delta",
      "model_reply",
      "code",
      "tool_call",
      "tool_result",
      "observation",
      "usage",
      "submit",
      "result",
    ]
  ) {
    assert(types.includes(t), `missing ${t} in ${types.join(",")}`);
  }
  const call = lines.find((l) => l.type === "tool_call");
  assertEquals(call.name, "read_file");
  assertEquals(call.args, ["a.txt"]);
  const result = lines.find((l) => l.type === "tool_result");
  assertEquals(result.output, "   1| alpha");
  assertEquals(lines.at(-1).type, "result");
  assertEquals(lines.at(-1).answer, "done");
  assertEquals(lines.at(-1).session_id, lines[0].session_id);
});

Deno.test("nanocode reads the task from piped stdin", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(
    routeByModel([cell("SUBMIT(task.toUpperCase())")]),
  );
  const run = await runCli([], {
    cwd: dir.path,
    env: lmEnv(server.url),
    stdin: "shout this\n",
  });
  assertEquals(run.stdout, "SHOUT THIS\n");
});

Deno.test("nanocode exits 2 on bad usage: -p with a task, empty stdin, a bad output format", async () => {
  await using dir = await tempDir();
  const both = await runCli(["-p", "a", "b"], { cwd: dir.path });
  assertEquals(both.code, 2);
  const empty = await runCli([], { cwd: dir.path, stdin: "" });
  assertEquals(empty.code, 2);
  assertStringIncludes(empty.stderr, "no task");
  const format = await runCli(["--output-format", "yaml", "x"], {
    cwd: dir.path,
  });
  assertEquals(format.code, 2);
  assertStringIncludes(
    format.stderr,
    "--output-format must be one of text, json, stream-json",
  );
});

Deno.test("nanocode exits 130 when interrupted by SIGINT and records it", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(
    routeByModel([cell("print('started')\nwhile (true) {}")]),
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--output-format", "json", "spin forever"],
    cwd: dir.path,
    clearEnv: true,
    env: { ...baseEnv(dir.path), ...lmEnv(server.url) },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Wait until the cell is running (the model's reply was served).
  while (requestsOf(server.requests, MAIN_MODEL).length < 1) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 500));
  const sentAt = performance.now();
  child.kill("SIGINT");
  const out = await child.output();
  const tookMs = performance.now() - sentAt;
  assertEquals(out.code, 130);
  const json = JSON.parse(new TextDecoder().decode(out.stdout));
  assertEquals(json.interrupted, true);
  assertStringIncludes(new TextDecoder().decode(out.stderr), "Interrupted");
  assert(tookMs < 10_000, `took ${tookMs} ms`);
  const sessionFile =
    [...Deno.readDirSync(`${dir.path}/.local/share/nanocode/sessions`)][0].name;
  const records = Deno.readTextFileSync(
    `${dir.path}/.local/share/nanocode/sessions/${sessionFile}`,
  ).trim().split("\n").map((l) => JSON.parse(l));
  assertEquals(records.at(-1).type, "interrupted");
});

Deno.test("nanocode picks up AGENTS.md from the repository root down, and CLAUDE.md where there is none", async () => {
  await using dir = await tempDir({
    ".git/HEAD": "ref: refs/heads/main\n",
    "AGENTS.md": "Root rule: use tabs.\n",
    "pkg/CLAUDE.md": "Package rule: no semicolons.\n",
    "pkg/sub/AGENTS.md": "Sub rule: say hello.\n",
    "pkg/sub/CLAUDE.md": "Ignored because AGENTS.md exists here.\n",
  });
  await using server = await startLmServer(
    routeByModel([cell("SUBMIT('ok')")]),
  );
  const run = await runCli(["--verbose", "hi"], {
    cwd: dir.file("pkg/sub"),
    home: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(run.code, 0, run.stderr);
  const system =
    messagesOf(requestsOf(server.requests, MAIN_MODEL)[0])[0].content;
  const root = system.indexOf("Root rule: use tabs.");
  const pkg = system.indexOf("Package rule: no semicolons.");
  const sub = system.indexOf("Sub rule: say hello.");
  assert(root > 0 && pkg > root && sub > pkg, "instructions appear root first");
  assert(!system.includes("Ignored because"));
  assertStringIncludes(
    run.stderr,
    "Project instructions: ../../AGENTS.md, ../CLAUDE.md, AGENTS.md",
  );
  assertStringIncludes(run.stderr, "Root rule: use tabs.");
});

Deno.test("nanocode uses a local OpenAI-compatible server when no key is set, and says so", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(() => ({
    text: "```js\nSUBMIT('local answer')\n```",
  }));
  const run = await runCli(["hi"], {
    cwd: dir.path,
    env: { NANOCODE_LOCAL_SERVERS: `http://127.0.0.1:1/v1,${server.url}` },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout, "local answer\n");
  assertStringIncludes(
    run.stderr,
    `No API key is set, so nanocode uses the local ${server.url} server`,
  );
  assertEquals(
    server.requests.find((r) => r.path.endsWith("/chat/completions"))?.body
      .model,
    "test-model",
  );
});

Deno.test("nanocode prints one paragraph on what to set when there is no key and no local server", async () => {
  await using dir = await tempDir();
  const run = await runCli(["hi"], {
    cwd: dir.path,
    env: { NANOCODE_LOCAL_SERVERS: "http://127.0.0.1:1/v1" },
  });
  assertEquals(run.code, 2);
  assertEquals(run.stdout, "");
  assertStringIncludes(run.stderr, "OPENROUTER_API_KEY is not set");
  assertStringIncludes(run.stderr, "--api-base");
  assert(!run.stderr.includes("    at "), "no stack trace");
});
