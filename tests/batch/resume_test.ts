import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import { parseResults } from "../../src/batch/results_file.ts";
import { byTask, writeFilePlay } from "./_fixtures.ts";
import { gate, spawnCli } from "./_cli.ts";

const IDS = Array.from({ length: 10 }, (_, i) => `t${i + 1}`);

Deno.test("a batch killed half-way and run again runs no finished task twice and loses none", async () => {
  await using dir = await tempDir({
    "tasks.jsonl": IDS.map((id) =>
      JSON.stringify({
        id,
        task: `[task ${id}] Write the file task-${id}.txt.`,
        verify: `test -f task-${id}.txt`,
      })
    ).join("\n") + "\n",
  });
  // Which tasks the model holds (their first reply waits), and who is waiting.
  let holding = new Set(["t6", "t7"]);
  let held = gate();
  const waiting = new Set<string>();
  let allWaiting = gate();
  const starts = new Map<string, number>();
  await using server = await startLmServer(byTask(async (id, step) => {
    if (step === 0) {
      starts.set(id, (starts.get(id) ?? 0) + 1);
      if (holding.has(id)) {
        waiting.add(id);
        if ([...holding].every((h) => waiting.has(h))) allWaiting.open();
        await held.promise;
        waiting.delete(id);
      }
    }
    return writeFilePlay(id, step);
  }));
  const args = [
    "batch",
    "tasks.jsonl",
    "-j",
    "2",
    "--permission-mode",
    "auto-edit",
  ];
  const options = { cwd: dir.path, home: dir.path, env: lmEnv(server.url) };
  try {
    // 1. Two at a time: when t6 and t7 both wait, t1..t5 are recorded. Crash it.
    const first = spawnCli(args, options);
    await allWaiting.promise;
    const before = parseResults(await dir.read("results.jsonl"));
    assertEquals([...before.keys()].sort(), ["t1", "t2", "t3", "t4", "t5"]);
    first.child.kill("SIGKILL");
    await first.done;
    held.open();

    // 2. Run again, and stop it cleanly with Ctrl-C while t8 and t9 wait.
    holding = new Set(["t8", "t9"]);
    held = gate();
    allWaiting = gate();
    const second = spawnCli(args, options);
    await allWaiting.promise;
    second.child.kill("SIGINT");
    const stopped = await second.done;
    held.open();
    assertEquals(stopped.code, 130, stopped.stderr);
    assertStringIncludes(stopped.stderr, "interrupted");
    assertStringIncludes(
      stopped.stderr,
      "tasks     10: 7 done, 0 failed, 0 timed out, 3 not finished",
    );
    const middle = (await dir.read("results.jsonl")).split("\n").filter(
      Boolean,
    );
    // Every line is whole JSON; t6 and t7 were finished by the second run.
    assertEquals(
      middle.map((l) => JSON.parse(l).id).sort(),
      [
        "t1",
        "t2",
        "t3",
        "t4",
        "t5",
        "t6",
        "t7",
      ].sort(),
    );

    // 3. The third run finishes the rest.
    holding = new Set();
    const third = spawnCli(args, options);
    const finished = await third.done;
    assertEquals(finished.code, 0, finished.stderr);
  } finally {
    held.open();
  }
  const lines = (await dir.read("results.jsonl")).split("\n").filter(Boolean)
    .map((l) => JSON.parse(l));
  assertEquals(
    lines.map((r) => r.id).sort(),
    [...IDS].sort(),
    "one result per task",
  );
  assert(lines.every((r) => r.status === "done" && r.verify_exit === 0));
  // Finished tasks never ran again; the interrupted ones ran exactly once more.
  for (const id of IDS) {
    const expected = ["t6", "t7", "t8", "t9"].includes(id) ? 2 : 1;
    assertEquals(starts.get(id), expected, `model turns started for ${id}`);
  }
  // No lock is left behind.
  assert(
    !(await Deno.stat(join(dir.path, "results.jsonl.lock")).catch(() => null)),
  );
});
