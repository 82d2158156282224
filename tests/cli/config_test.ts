import { assertEquals } from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, messagesOf, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { loadConfig } from "../../src/config/load.ts";

/** A server whose model answers with the max_iters it was told about in the prompt. */
function echoLimits() {
  return startLmServer(routeByModel([cell("SUBMIT('ok')")]));
}

function maxItersSeen(
  body: { messages?: { role: string; content: string }[] },
): number {
  const first = messagesOf({ body } as never)[1].content;
  return Number(/Cell 1 of (\d+)/.exec(first)![1]);
}

Deno.test("config precedence: flags > environment > --config > project > user > defaults", async () => {
  await using dir = await tempDir({
    // The project's limits are lower than the user's: an untrusted project
    // may lower limits, not raise them.
    ".config/nanocode/config.json": JSON.stringify({
      max_iters: 66,
      max_tokens: 666,
      cell_timeout: 5,
    }),
    "work/.nanocode/config.json": JSON.stringify({
      max_iters: 22,
      max_tokens: 222,
    }),
    "extra.json": JSON.stringify({ max_iters: 33 }),
  });
  const cases: [string[], Record<string, string>, number][] = [
    [[], {}, 22],
    [["--config", dir.file("extra.json")], {}, 33],
    [["--config", dir.file("extra.json")], { NANOCODE_MAX_ITERS: "44" }, 44],
    [["--config", dir.file("extra.json"), "--max-iters", "55"], {
      NANOCODE_MAX_ITERS: "44",
    }, 55],
  ];
  for (const [flags, env, expected] of cases) {
    await using server = await echoLimits();
    const run = await runCli([...flags, "hi"], {
      cwd: dir.file("work"),
      home: dir.path,
      env: { ...lmEnv(server.url), ...env },
    });
    assertEquals(run.code, 0, run.stderr);
    // The first request asks the local server's /models for the model's limits.
    const [chat] = server.requests.filter((r) => r.method === "POST");
    assertEquals(
      maxItersSeen(chat.body),
      expected,
      `flags ${flags.join(" ")} env ${JSON.stringify(env)}`,
    );
    assertEquals(chat.body.max_tokens, 222);
  }
});

Deno.test("loadConfig() reports where each value came from and MODEL overrides lm", async () => {
  await using dir = await tempDir({
    "user.json": JSON.stringify({
      lm: "openai/from-user",
      verbose: true,
      colour: 1,
    }),
  });
  const env: Record<string, string> = {
    MODEL: "openai/from-model",
    NANOCODE_LM: "openai/from-env",
  };
  const loaded = await loadConfig({
    env: (n) => env[n],
    userFile: dir.file("user.json"),
    flags: { max_iters: "3" },
  });
  assertEquals(loaded.config.lm, "openai/from-model");
  assertEquals(loaded.sources.lm, "environment");
  assertEquals(loaded.config.verbose, true);
  assertEquals(loaded.sources.verbose, "user config");
  assertEquals(loaded.sources.max_iters, "flag");
  assertEquals(loaded.sources.sub_lm, "default");
  assertEquals(loaded.warnings, [
    `Unknown key "colour" in ${dir.file("user.json")} was ignored`,
  ]);
});

Deno.test("nanocode reports a broken config file in one line with exit code 2", async () => {
  await using dir = await tempDir({ ".nanocode/config.json": "{ max_iters: " });
  const run = await runCli(["hi"], {
    cwd: dir.path,
    env: lmEnv("http://127.0.0.1:1/v1"),
  });
  assertEquals(run.code, 2);
  assertEquals(run.stderr.trim().split("\n").length, 1);
  assertEquals(
    run.stderr.startsWith(
      `nanocode: Config file ${
        dir.file(".nanocode/config.json")
      } is not valid JSON`,
    ),
    true,
  );
});

Deno.test("nanocode reports a malformed permission rule at start-up with exit code 2", async () => {
  await using dir = await tempDir({
    ".nanocode/config.json": JSON.stringify({
      permissions: { allow: ["run_bash(git status"] },
    }),
  });
  const run = await runCli(["hi"], {
    cwd: dir.path,
    env: lmEnv("http://127.0.0.1:1/v1"),
  });
  assertEquals(run.code, 2);
  assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
  assertEquals(
    run.stderr.includes('permission rule "run_bash(git status"'),
    true,
    run.stderr,
  );
});
