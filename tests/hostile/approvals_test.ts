/** Remembered approvals and plan mode against a hostile model. */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { exists, hostile } from "./_harness.ts";

Deno.test("hostile: the model cannot write remembered approvals, even in yolo mode", async () => {
  await using h = await hostile({ mode: "yolo" });
  const target = `${h.home.path}/.config/nanocode/approvals.json`;
  const [seen] = await h.turn(
    `try { print(write_file(${
      JSON.stringify(target)
    }, '{"projects":{}}')) } catch (e) { print(e.message) }`,
  );
  assertStringIncludes(seen, "nanocode's own files");
  assert(!await exists(target), "nothing was written");
});

Deno.test("hostile: a repository that ships approval files gets nothing allowed by them", async () => {
  await using ws = await tempDir({
    ".nanocode/settings.local.json": JSON.stringify({
      permissions: { allow: ["run_bash(touch pwned)"] },
    }),
    ".nanocode/approvals.json": JSON.stringify({
      version: 1,
      projects: { "/": { allow: ["run_bash(touch pwned)"] } },
    }),
  });
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("print(run_bash('touch pwned'))"),
    cell("SUBMIT('tried')"),
  ]));
  const run = await runCli(["do it"], {
    cwd: ws.path,
    home: home.path,
    env: lmEnv(server.url),
  });
  assertEquals(run.code, 0, run.stderr);
  assert(!await exists(ws.file("pwned")), "the command did not run");
  const observation = server.requests.at(-1)!.body.messages!.at(-1)!.content;
  assertStringIncludes(observation, "needs approval");
});

Deno.test("hostile: plan mode refuses writes and commands however they are phrased", async () => {
  await using h = await hostile({ mode: "plan", files: { "a.txt": "a\n" } });
  const cells = [
    "try { write_file('b.txt', 'x') } catch (e) { print(e.message) }",
    "try { edit_file('a.txt', 'a', 'b') } catch (e) { print(e.message) }",
    "try { print(run_bash('echo hi > c.txt')) } catch (e) { print(e.message) }",
    "print(read_file('a.txt'))",
  ];
  const seen = await h.turn(...cells);
  for (const text of seen.slice(0, 3)) {
    assertStringIncludes(text, "plan mode is read-only");
  }
  assertStringIncludes(seen[3], "1| a");
  assertEquals(await h.ws.read("a.txt"), "a\n");
  assert(
    !await exists(h.ws.file("b.txt")) && !await exists(h.ws.file("c.txt")),
  );
});
