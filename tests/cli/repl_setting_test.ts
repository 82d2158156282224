import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { pyCell, TEST_CACHE_HOME } from "../helpers/python.ts";
import { tempDir } from "../helpers/temp.ts";
import { DEFAULT_CONFIG, FIELDS, parseField } from "../../src/config/fields.ts";

const REPL = FIELDS.find((f) => f.key === "repl")!;

Deno.test("the repl setting takes js or python, default js", () => {
  assertEquals(DEFAULT_CONFIG.repl, "js");
  assertEquals(parseField(REPL, "python", "--repl"), "python");
  assertEquals(parseField(REPL, "js", "NANOCODE_REPL"), "js");
  let message = "";
  try {
    parseField(REPL, "ruby", "--repl");
  } catch (error) {
    message = (error as Error).message;
  }
  assertEquals(message, 'Invalid --repl value "ruby": repl must be js, python');
});

Deno.test("--repl python, NANOCODE_REPL and a config file run the turn's cells as Python", async () => {
  await using dir = await tempDir({ "work/data.txt": "3\n4\n" });
  const cases: [string[], Record<string, string>, Record<string, unknown>][] = [
    [["--repl", "python"], {}, {}],
    [[], { NANOCODE_REPL: "python" }, {}],
    [[], {}, { repl: "python" }],
  ];
  for (const [flags, env, userConfig] of cases) {
    await Deno.mkdir(dir.file(".config/nanocode"), { recursive: true });
    await Deno.writeTextFile(
      dir.file(".config/nanocode/config.json"),
      JSON.stringify(userConfig),
    );
    await using server = await startLmServer(routeByModel([
      pyCell(
        "numbers = [int(line.split('|')[1]) for line in read_file('data.txt').splitlines()]\nprint(numbers)",
      ),
      pyCell("SUBMIT(answer=str(sum(n * n for n in numbers)))"),
    ]));
    const run = await runCli([...flags, "Sum the squares in data.txt."], {
      cwd: dir.file("work"),
      home: dir.path,
      env: { ...lmEnv(server.url), XDG_CACHE_HOME: TEST_CACHE_HOME, ...env },
    });
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.stdout.trim(), "25");
    const mains = requestsOf(server.requests, MAIN_MODEL).map(messagesOf);
    assertStringIncludes(mains[0][0].content, "You work by writing Python");
    assertStringIncludes(mains[1].at(-1)!.content, "[3, 4]");
  }
});

Deno.test("--repl with a bad value exits 2 with one line, and --help lists the setting", async () => {
  await using dir = await tempDir();
  const bad = await runCli(["--repl", "ruby", "hi"], {
    cwd: dir.path,
    env: lmEnv("http://127.0.0.1:1/v1"),
  });
  assertEquals(bad.code, 2);
  assertEquals(bad.stderr.trim().split("\n").length, 1, bad.stderr);
  assertStringIncludes(bad.stderr, "repl must be js, python");
  const help = await runCli(["--help"], { cwd: dir.path });
  assertEquals(help.code, 0);
  const line = help.stdout.split("\n").find((l) => l.includes("--repl"));
  assert(line, help.stdout);
  assertStringIncludes(line, "--repl js|python");
  assertStringIncludes(line, "NANOCODE_REPL");
});
