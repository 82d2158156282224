import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { NO_BWRAP } from "../helpers/bwrap.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { plain, startPty } from "../helpers/pty.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

Deno.test({
  name:
    "interactive banner says commands run in the bubblewrap sandbox, and what auto-edit does with it",
  ignore: NO_BWRAP,
  fn: async () => {
    await using dir = await tempDir();
    await using server = await startLmServer(routeByModel([]));
    await using pty = startPty(["--permission-mode", "auto-edit"], {
      cwd: dir.path,
      env: lmEnv(server.url),
    });
    await pty.waitFor("Type a task");
    // Notes are wrapped at words to the terminal's width.
    assertStringIncludes(
      plain(pty.output).replace(/\s+/g, " "),
      "Sandbox: bubblewrap. Commands see the workspace writable, the rest read-only, no network, secrets hidden; they run without asking, and leaving the sandbox asks. ",
    );
    await pty.send("/q\r");
    assertEquals(await pty.exit(), 0);
  },
});

Deno.test("interactive banner says when the sandbox setting is off (--sandbox off)", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([]));
  await using pty = startPty(["--sandbox", "off"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  await pty.waitFor("Type a task");
  assertStringIncludes(
    plain(pty.output).replace(/\s+/g, " "),
    "Sandbox: off (sandbox setting). Commands run with your full rights; approvals follow the permission mode. ",
  );
  await pty.send("/q\r");
  assertEquals(await pty.exit(), 0);
});

Deno.test("NANOCODE_SANDBOX=off runs commands without the sandbox, and a bad value is a usage error", async () => {
  await using dir = await tempDir();
  await using outside = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell(`print(run_bash('touch ${outside.path}/made'))`),
    cell("SUBMIT('done')"),
  ]));
  const run = await runCli(["--yes", "make it"], {
    cwd: dir.path,
    env: lmEnv(server.url, { NANOCODE_SANDBOX: "off" }),
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stderr, "");
  await Deno.stat(`${outside.path}/made`);
  const bad = await runCli(["--sandbox", "maybe", "hi"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(bad.code, 2);
  assertStringIncludes(
    bad.stderr,
    'Invalid --sandbox value "maybe": sandbox must be auto, off',
  );
});

Deno.test("a saved program neither carries nor changes the sandbox setting", async () => {
  const { configJson, parseConfigJson } = await import(
    "../../src/program/config_json.ts"
  );
  const { DEFAULT_CONFIG } = await import("../../src/config/fields.ts");
  const saved = configJson({ ...DEFAULT_CONFIG, sandbox: "off" });
  assertEquals("sandbox" in saved, false);
  const loaded = parseConfigJson(
    { model: null, sandbox: "off" },
    "config.json",
  );
  assertEquals(loaded.sandbox, "auto");
});
