import {
  assert,
  assertEquals,
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

function sessionFiles(home: string): string[] {
  const dir = `${home}/.local/share/nanocode/sessions`;
  return [...Deno.readDirSync(dir)].map((e) => `${dir}/${e.name}`).sort();
}

Deno.test("a session killed mid-turn keeps what was written and --continue brings the history back", async () => {
  await using dir = await tempDir({ "a.txt": "alpha\n" });
  // Turn 1 completes.
  await using first = await startLmServer(
    routeByModel([cell("const secret = 42\nSUBMIT('Turn one done.')")]),
  );
  const one = await runCli(["--output-format", "json", "first task"], {
    cwd: dir.path,
    env: lmEnv(first.url),
  });
  assertEquals(one.code, 0, one.stderr);
  const id = JSON.parse(one.stdout).session_id;

  // Turn 2 is killed while the model is answering its second request.
  await using second = await startLmServer(
    routeByModel([cell("print(read_file('a.txt'))"), {
      text: "never",
      delayMs: 60_000,
    }]),
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "--continue", "second task"],
    cwd: dir.path,
    clearEnv: true,
    env: { ...baseEnv(dir.path), ...lmEnv(second.url) },
    stdout: "null",
    stderr: "null",
  }).spawn();
  while (requestsOf(second.requests, MAIN_MODEL).length < 2) {
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill("SIGKILL");
  await child.status;

  const files = sessionFiles(dir.path);
  assertEquals(files.length, 1, "--continue appended to the same session");
  const records = Deno.readTextFileSync(files[0]).trim().split("\n").map((
    line,
  ) => JSON.parse(line));
  assertEquals(records[0].type, "session");
  assertEquals(records[0].id, id);
  const types = records.map((r) => r.type);
  assert(types.includes("answer"));
  const secondTurn = records.filter((r) => r.turn === 2);
  assertEquals(secondTurn[0], {
    ...secondTurn[0],
    type: "user",
    text: "second task",
  });
  assert(
    secondTurn.some((r) =>
      r.type === "step" && r.observation === "   1| alpha"
    ),
    "the step before the kill was written",
  );
  assert(!secondTurn.some((r) => r.type === "answer"));
  // The tool call was journaled before it ran: its record precedes its result.
  const callAt = secondTurn.findIndex((r) =>
    r.type === "tool_call" && r.name === "read_file"
  );
  const resultAt = secondTurn.findIndex((r) =>
    r.type === "tool_result" && r.ok
  );
  assert(
    callAt !== -1 && resultAt > callAt,
    "tool_call journaled before tool_result",
  );
  assertEquals(secondTurn[callAt].args, ["a.txt"]);

  // Turn 3 resumes: the model gets turn 1 in history and is told REPL state is gone.
  await using third = await startLmServer(
    routeByModel([cell("SUBMIT(`${history.length} ${typeof secret}`)")]),
  );
  const three = await runCli(["--resume", id.slice(0, 15), "third task"], {
    cwd: dir.path,
    env: lmEnv(third.url),
  });
  assertEquals(three.code, 0, three.stderr);
  assertEquals(three.stdout, "1 undefined\n");
  const prompt =
    messagesOf(requestsOf(third.requests, MAIN_MODEL)[0])[1].content;
  assertStringIncludes(prompt, "first task");
  assertStringIncludes(prompt, "Turn one done.");
  assertStringIncludes(prompt, "This session was resumed");
  assertStringIncludes(three.stderr, `Resumed session ${id}`);
});

Deno.test("nanocode --resume without an id lists this folder's sessions", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(
    routeByModel([cell("SUBMIT('a')"), cell("SUBMIT('b')")]),
  );
  await runCli(["list me first"], { cwd: dir.path, env: lmEnv(server.url) });
  await runCli(["and me second"], { cwd: dir.path, env: lmEnv(server.url) });
  const list = await runCli(["--resume"], { cwd: dir.path });
  assertEquals(list.code, 0);
  const lines = list.stdout.trim().split("\n");
  assertStringIncludes(lines[0], "and me second");
  assertStringIncludes(lines[1], "list me first");
  assertStringIncludes(list.stdout, "nanocode --resume ID");
  const missing = await runCli(["--resume", "19990101", "x"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(missing.code, 2);
  assertStringIncludes(missing.stderr, 'No session "19990101"');
});

Deno.test("nanocode --continue with no earlier session says so with exit code 2", async () => {
  await using dir = await tempDir();
  const run = await runCli(["--continue", "x"], {
    cwd: dir.path,
    env: lmEnv("http://127.0.0.1:1/v1"),
  });
  assertEquals(run.code, 2);
  assertStringIncludes(run.stderr, "no earlier session");
});
