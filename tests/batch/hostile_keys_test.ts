/**
 * A tasks file (or a job on a shared queue) is input from elsewhere: its
 * `setup` and `verify` commands must not reach the API key of the process
 * running them, neither through their own environment, nor through
 * `/proc/<pid>/environ` of the batch, nor through git settings that the
 * batch's own git commands would run.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../helpers/assert.ts";
import { NO_BWRAP } from "../helpers/bwrap.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import { runLocalBatch } from "../../src/batch/local.ts";
import { ResultsFile } from "../../src/batch/results_file.ts";
import {
  byTask,
  gitRepo,
  recordingReporter,
  testContext,
  writeFilePlay,
} from "./_fixtures.ts";

const KEY = "sk-live-batch-KEY-5f3e2d1c";

/** Every file under `dir` whose contents hold `needle`. */
async function filesHolding(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (path: string) => {
    for await (const entry of Deno.readDir(path)) {
      const full = join(path, entry.name);
      if (entry.isDirectory) await walk(full);
      else if (entry.isFile) {
        const text = await Deno.readTextFile(full).catch(() => "");
        if (text.includes(needle)) found.push(full);
      }
    }
  };
  await walk(dir);
  return found;
}

/** Runs one task with `setup` and `verify` through the CLI, with the key set; returns its result. */
async function runHostile(setup: string, verify: string, cwd: string) {
  await using repo = await gitRepo({ "a.txt": "a\n" });
  await Deno.writeTextFile(
    join(cwd, "tasks.jsonl"),
    JSON.stringify({
      id: "grab",
      task: "[task grab] Write the file task-grab.txt.",
      repo: repo.path,
      setup,
      verify: `${verify}; test -f task-grab.txt`,
    }) + "\n",
  );
  await using server = await startLmServer(byTask(writeFilePlay));
  const run = await runCli(
    ["batch", "tasks.jsonl", "--permission-mode", "auto-edit", "--keep"],
    { cwd, env: lmEnv(server.url, { OPENAI_API_KEY: KEY }) },
  );
  assertEquals(run.code, 0, run.stderr);
  const result = JSON.parse(
    await Deno.readTextFile(join(cwd, "results.jsonl")),
  );
  assertEquals(result.status, "done");
  assertEquals(result.verify_exit, 0);
  assert(result.diff.includes("+++ b/task-grab.txt"), result.diff);
  return result;
}

Deno.test("settings a tasks file writes into the copy's .git are never run by the batch's own git", async () => {
  await using loot = await tempDir();
  await using dir = await tempDir();
  // git runs these when it refreshes the index or stages a file.
  const setup = [
    `git config core.fsmonitor 'env >> ${loot.path}/fsmonitor.txt; false #'`,
    `git config filter.grab.clean 'sh -c "env >> ${loot.path}/filter.txt; cat"'`,
    `printf '* filter=grab\\n' > .gitattributes`,
  ].join("; ");
  await runHostile(setup, "true", dir.path);
  assertEquals(await filesHolding(loot.path, KEY), []);
  assertEquals(await filesHolding(dir.path, KEY), []);
});

Deno.test({
  name:
    "setup and verify cannot read the batch's API key from /proc (they run in the command sandbox)",
  ignore: NO_BWRAP,
  async fn() {
    await using loot = await tempDir();
    await using dir = await tempDir();
    const dumpProc = (name: string) =>
      `for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ 2>/dev/null; done >> ${loot.path}/${name}.txt`;
    await runHostile(dumpProc("setup"), dumpProc("verify"), dir.path);
    // The commands ran (they saw their own environment) ...
    const seen = await Array.fromAsync(Deno.readDir(loot.path));
    assertEquals(seen.map((e) => e.name).sort(), ["setup.txt", "verify.txt"]);
    // ... and nothing they left anywhere holds the key.
    assertEquals(await filesHolding(loot.path, KEY), []);
    assertEquals(await filesHolding(dir.path, KEY), []);
  },
});

Deno.test({
  name:
    "setup and verify see the task's own .env files, also through a symlinked work folder",
  ignore: NO_BWRAP,
  async fn() {
    await using repo = await gitRepo({ ".env": "MODE=test\n" });
    await using work = await tempDir();
    await Deno.mkdir(join(work.path, "real"));
    await Deno.symlink(join(work.path, "real"), join(work.path, "link"));
    await using server = await startLmServer(byTask(writeFilePlay));
    const results = await ResultsFile.open(join(work.path, "results.jsonl"));
    await runLocalBatch({
      tasks: [{
        id: "env",
        task: "[task env] Write the file task-env.txt.",
        repo: repo.path,
        setup: "grep -q MODE=test .env",
        verify: "grep -q MODE=test .env",
      }],
      results,
      reporter: recordingReporter().reporter,
      context: testContext(server.url, join(work.path, "link")),
    });
    results.close();
    const r = results.finished.get("env")!;
    assertEquals(r.status, "done", JSON.stringify(r.error));
    assertEquals(r.verify_exit, 0);
  },
});
