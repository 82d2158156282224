import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { assert, assertEquals } from "../helpers/assert.ts";
import { startLmServer, type Step } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import { runLocalBatch } from "../../src/batch/local.ts";
import { ResultsFile } from "../../src/batch/results_file.ts";
import { readTasks } from "../../src/batch/task_file.ts";
import { Throttle } from "../../src/batch/throttle.ts";
import {
  filesIn,
  recordingReporter,
  stepOf,
  testContext,
} from "./_fixtures.ts";

const SUITE = fileURLToPath(
  new URL("../../bench/tasks/suite.jsonl", import.meta.url),
);
const SOLUTIONS = fileURLToPath(
  new URL("../../bench/tasks/solutions/", import.meta.url),
);

/** A model that writes the reference solution, in the way a model writes. */
async function solvingStep(id: string, step: number): Promise<Step> {
  const files = await filesIn(join(SOLUTIONS, id));
  if (step === 0) {
    // Read what it will change first (nanocode refuses to overwrite an unread file).
    const reads = files.map((file) =>
      `try { print(read_file(${
        JSON.stringify(file)
      })) } catch (e) { print(String(e)) }`
    );
    return {
      text:
        "<think>\nThe README says what to build; check.js is the test. I should read both, and the source.\n</think>\n\n" +
        "Let me read the README, the test and the source first.\n\n```js\n" +
        'print(read_file("README.md"))\nprint(read_file("check.js"))\n' +
        reads.join("\n") + "\n```",
    };
  }
  const writes = await Promise.all(
    files.map(async (file) =>
      `write_file(${JSON.stringify(file)}, ${
        JSON.stringify(await Deno.readTextFile(join(SOLUTIONS, id, file)))
      })`
    ),
  );
  return {
    text: "Now I know what is expected. I'll write the implementation.\n\n" +
      "```javascript\n" + writes.join("\n") +
      '\nSUBMIT("Implemented as the README describes.")\n```\n\nDone.',
  };
}

function lazyStep(): Step {
  return {
    text:
      "I looked but I am not sure what to change.\n\n```js\nSUBMIT('I could not find the problem.')\n```",
  };
}

async function runSuite(solve: boolean) {
  const tasks = await readTasks(SUITE);
  const ids = tasks.map((t) => t.id);
  // Which task a request is for: its task text is in the first user message.
  const byText = new Map(tasks.map((t) => [t.task, t.id]));
  await using work = await tempDir();
  await using server = await startLmServer(async (request) => {
    const messages = request.body.messages ?? [];
    const first = messages.find((m) => m.role === "user")?.content ?? "";
    const id = [...byText].find(([text]) => first.includes(text))?.[1] ?? "";
    return solve ? await solvingStep(id, stepOf(request)) : lazyStep();
  });
  const results = await ResultsFile.open(join(work.path, "results.jsonl"));
  const { reporter } = recordingReporter();
  const run = await runLocalBatch({
    tasks,
    results,
    reporter,
    context: testContext(server.url, work.path, {
      throttle: new Throttle(4),
      keepCopies: "none",
    }),
  });
  results.close();
  return { run, results: results.finished, ids };
}

Deno.test("the example suite has at least 10 tasks, each in its own fixture with a verify command", async () => {
  const tasks = await readTasks(SUITE);
  assert(tasks.length >= 10, `${tasks.length} tasks`);
  for (const task of tasks) {
    assert(task.verify, `${task.id} has a verify command`);
    assert(task.repo && (await Deno.stat(task.repo)).isDirectory);
    assert((await Deno.stat(join(SOLUTIONS, task.id))).isDirectory);
  }
});

Deno.test("the example suite's verify commands fail untouched and pass with the reference solutions", async () => {
  const lazy = await runSuite(false);
  for (const id of lazy.ids) {
    const r = lazy.results.get(id)!;
    assertEquals(r.status, "done", `${id}: ${JSON.stringify(r.error)}`);
    assert(r.verify_exit !== 0, `${id} passes without any change`);
  }
  assertEquals(lazy.run.summary.verify.passed, 0);

  const solved = await runSuite(true);
  for (const id of solved.ids) {
    const r = solved.results.get(id)!;
    assertEquals(r.verify_exit, 0, `${id}: ${JSON.stringify(r)}`);
    assert(r.diff.includes("+++ b/src/"), `${id} has a patch`);
  }
  assertEquals(solved.run.summary.verify.passed, solved.ids.length);
});
