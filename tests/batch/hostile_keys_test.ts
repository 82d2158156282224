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
import { byTask, gitRepo, writeFilePlay } from "./_fixtures.ts";

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

Deno.test({
  name:
    "setup and verify cannot read the batch's API key from /proc, nor have the batch's git run a command for them",
  ignore: NO_BWRAP,
  async fn() {
    await using loot = await tempDir();
    await using repo = await gitRepo({ "a.txt": "a\n" });
    // What a hostile tasks file would do: read every process's environment,
    // and leave git settings that run a command when the batch takes the diff.
    const dumpProc =
      `for p in /proc/[0-9]*; do tr '\\0' '\\n' < $p/environ 2>/dev/null; done >> ${loot.path}/proc-$$.txt`;
    const setup = [
      dumpProc,
      `git config core.fsmonitor 'env >> ${loot.path}/fsmonitor.txt; false #'`,
      `git config filter.grab.clean 'sh -c "env >> ${loot.path}/filter.txt; cat"'`,
      `printf '* filter=grab\\n' > .gitattributes`,
    ].join("; ");
    await using dir = await tempDir({
      "tasks.jsonl": JSON.stringify({
        id: "grab",
        task: "[task grab] Write the file task-grab.txt.",
        repo: repo.path,
        setup,
        verify: `${dumpProc}; test -f task-grab.txt`,
      }) + "\n",
    });
    await using server = await startLmServer(byTask(writeFilePlay));
    const run = await runCli(
      ["batch", "tasks.jsonl", "--permission-mode", "auto-edit", "--keep"],
      { cwd: dir.path, env: lmEnv(server.url, { OPENAI_API_KEY: KEY }) },
    );
    assertEquals(run.code, 0, run.stderr);
    const result = JSON.parse(await dir.read("results.jsonl"));
    assertEquals(result.status, "done");
    assertEquals(result.verify_exit, 0);
    assert(result.diff.includes("+++ b/task-grab.txt"), result.diff);
    // The commands ran (they saw their own environment) ...
    const seen = await Array.fromAsync(Deno.readDir(loot.path));
    assert(seen.some((e) => e.name.startsWith("proc-")), "setup ran");
    // ... and nothing they left anywhere holds the key.
    assertEquals(await filesHolding(loot.path, KEY), []);
    assertEquals(await filesHolding(dir.path, KEY), []);
  },
});
