import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import { runLocalBatch } from "../../src/batch/local.ts";
import { ResultsFile } from "../../src/batch/results_file.ts";
import { copyName } from "../../src/batch/copy.ts";
import { Throttle } from "../../src/batch/throttle.ts";
import type { BatchTask, TaskResult } from "../../src/batch/types.ts";
import {
  byTask,
  filesIn,
  gitIn,
  gitRepo,
  recordingReporter,
  testContext,
  writeFilePlay,
} from "./_fixtures.ts";

Deno.test("runLocalBatch() runs 20 tasks at concurrency 4, each in its own copy", async () => {
  await using repo = await gitRepo({
    "README.md": "# shared fixture\n",
    "src/app.js": "export const version = 1;\n",
  });
  const sourceHead = (await gitIn(repo.path, "rev-parse", "HEAD")).trim();
  await using work = await tempDir();
  let inFlight = 0;
  let maxInFlight = 0;
  await using server = await startLmServer(
    byTask(async (id, step) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Promise.resolve();
      inFlight--;
      return writeFilePlay(id, step);
    }),
  );
  const ids = Array.from({ length: 20 }, (_, i) => `t${i + 1}`);
  const tasks: BatchTask[] = ids.map((id, i) => ({
    id,
    task: `[task ${id}] Write the file task-${id}.txt.`,
    repo: repo.path,
    // Every fifth task's verify fails; all check that no other task's file is here.
    verify:
      `test -f task-${id}.txt && [ "$(ls task-*.txt)" = "task-${id}.txt" ]` +
      (i % 5 === 4 ? " && exit 3" : ""),
  }));
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  const { reporter, seen } = recordingReporter();
  const context = testContext(server.url, work.path, {
    throttle: new Throttle(4),
  });
  const run = await runLocalBatch({ tasks, results, context, reporter });
  results.close();

  assertEquals(run.interrupted, false);
  assert(maxInFlight <= 4, `at most 4 model calls at once, saw ${maxInFlight}`);
  const lines = (await work.read("results.jsonl")).trim().split("\n").map((
    l,
  ) => JSON.parse(l) as TaskResult);
  assertEquals(lines.map((r) => r.id).sort(), [...ids].sort());
  assertEquals(seen.started.sort(), [...ids].sort());
  for (const [i, id] of ids.entries()) {
    const r = lines.find((line) => line.id === id)!;
    assertEquals(r.status, "done", JSON.stringify(r.error));
    assertEquals(r.answer, `Wrote task-${id}.txt`);
    assertEquals(r.verify_exit, i % 5 === 4 ? 3 : 0);
    assertEquals(r.steps, 2);
    assert(r.usage.lmCalls === 2 && r.usage.promptTokens > 0);
    assertStringIncludes(r.diff, `+++ b/task-${id}.txt`);
    assertStringIncludes(r.diff, `+made by ${id}`);
    // Only this task's file is in its patch and in its copy.
    assertEquals(r.diff.match(/^\+\+\+ /gm)?.length, 1);
    const copy = join(work.path, "copies", copyName(id));
    assertEquals(await filesIn(copy), [
      "README.md",
      "src/app.js",
      `task-${id}.txt`,
    ]);
    assert(typeof r.session === "string");
    const session = await Deno.readTextFile(
      join(work.path, "sessions", `${r.session}.jsonl`),
    );
    assertStringIncludes(session, `[task ${id}]`);
  }
  assertEquals(run.summary.done, 20);
  assertEquals(run.summary.verify, {
    tasks: 20,
    passed: 16,
    failed: 4,
    notRun: 0,
  });
  assertEquals(run.summary.causes["verify failed"]?.length, 4);
  // The source repository is untouched: same commit, clean, no new branches or worktrees.
  assertEquals(
    (await gitIn(repo.path, "rev-parse", "HEAD")).trim(),
    sourceHead,
  );
  assertEquals(await gitIn(repo.path, "status", "--porcelain"), "");
  assertEquals(
    (await gitIn(repo.path, "worktree", "list")).trim().split("\n").length,
    1,
  );
});
