import { assert, assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import { byTask, writeFilePlay } from "./_fixtures.ts";
import { gate, jsonLines, type RunningCli, spawnCli } from "./_cli.ts";
import {
  redisDump,
  resultIds,
  startWorkers,
  stopWorkers,
  SUBMITTER_KEY,
  tasksFile,
} from "./_queue.ts";
import { redisMissing, startRedis } from "../helpers/redis.ts";

function startedBy(workers: RunningCli[], id: string): number[] {
  return workers.flatMap((w, i) =>
    jsonLines(w.stdout()).some((e) => e.type === "task_start" && e.id === id)
      ? [i]
      : []
  );
}

Deno.test({
  name:
    "batch --queue with three workers runs every task once, with the workers' keys only",
  ignore: Boolean(redisMissing),
  async fn() {
    await using redis = await startRedis();
    const ids = Array.from({ length: 9 }, (_, i) => `q${i + 1}`);
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(ids) });
    const starts = new Map<string, number>();
    const hold = gate();
    let held = gate();
    await using server = await startLmServer(byTask(async (id, step) => {
      if (step === 0) {
        starts.set(id, (starts.get(id) ?? 0) + 1);
        if (id === "q1") {
          held.open();
          await hold.promise;
        }
      }
      return writeFilePlay(id, step);
    }));
    const workers = startWorkers(3, dir, redis.url, server.url);
    try {
      const submitter = spawnCli(
        ["batch", "tasks.jsonl", "--queue", redis.url],
        {
          cwd: dir.path,
          home: dir.path,
          env: lmEnv(server.url, { OPENAI_API_KEY: SUBMITTER_KEY }),
        },
      );
      await held.promise;
      // While q1 runs, look at what the queue holds.
      const stored = await redisDump(redis.port);
      assert(
        stored.includes("[task q1] Write the file"),
        "the task is on the queue",
      );
      assert(
        !stored.includes(SUBMITTER_KEY),
        "no key travels through the queue",
      );
      assert(!stored.includes(server.url), "nor where keys are sent");
      hold.open();
      const done = await submitter.done;
      assertEquals(done.code, 0, done.stderr);
      assertEquals(resultIds(await dir.read("results.jsonl")), [...ids].sort());
      const events = jsonLines(done.stdout);
      assertEquals(events.filter((e) => e.type === "task").length, 9);
      assertEquals(events.at(-1)?.type, "summary");
      assertEquals(events.at(-1)?.done, 9);
    } finally {
      hold.open();
      held = gate();
      await stopWorkers(workers);
    }
    for (const id of ids) assertEquals(starts.get(id), 1, `${id} ran once`);
    const keys = new Set(
      server.requests.map((r) => r.headers.authorization),
    );
    assertEquals([...keys].every((k) => /^Bearer sk-worker-\d$/.test(k)), true);
    // Collected jobs are removed from Redis.
    const left = await redisDump(redis.port);
    assert(!left.includes("[task q"), "no job is left behind");
    // Nor any answer or patch (BullMQ's event stream outlives the jobs).
    assert(!left.includes("Wrote task-q"), "no answer is left behind");
    assert(!left.includes("made by q"), "no patch is left behind");
  },
});

Deno.test({
  name:
    "a worker killed with SIGKILL mid-task has its task finished by another",
  ignore: Boolean(redisMissing),
  async fn() {
    await using redis = await startRedis();
    const ids = ["victim", "k2", "k3", "k4"];
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(ids) });
    const starts = new Map<string, number>();
    const hold = gate();
    const victimHeld = gate();
    await using server = await startLmServer(byTask(async (id, step) => {
      if (step === 0) {
        starts.set(id, (starts.get(id) ?? 0) + 1);
        if (id === "victim" && starts.get(id) === 1) {
          victimHeld.open();
          await hold.promise;
        }
      }
      return writeFilePlay(id, step);
    }));
    const workers = startWorkers(3, dir, redis.url, server.url, [
      "--stalled-after",
      "3",
    ]);
    try {
      const submitter = spawnCli(
        ["batch", "tasks.jsonl", "--queue", redis.url],
        {
          cwd: dir.path,
          home: dir.path,
          env: lmEnv(server.url),
        },
      );
      await victimHeld.promise;
      const owner = await new Promise<number>((resolve) => {
        workers.forEach((w, i) =>
          w.waitForLine((line) => line.includes('"task_start","id":"victim"'))
            .then((line) => line && resolve(i))
        );
      });
      workers[owner].child.kill("SIGKILL");
      await workers[owner].done;
      const done = await submitter.done;
      assertEquals(done.code, 0, done.stderr);
      assertEquals(resultIds(await dir.read("results.jsonl")), [...ids].sort());
      assertEquals(starts.get("victim"), 2, "victim ran again after the kill");
      const finishers = workers.flatMap((w, i) =>
        jsonLines(w.stdout()).some((e) =>
            e.type === "task" && e.id === "victim"
          )
          ? [i]
          : []
      );
      assertEquals(finishers.length, 1);
      assert(finishers[0] !== owner, "another worker finished it");
      assert(startedBy(workers, "victim").includes(finishers[0]));
    } finally {
      hold.open();
      await stopWorkers(workers);
    }
  },
});

