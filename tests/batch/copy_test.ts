import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { codeReply, startLmServer } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import { runLocalBatch } from "../../src/batch/local.ts";
import { ResultsFile } from "../../src/batch/results_file.ts";
import type { BatchTask } from "../../src/batch/types.ts";
import {
  byTask,
  gitIn,
  gitRepo,
  recordingReporter,
  testContext,
  writeFilePlay,
} from "./_fixtures.ts";

Deno.test("tasks start from their ref, from a path or a git URL, and their patch applies to that ref", async () => {
  await using repo = await gitRepo({ "version.txt": "one\n" });
  await gitIn(repo.path, "tag", "v1");
  await Deno.writeTextFile(join(repo.path, "version.txt"), "two\n");
  await gitIn(repo.path, "commit", "-qam", "two");
  await using work = await tempDir();
  // The model edits version.txt, whatever it holds.
  await using server = await startLmServer(byTask((id, step) =>
    step === 0
      ? {
        text: codeReply(
          "I'll append a line to version.txt.",
          `const v = read_file("version.txt")\nprint(v)\nwrite_file("version.txt", "edited by ${id}\\n")`,
        ),
      }
      : writeFilePlay(id, 1)
  ));
  const tasks: BatchTask[] = [
    { id: "at-tag", task: "[task at-tag] edit", repo: repo.path, ref: "v1" },
    {
      id: "url-branch",
      task: "[task url-branch] edit",
      repo: `file://${repo.path}`,
      ref: "main",
    },
    {
      id: "bad-ref",
      task: "[task bad-ref] edit",
      repo: `file://${repo.path}`,
      ref: "no-such-tag",
    },
  ];
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  await runLocalBatch({
    tasks,
    results,
    reporter: recordingReporter().reporter,
    context: testContext(server.url, work.path),
  });
  results.close();
  const atTag = results.finished.get("at-tag")!;
  assertStringIncludes(atTag.diff, "-one\n+edited by at-tag");
  const atMain = results.finished.get("url-branch")!;
  assertStringIncludes(atMain.diff, "-two\n+edited by url-branch");
  const bad = results.finished.get("bad-ref")!;
  assertEquals(bad.status, "failed");
  assertEquals(bad.error?.cause, "copy");
  assertStringIncludes(bad.error!.message, 'ref "no-such-tag"');
  // The patch applies to a fresh checkout of the ref.
  await using check = await tempDir();
  await gitIn(check.path, "clone", "-q", repo.path, "c");
  const clone = join(check.path, "c");
  await gitIn(clone, "checkout", "-q", "v1");
  const patch = join(check.path, "at-tag.patch");
  await Deno.writeTextFile(patch, atTag.diff);
  await gitIn(clone, "apply", patch);
  assertEquals(
    await Deno.readTextFile(join(clone, "version.txt")),
    "edited by at-tag\n",
  );
  assert(
    await Deno.stat(join(clone, "task-at-tag.txt")).then(() => true),
    "new files are in the patch too",
  );
  // The URL was fetched once into a mirror, then cloned locally per task.
  const mirrors = [...Deno.readDirSync(join(work.path, "mirrors"))];
  assertEquals(mirrors.length, 1);
});

Deno.test("runLocalBatch() with retryFailed runs failed tasks again and the newest result counts", async () => {
  await using work = await tempDir();
  let failFirst = true;
  await using server = await startLmServer(byTask((id, step) => {
    if (id === "flaky" && failFirst) {
      failFirst = false;
      return {
        status: 400,
        errorBody: {
          error: {
            message: "Invalid request: messages[1].content is too long",
            type: "invalid_request_error",
            param: "messages",
            code: null,
          },
        },
      };
    }
    return writeFilePlay(id, step);
  }));
  const tasks: BatchTask[] = [
    { id: "flaky", task: "[task flaky] write" },
    { id: "steady", task: "[task steady] write" },
  ];
  const path = join(work.path, "results.jsonl");
  const run = async (retryFailed: boolean) => {
    const results = await ResultsFile.open(path);
    const { reporter, seen } = recordingReporter();
    const outcome = await runLocalBatch({
      tasks,
      results,
      reporter,
      retryFailed,
      context: testContext(server.url, work.path),
    });
    results.close();
    return { outcome, started: seen.started };
  };
  const first = await run(false);
  assertEquals(first.outcome.summary.failed, 1);
  assertEquals((await run(false)).started, [], "a plain re-run skips both");
  const retried = await run(true);
  assertEquals(retried.started, ["flaky"]);
  assertEquals(retried.outcome.summary.done, 2);
  const lines = (await work.read("results.jsonl")).trim().split("\n");
  assertEquals(lines.length, 3, "the failed line stays; the new one follows");
});
