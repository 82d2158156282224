import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
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
import { VERSION } from "../../src/version.ts";

Deno.test("nanocode TASK works in the current folder and prints the answer on stdout", async () => {
  await using dir = await tempDir({ "notes/todo.txt": "buy milk\n" });
  await using server = await startLmServer(routeByModel([
    cell("print(glob_files('**/*.txt'))"),
    cell("write_file('out/answer.txt', run_bash('pwd'))"),
    cell("SUBMIT('Found notes/todo.txt.')"),
  ]));
  // --yes: headless runs refuse what would ask, and this task writes and runs.
  const run = await runCli(["--yes", "what files are here?"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(run.stderr, "");
  assertEquals(run.stdout, "Found notes/todo.txt.\n");
  assertEquals(run.code, 0);
  assertEquals(await dir.read("out/answer.txt"), `${dir.path}\n[exit code 0]`);
  const first = requestsOf(server.requests, MAIN_MODEL)[0];
  assertStringIncludes(messagesOf(first)[1].content, "what files are here?");
});

Deno.test("nanocode applies --lm, --sub-lm, --api-base, --max-iters and --max-output-chars", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("print('x'.repeat(5000))\nprint(llm_query('hi'))"),
    { text: "[[ ## answer ## ]]\nextracted\n[[ ## completed ## ]]" },
  ]));
  const run = await runCli([
    "--lm",
    `openai/${MAIN_MODEL}`,
    "--sub-lm",
    `openai/${SUB_MODEL}`,
    "--api-base",
    server.url,
    "--max-iters",
    "1",
    "--max-output-chars",
    "1000",
    "--verbose",
    "--permission-mode",
    "yolo",
    "do it",
  ], {
    cwd: dir.path,
    env: {
      OPENAI_API_KEY: "k",
      NANOCODE_LM: "openai/wrong",
      NANOCODE_API_BASE: "http://127.0.0.1:1/v1",
    },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout, "extracted\n");
  const mains = requestsOf(server.requests, MAIN_MODEL);
  assertEquals(mains.length, 2);
  const observation = messagesOf(mains[1]).at(-1)!.content;
  assertStringIncludes(observation, "characters omitted");
  assert(
    observation.length < 1500,
    `observation of ${observation.length} chars`,
  );
  assertEquals(requestsOf(server.requests, SUB_MODEL).length, 1);
});

Deno.test("nanocode --cell-timeout stops a runaway cell and the turn goes on", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("while (true) {}"),
    cell("SUBMIT('recovered')"),
  ]));
  const run = await runCli(["--cell-timeout", "1", "spin"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(run.stdout, "recovered\n");
  const observation =
    messagesOf(requestsOf(server.requests, MAIN_MODEL)[1]).at(-1)!.content;
  assertStringIncludes(observation, "cell timeout");
  assertStringIncludes(observation, "REPL was restarted");
});

Deno.test("nanocode exits 1 with one clear line when the turn fails", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer([{
    status: 401,
    errorBody: { error: { message: "bad key" } },
  }]);
  const run = await runCli(["hello"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(run.code, 1);
  assertEquals(run.stdout, "");
  assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
  assertMatch(run.stderr, /^nanocode: .*OPENAI_API_KEY/);
});

Deno.test("nanocode --help and --version answer without a model", async () => {
  await using dir = await tempDir();
  const help = await runCli(["--help"], { cwd: dir.path });
  assertEquals(help.code, 0);
  for (
    const flag of [
      "--lm",
      "--sub-lm",
      "--max-iters",
      "--api-base",
      "--max-tokens",
      "--max-output-chars",
      "--verbose",
      "--track-usage",
      "--cell-timeout",
      "--permission-mode",
    ]
  ) {
    assertStringIncludes(help.stdout, flag);
  }
  // Every exit code the program uses, 129 (the terminal closed) included.
  assertStringIncludes(
    help.stdout,
    "Exit codes: 0 done, 1 the turn failed, 2 bad usage or configuration, 129 the terminal closed (SIGHUP), 130 interrupted.",
  );
  const version = await runCli(["--version"], { cwd: dir.path });
  assertEquals(version.stdout, `nanocode ${VERSION}\n`);
});

Deno.test("nanocode rejects an unknown flag and a bad value with exit code 2", async () => {
  await using dir = await tempDir();
  const unknown = await runCli(["--frobnicate", "x"], { cwd: dir.path });
  assertEquals(unknown.code, 2);
  assertStringIncludes(unknown.stderr, "--frobnicate");
  const bad = await runCli(["--max-iters", "many", "x"], { cwd: dir.path });
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, "max_iters must be an integer");
});

Deno.test("the version in src/version.ts matches deno.json", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  );
  assertEquals(config.version, VERSION);
});