Deno.test({
  name: "a submitter killed and started again collects every result once",
  ignore: Boolean(redisMissing),
  async fn() {
    await using redis = await startRedis();
    const ids = ["s1", "s2", "s3", "s4", "s5", "s6"];
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(ids) });
    const starts = new Map<string, number>();
    const hold = gate();
    await using server = await startLmServer(byTask(async (id, step) => {
      if (step === 0) {
        starts.set(id, (starts.get(id) ?? 0) + 1);
        if (["s4", "s5", "s6"].includes(id)) await hold.promise;
      }
      return writeFilePlay(id, step);
    }));
    const workers = startWorkers(3, dir, redis.url, server.url);
    const options = { cwd: dir.path, home: dir.path, env: lmEnv(server.url) };
    try {
      const first = spawnCli(
        ["batch", "tasks.jsonl", "--queue", redis.url],
        options,
      );
      let collected = 0;
      await first.waitForLine((line) =>
        line.includes('"type":"task"') && ++collected === 3
      );
      first.child.kill("SIGKILL");
      await first.done;
      assertEquals(resultIds(await dir.read("results.jsonl")), [
        "s1",
        "s2",
        "s3",
      ]);
      // The workers finish the rest while no submitter is there.
      hold.open();
      await Promise.all(
        ["s4", "s5", "s6"].map((id) =>
          new Promise<void>((resolve) =>
            workers.forEach((w) =>
              w.waitForLine((l) => l.includes(`"type":"task","id":"${id}"`))
                .then((l) => l && resolve())
            )
          )
        ),
      );
      const second = spawnCli(
        ["batch", "tasks.jsonl", "--queue", redis.url],
        options,
      );
      const done = await second.done;
      assertEquals(done.code, 0, done.stderr);
      const collectedNow = jsonLines(done.stdout).filter((e) =>
        e.type === "task"
      )
        .map((e) => e.id).sort();
      assertEquals(collectedNow, ["s4", "s5", "s6"]);
    } finally {
      hold.open();
      await stopWorkers(workers);
    }
    const lines = (await dir.read("results.jsonl")).split("\n").filter(Boolean);
    assertEquals(lines.length, 6);
    assertEquals(resultIds(lines.join("\n")), ids);
    for (const id of ids) assertEquals(starts.get(id), 1, `${id} ran once`);
  },
});

Deno.test({
  name:
    "a worker stopped with Ctrl-C hands its task back, and a task rate-limited to failure goes back on the queue",
  ignore: Boolean(redisMissing),
  async fn() {
    await using redis = await startRedis();
    const ids = ["handed", "limited"];
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(ids) });
    const starts = new Map<string, number>();
    const hold = gate();
    const handedHeld = gate();
    let limitedCalls = 0;
    await using server = await startLmServer(byTask(async (id, step) => {
      if (step === 0) starts.set(id, (starts.get(id) ?? 0) + 1);
      if (id === "handed" && step === 0 && starts.get(id) === 1) {
        handedHeld.open();
        await hold.promise;
      }
      // The first five calls of "limited" (one call and its four retries) are rate-limited.
      if (id === "limited" && step === 0 && ++limitedCalls <= 5) {
        return {
          status: 429,
          errorBody: {
            error: {
              message: "Rate limit reached for requests",
              type: "requests",
              param: null,
              code: "rate_limit_exceeded",
            },
          },
          headers: { "retry-after-ms": "10" },
        };
      }
      return writeFilePlay(id, step);
    }));
    const options = { cwd: dir.path, home: dir.path, env: lmEnv(server.url) };
    const first = startWorkers(1, dir, redis.url, server.url);
    let second: RunningCli[] = [];
    try {
      const submitter = spawnCli(
        ["batch", "tasks.jsonl", "--queue", redis.url],
        options,
      );
      await handedHeld.promise;
      first[0].child.kill("SIGINT");
      const stopped = await first[0].done;
      assertEquals(stopped.code, 0, stopped.stderr);
      hold.open();
      second = startWorkers(1, dir, redis.url, server.url);
      const done = await submitter.done;
      assertEquals(done.code, 0, done.stderr);
      const results = (await dir.read("results.jsonl")).split("\n")
        .filter(Boolean).map((l) => JSON.parse(l));
      assertEquals(results.map((r) => r.id).sort(), ["handed", "limited"]);
      assert(results.every((r) => r.status === "done"));
      assertEquals(starts.get("handed"), 2, "handed back, then run again");
      assertEquals(
        limitedCalls,
        6,
        "five 429s, then the run that went through",
      );
      const workerOut = [...first, ...second].map((w) => w.stderr()).join("");
      assert(
        workerOut.includes("limited goes back in line: rate limited (1 of 3)"),
        workerOut,
      );
    } finally {
      hold.open();
      await stopWorkers([...first, ...second]);
    }
  },
});
