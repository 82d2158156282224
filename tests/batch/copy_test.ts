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

Deno.test("a bare repository works as a repo path, and patches carry new, deleted and binary files", async () => {
  await using repo = await gitRepo({ "keep.txt": "keep\n", "gone.txt": "x\n" });
  await gitIn(repo.path, "checkout", "-qb", "feature");
  await Deno.writeTextFile(join(repo.path, "keep.txt"), "feature\n");
  await gitIn(repo.path, "commit", "-qam", "feature");
  await using bare = await tempDir();
  const bareRepo = join(bare.path, "app.git");
  await gitIn(bare.path, "clone", "-q", "--bare", repo.path, bareRepo);
  await using work = await tempDir();
  await using server = await startLmServer(byTask((id, step) =>
    step === 0
      ? {
        text: codeReply(
          "I'll replace gone.txt with a small binary file.",
          `print(await run_bash("rm gone.txt && printf 'P\\\\0\\\\1\\\\2\\\\377' > blob.bin && cat keep.txt"))`,
        ),
      }
      : writeFilePlay(id, 1)
  ));
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  await runLocalBatch({
    tasks: [
      { id: "bare-head", task: "[task bare-head] edit", repo: bareRepo },
      {
        id: "bare-branch",
        task: "[task bare-branch] edit",
        repo: bareRepo,
        ref: "feature",
        verify: "grep -q feature keep.txt",
      },
    ],
    results,
    reporter: recordingReporter().reporter,
    context: testContext(server.url, work.path, { yes: true }),
  });
  results.close();
  for (const id of ["bare-head", "bare-branch"]) {
    const r = results.finished.get(id)!;
    assertEquals(r.status, "done", JSON.stringify(r.error));
    assertStringIncludes(r.diff, "deleted file mode 100644");
    assertStringIncludes(r.diff, "GIT binary patch");
    assertStringIncludes(r.diff, `+++ b/task-${id}.txt`);
  }
  assertEquals(results.finished.get("bare-branch")!.verify_exit, 0);
  // The binary patch applies to a checkout of the ref and gives the same bytes.
  await using check = await tempDir();
  await gitIn(check.path, "clone", "-q", "-b", "feature", bareRepo, "c");
  const clone = join(check.path, "c");
  const patch = join(check.path, "p.patch");
  await Deno.writeTextFile(patch, results.finished.get("bare-branch")!.diff);
  await gitIn(clone, "apply", patch);
  assertEquals(
    [...await Deno.readFile(join(clone, "blob.bin"))],
    [0x50, 0, 1, 2, 0xff],
  );
  assert(!(await Deno.stat(join(clone, "gone.txt")).catch(() => null)));
  // The bare repository itself is untouched.
  assertEquals(
    (await gitIn(bareRepo, "for-each-ref", "--format=%(refname)")).trim(),
    "refs/heads/feature\nrefs/heads/main",
  );
});

Deno.test("a patch too big for the results file is left out, and the copy it points to is kept", async () => {
  await using work = await tempDir();
  await using server = await startLmServer(byTask(writeFilePlay));
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  await runLocalBatch({
    tasks: [{
      id: "huge",
      task: "[task huge] Write the file task-huge.txt.",
      setup: "head -c 7000000 /dev/urandom | base64 > generated.txt",
    }],
    results,
    reporter: recordingReporter().reporter,
    context: testContext(server.url, work.path, { keepCopies: "failed" }),
  });
  results.close();
  const r = results.finished.get("huge")!;
  assertEquals(r.status, "done");
  assertStringIncludes(r.diff, "generated.txt");
  const kept = /the copy is kept at (\S+)\]/.exec(r.diff)?.[1];
  assert(kept, r.diff);
  assert(
    (await Deno.stat(join(kept, "generated.txt"))).size > 8_000_000,
    "the copy is where the result says",
  );
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
