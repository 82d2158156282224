import { assertEquals } from "../helpers/assert.ts";
import { baseEnv, lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { VERSION } from "../../src/version.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

Deno.test("the single-file bundle answers --version and runs a scripted one-shot task with its sandbox", async () => {
  await using out = await tempDir();
  const bundle = out.file("nanocode.js");
  // The same command as `deno task bundle`, with another output path.
  const build = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/bundle.ts", bundle],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(build.code, 0, new TextDecoder().decode(build.stderr));

  // Run it from a folder with no deno.json, as a user elsewhere would.
  await using work = await tempDir({ "notes.txt": "bundled\n" });
  const run = (args: string[], env: Record<string, string> = {}) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", bundle, ...args],
      cwd: work.path,
      clearEnv: true,
      env: { ...baseEnv(work.path), ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
  const version = await run(["--version"]);
  assertEquals(
    new TextDecoder().decode(version.stdout),
    `nanocode ${VERSION}\n`,
  );

  await using server = await startLmServer(routeByModel([
    cell("const text = read_file('notes.txt')\nprint(text)"),
    cell("SUBMIT(text.split('| ')[1])"),
  ]));
  const task = await run(["what do the notes say?"], lmEnv(server.url));
  assertEquals(new TextDecoder().decode(task.stderr), "");
  assertEquals(new TextDecoder().decode(task.stdout), "bundled\n");
  assertEquals(task.code, 0);
});
