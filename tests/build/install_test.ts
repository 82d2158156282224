/**
 * The README's install line: `deno install -g` puts a `nanocode` command in
 * the install root, and that command works from any folder.
 */

import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { baseEnv, lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { VERSION } from "../../src/version.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("deno install -g with the README's line gives a nanocode command that runs a task from another folder", async () => {
  await using root = await tempDir();
  await using work = await tempDir({ "notes.txt": "installed\n" });
  const denoBin = Deno.execPath().replace(/\/[^/]+$/, "");
  const env = {
    ...baseEnv(work.path),
    // The installed script runs `deno` by name.
    PATH: `${denoBin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    DENO_INSTALL_ROOT: root.path,
  };
  // The README's command, with the checkout's absolute paths.
  const install = await new Deno.Command(Deno.execPath(), {
    args: [
      "install",
      "-g",
      "-A",
      "-q",
      "-n",
      "nanocode",
      "--config",
      `${ROOT}/deno.json`,
      `${ROOT}/main.ts`,
    ],
    cwd: work.path,
    clearEnv: true,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(install.code, 0, new TextDecoder().decode(install.stderr));

  await using server = await startLmServer(routeByModel([
    cell("SUBMIT(read_file('notes.txt'))"),
  ]));
  const run = (args: string[]) =>
    new Deno.Command(`${root.path}/bin/nanocode`, {
      args,
      cwd: work.path,
      clearEnv: true,
      env: { ...env, ...lmEnv(server.url) },
      stdout: "piped",
      stderr: "piped",
    }).output();
  const version = await run(["--version"]);
  assertEquals(
    new TextDecoder().decode(version.stdout),
    `nanocode ${VERSION}\n`,
  );
  const task = await run(["what do the notes say?"]);
  const stderr = new TextDecoder().decode(task.stderr);
  assertEquals(task.code, 0, stderr);
  assertStringIncludes(new TextDecoder().decode(task.stdout), "installed");
});
