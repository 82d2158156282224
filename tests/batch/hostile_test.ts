import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import { MemoryOutput } from "../../src/ui/terminal.ts";
import { createStyle } from "../../src/ui/style.ts";
import { copyName } from "../../src/batch/copy.ts";
import { runLocalBatch } from "../../src/batch/local.ts";
import { terminalReporter } from "../../src/batch/progress.ts";
import {
  ResultsFile,
  ResultsLockedError,
  ResultsWriteError,
} from "../../src/batch/results_file.ts";
import { Throttle } from "../../src/batch/throttle.ts";
import { blankResult } from "../../src/batch/run_task.ts";
import { summarize } from "../../src/batch/summary.ts";
import {
  byTask,
  filesIn,
  gitIn,
  gitRepo,
  recordingReporter,
  testContext,
  writeFilePlay,
} from "./_fixtures.ts";
import { mountTinyTmpfs, TMPFS } from "./_disk.ts";

Deno.test("setup and verify commands from a tasks file never see API keys or nanocode's settings", async () => {
  await using work = await tempDir();
  await using server = await startLmServer(byTask(writeFilePlay));
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  const context = testContext(server.url, work.path, {
    commandEnv: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      OPENAI_API_KEY: "sk-live-0123456789",
      GITHUB_TOKEN: "ghp_secret_token",
      NANOCODE_API_BASE: "http://127.0.0.1:9/v1",
      AWS_SECRET_ACCESS_KEY: "aws-secret",
      HARMLESS: "visible",
    },
  });
  await runLocalBatch({
    tasks: [{
      id: "env",
      task: "[task env] Write the file task-env.txt.",
      setup: "env > setup-env.txt",
      verify: "env > verify-env.txt",
    }],
    results,
    reporter: recordingReporter().reporter,
    context,
  });
  results.close();
  const copy = join(work.path, "copies", copyName("env"));
  for (const file of ["setup-env.txt", "verify-env.txt"]) {
    const env = await Deno.readTextFile(join(copy, file));
    assertStringIncludes(env, "HARMLESS=visible");
    for (
      const secret of [
        "sk-live",
        "ghp_secret",
        "aws-secret",
        "NANOCODE_API_BASE",
      ]
    ) {
      assert(!env.includes(secret), `${file} shows ${secret}`);
    }
  }
});

Deno.test("a hostile task id cannot put its copy outside the work folder", async () => {
  await using work = await tempDir();
  await using server = await startLmServer(byTask(writeFilePlay));
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  const id = "../../../escaped";
  await runLocalBatch({
    tasks: [{ id, task: `[task ${id}] Write a file.` }],
    results,
    reporter: recordingReporter().reporter,
    context: testContext(server.url, work.path),
  });
  results.close();
  assertEquals(results.finished.get(id)?.status, "done");
  const copies = await filesIn(join(work.path, "copies"));
  assert(copies.every((f) => f.startsWith(copyName(id))), copies.join(", "));
  assert(
    !(await Deno.stat(join(work.path, "..", "escaped")).catch(() => null)),
  );
});

Deno.test("copying a repository runs none of its hooks and leaves no way to push back", async () => {
  await using marker = await tempDir();
  await using repo = await gitRepo({ "a.txt": "a\n" });
  for (
    const hook of [
      "post-checkout",
      "post-commit",
      "pre-commit",
      "reference-transaction",
    ]
  ) {
    const path = join(repo.path, ".git", "hooks", hook);
    await Deno.writeTextFile(path, `#!/bin/sh\ntouch ${marker.path}/${hook}\n`);
    await Deno.chmod(path, 0o755);
  }
  await using work = await tempDir();
  await using server = await startLmServer(byTask(writeFilePlay));
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  await runLocalBatch({
    tasks: [{ id: "h", task: "[task h] Write a file.", repo: repo.path }],
    results,
    reporter: recordingReporter().reporter,
    context: testContext(server.url, work.path),
  });
  results.close();
  assertEquals(results.finished.get("h")?.status, "done");
  assertEquals(await filesIn(marker.path), [], "no hook ran");
  const copy = join(work.path, "copies", copyName("h"));
  assertEquals((await gitIn(copy, "remote")).trim(), "");
});

Deno.test("the progress bar shows task ids and errors inert", () => {
  const out = new MemoryOutput(true, 120);
  const reporter = terminalReporter(out, createStyle(false));
  reporter.start({ total: 1, pending: 1, concurrency: 1 });
  const id = "evil\x1b]52;c;aGVsbG8=\x07\x1b[2J";
  reporter.taskStarted(id);
  reporter.taskFinished(
    blankResult(id, {
      cause: "agent",
      message: "boom \x1b]8;;http://x\x07link",
    }),
  );
  const result = blankResult(id, { cause: "agent", message: "x" });
  reporter.finished(
    summarize([{ id, task: "t" }], new Map([[id, result]])),
    10,
    false,
  );
  assert(!out.text.includes("\x1b]"), "no OSC sequence reaches the terminal");
  assert(!out.text.includes("\x1b[2J"), "no screen clear reaches the terminal");
  assertStringIncludes(out.text, "evil␛]52");
});

Deno.test("ResultsFile.open() refuses a file another batch is writing, and takes over a dead one's lock", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "r.jsonl");
  const first = await ResultsFile.open(path);
  try {
    await ResultsFile.open(path).then(
      () => assert(false, "a second writer was let in"),
      (error) => {
        assert(error instanceof ResultsLockedError);
        assertStringIncludes(error.message, "Another batch");
      },
    );
  } finally {
    first.close();
  }
  // A lock left by a process that is gone.
  await Deno.writeTextFile(`${path}.lock`, "999999999\n");
  const again = await ResultsFile.open(path);
  again.close();
});

Deno.test({
  name:
    "runLocalBatch() stops starting tasks when the results file cannot be written (a full disk)",
  ignore: !TMPFS,
  fn: async () => {
    await using results = await tempDir();
    if (!await mountTinyTmpfs(results.path)) throw new Error("mount failed");
    await using work = await tempDir();
    try {
      // The first task writes 200 KB: its patch does not fit on the 64 KiB disk.
      await using server = await startLmServer(
        byTask((id, step) =>
          id === "big" && step === 1
            ? {
              text: "Writing it.\n\n```js\n" +
                'write_file("big.txt", "x".repeat(200000))\nSUBMIT("done")\n```',
            }
            : writeFilePlay(id, step)
        ),
      );
      const file = await ResultsFile.open(join(results.path, "r.jsonl"));
      const { reporter, seen } = recordingReporter();
      const context = testContext(server.url, work.path);
      context.throttle = new Throttle(1);
      const error = await runLocalBatch({
        tasks: ["big", "second", "third"].map((id) => ({
          id,
          task: `[task ${id}] write`,
        })),
        results: file,
        reporter,
        context,
      }).then(() => null, (e) => e);
      file.close();
      assert(error instanceof ResultsWriteError, String(error));
      assertStringIncludes(error.message, "Cannot write to");
      assertEquals(seen.started, ["big"], "nothing ran after the failed write");
    } finally {
      await new Deno.Command("umount", { args: [results.path] }).output();
    }
  },
});
