import { assertEquals } from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

Deno.test("nanocode opens no network connection except to the configured model server", async () => {
  await using dir = await tempDir({ "a.txt": "x\n" });
  await using server = await startLmServer(routeByModel([
    cell("print(read_file('a.txt'))\nprint(llm_query('hi'))"),
    cell("SUBMIT('done')"),
  ]));
  const port = new URL(server.url).port;
  const run = await runCli(["do it"], {
    cwd: dir.path,
    env: lmEnv(server.url),
    // Everything nanocode needs, but the network only to the scripted server.
    denoFlags: [
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-run",
      "--allow-sys",
      `--allow-net=127.0.0.1:${port}`,
      "--no-prompt",
    ],
  });
  assertEquals(run.stderr, "");
  assertEquals(run.stdout, "done\n");
  assertEquals(run.code, 0);
});
