import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel, taskMessage } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { startHubServer } from "../program/_hub_server.ts";

function hubEnv(
  hub: { url: string; token: string },
  home: string,
): Record<string, string> {
  return {
    MODAIC_TOKEN: hub.token,
    MODAIC_GIT_URL: hub.url,
    MODAIC_API_URL: hub.url,
    MODAIC_CACHE: `${home}/.cache/modaic`,
  };
}

Deno.test("nanocode push OWNER/NAME saves the configuration as a program on the hub, and --program loads it", async () => {
  await using dir = await tempDir();
  await using hub = await startHubServer();
  const env = hubEnv(hub, dir.path);
  const push = await runCli([
    "push",
    "alice/coder",
    "--max-iters",
    "7",
    "--branch",
    "main",
    "-m",
    "first version",
  ], {
    cwd: dir.path,
    env,
  });
  assertEquals(push.stderr, "");
  assertEquals(push.code, 0);
  assertStringIncludes(push.stdout, "Pushed the program to alice/coder@main");
  const created = hub.rest.find((r) => r.path === "/api/v2/repos");
  assertEquals((created?.body as { name?: string })?.name, "coder");
  const configJson = JSON.parse(
    await hub.git("alice", "coder", ["show", "main:config.json"]),
  );
  assertEquals(configJson.model, null);
  assertEquals(configJson.max_iters, 7);
  const programJson = await hub.git("alice", "coder", [
    "show",
    "main:program.json",
  ]);
  assert(
    !/api_key|MODAIC|token/i.test(programJson.replace(/max_tokens/g, "")),
    "no secret in program.json",
  );

  // --program brings the saved max_iters back; a flag still wins over it.
  await using server = await startLmServer(
    routeByModel([cell("SUBMIT('ok')"), cell("SUBMIT('ok')")]),
  );
  const run = await runCli(["--program", "alice/coder@main", "hi"], {
    cwd: dir.path,
    env: { ...env, ...lmEnv(server.url) },
  });
  assertEquals(run.code, 0, run.stderr);
  const first = taskMessage(server.requests, 0);
  assertStringIncludes(first, "Cell 1 of 7.");
  const flagged = await runCli([
    "--program",
    "alice/coder",
    "--max-iters",
    "3",
    "hi",
  ], {
    cwd: dir.path,
    env: { ...env, ...lmEnv(server.url) },
  });
  assertEquals(flagged.code, 0, flagged.stderr);
  const second = taskMessage(server.requests, 1);
  assertStringIncludes(second, "Cell 1 of 3.");
});

Deno.test("nanocode push fails in one line without MODAIC_TOKEN, and --program with a bad id exits 2", async () => {
  await using dir = await tempDir();
  await using hub = await startHubServer();
  const push = await runCli(["push", "alice/coder"], {
    cwd: dir.path,
    env: { MODAIC_GIT_URL: hub.url, MODAIC_API_URL: hub.url },
  });
  assertEquals(push.code, 1);
  assertEquals(push.stderr.trim().split("\n").length, 1);
  assertStringIncludes(push.stderr, "MODAIC_TOKEN");
  const bad = await runCli(["--program", "justonename", "hi"], {
    cwd: dir.path,
    env: lmEnv("http://127.0.0.1:1/v1"),
  });
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, "Cannot load program justonename");
});
