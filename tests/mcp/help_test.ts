/**
 * `nanocode mcp --help` (and `help`, `-h`, `SUB --help`) answers like every
 * other `--help`: the usage on stdout, exit code 0; a wrong command line
 * still gets the usage on stderr with exit code 2.
 */

import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp.ts";

Deno.test("nanocode mcp --help, -h, help and SUB --help print the usage on stdout and exit 0", async () => {
  await using dir = await tempDir();
  for (
    const args of [
      ["mcp", "--help"],
      ["mcp", "-h"],
      ["mcp", "help"],
      ["mcp", "add", "--help"],
      ["mcp", "list", "-h"],
      ["mcp", "call", "--help"],
    ]
  ) {
    const run = await runCli(args, { cwd: dir.path });
    assertEquals(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
    assertEquals(run.stderr, "", args.join(" "));
    for (const verb of ["list", "get", "add", "remove", "call"]) {
      assertStringIncludes(run.stdout, `nanocode mcp ${verb}`);
    }
  }
  // No configuration was written by asking for help.
  assertEquals(
    await Deno.stat(`${dir.path}/.config/nanocode/config.json`).then(
      () => true,
      () => false,
    ),
    false,
  );
});

Deno.test("nanocode mcp with an unknown command or flag prints the usage on stderr and exits 2", async () => {
  await using dir = await tempDir();
  for (const args of [["mcp", "frobnicate"], ["mcp", "add", "--frob"]]) {
    const run = await runCli(args, { cwd: dir.path });
    assertEquals(run.code, 2, args.join(" "));
    assertEquals(run.stdout, "");
    assertStringIncludes(run.stderr, "nanocode: ");
  }
});

Deno.test("nanocode mcp after -- passes --help on as a server's argument", async () => {
  await using dir = await tempDir();
  const run = await runCli(["mcp", "add", "srv", "--", "mcp-srv", "--help"], {
    cwd: dir.path,
  });
  assertEquals(run.code, 0, run.stderr);
  const config = JSON.parse(
    await Deno.readTextFile(`${dir.path}/.config/nanocode/config.json`),
  );
  assertEquals(config.mcpServers.srv.args, ["--help"]);
});
