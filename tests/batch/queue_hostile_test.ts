/**
 * The queue is shared state that others can write to or lose: a worker
 * that returns garbage, a Redis that comes back without its data.
 */
import { Redis } from "ioredis";
import { type Job, Worker } from "bullmq";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import { redisMissing, startRedis } from "../helpers/redis.ts";
import { OPENAI } from "../helpers/emulator/errors.ts";
import { byTask, writeFilePlay } from "./_fixtures.ts";
import { gate, jsonLines, spawnCli } from "./_cli.ts";
import { mountTinyTmpfs, TMPFS } from "./_disk.ts";
import {
  resultIds,
  startSubmitter,
  startWorkers,
  stopWorkers,
  tasksFile,
} from "./_queue.ts";

/** Resolves once `test` holds for Redis's keys (checked every 50 ms). */
async function untilKeys(
  port: number,
  test: (keys: string[]) => boolean,
): Promise<void> {
  const redis = new Redis({ host: "127.0.0.1", port, lazyConnect: true });
  await redis.connect();
  try {
    while (!test(await redis.keys("*"))) {
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    redis.disconnect();
  }
}

Deno.test({
  name:
    "a worker that returns malformed results gets them recorded as its failure, never written as they came",
  ignore: Boolean(redisMissing),
  async fn() {
    await using redis = await startRedis();
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(["m1", "m2"]) });
    // A worker that is not nanocode's (or a broken one): it answers every
    // job with something shaped like a result, but not one.
    const forged = (job: Job) =>
      job.data.task.id === "m1"
        ? {
          id: "m1",
          status: "done",
          answer: "\u001b]0;pwned\u0007",
          usage: "lots",
          duration_ms: "soon",
          forged: true,
        }
        : { id: "someone-else", status: "done" };
    const hostile = new Worker("nanocode", async (job: Job) => {
      const result = forged(job);
      await job.updateData({ ...job.data, result });
      return result;
    }, {
      connection: new Redis({
        host: "127.0.0.1",
        port: redis.port,
        maxRetriesPerRequest: null,
      }),
    });
    try {
      const submitter = startSubmitter(
        dir,
        redis.url,
        lmEnv("http://127.0.0.1:9/v1"),
      );
      const done = await submitter.done;
      assertEquals(done.code, 1, done.stderr);
      const lines = (await dir.read("results.jsonl")).trim().split("\n")
        .map((l) => JSON.parse(l));
      assertEquals(lines.map((r) => r.id).sort(), ["m1", "m2"]);
      for (const r of lines) {
        assertEquals(r.status, "failed");
        assertEquals(r.error.cause, "worker");
        assertStringIncludes(r.error.message, "malformed");
        assertEquals(r.answer, null);
        assertEquals(typeof r.usage.promptTokens, "number");
        assertEquals(typeof r.duration_ms, "number");
        assert(!("forged" in r));
      }
      assert(!done.stderr.includes("\u001b]0;"), "no escape reached stderr");
      const summary = jsonLines(done.stdout).at(-1)!;
      assertEquals(summary.causes, { worker: ["m1", "m2"] });
    } finally {
      await hostile.close();
    }
  },
});

Deno.test({
  name:
    "jobs Redis lost (restarted without its data) are queued again, and every task still ends once",
  ignore: Boolean(redisMissing),
  async fn() {
    await using redis = await startRedis();
    const ids = ["l1", "l2", "l3"];
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(ids) });
    const starts = new Map<string, number>();
    await using server = await startLmServer(byTask((id, step) => {
      if (step === 0) starts.set(id, (starts.get(id) ?? 0) + 1);
      return writeFilePlay(id, step);
    }));
    const submitter = startSubmitter(dir, redis.url, lmEnv(server.url));
    // The jobs are queued, then Redis loses everything (FLUSHALL is what a
    // restart without persistence, or an eviction, looks like).
    await untilKeys(
      redis.port,
      (keys) => keys.filter((k) => /\.l\d-/.test(k)).length === 3,
    );
    const admin = new Redis({ host: "127.0.0.1", port: redis.port });
    await admin.flushall();
    admin.disconnect();
    const workers = startWorkers(1, dir, redis.url, server.url);
    try {
      const done = await submitter.done;
      assertEquals(done.code, 0, done.stderr);
      assertStringIncludes(done.stderr, "missing from the queue");
      assertEquals(resultIds(await dir.read("results.jsonl")), ids);
      for (const id of ids) assertEquals(starts.get(id), 1, `${id} ran once`);
    } finally {
      await stopWorkers(workers);
    }
  },
});

Deno.test({
  name:
    "a worker whose key is refused hands its task to another worker and stops, recording nothing",
  ignore: Boolean(redisMissing),
  async fn() {
    await using redis = await startRedis();
    const ids = ["r1", "r2", "r3", "r4"];
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(ids) });
    const refused = gate();
    await using server = await startLmServer((request) => {
      const key = request.headers.authorization?.replace(/^Bearer /, "") ?? "";
      if (key === "sk-revoked-0000") {
        refused.open();
        const { status, body } = OPENAI.badKey(key);
        return { status, errorBody: body };
      }
      return byTask(writeFilePlay)(request, 0);
    });
    const worker = (name: string, key: string) =>
      spawnCli([
        "worker",
        "--queue",
        redis.url,
        "--concurrency",
        "2",
        "--permission-mode",
        "auto-edit",
      ], {
        cwd: dir.path,
        home: `${dir.path}/${name}`,
        env: lmEnv(server.url, { OPENAI_API_KEY: key }),
      });
    // The machine with the revoked key starts first and takes what it can.
    const bad = worker("bad", "sk-revoked-0000");
    const submitter = startSubmitter(dir, redis.url, lmEnv(server.url));
    await refused.promise;
    const badDone = await bad.done;
    assertEquals(badDone.code, 1, badDone.stderr);
    assertStringIncludes(badDone.stderr, "its model cannot be used here");
    assertStringIncludes(badDone.stderr, "Incorrect API key provided");
    assertEquals(
      jsonLines(badDone.stdout).filter((e) => e.type === "task"),
      [],
      "the bad worker finished no task",
    );
    const good = worker("good", "sk-good-1111");
    try {
      const done = await submitter.done;
      assertEquals(done.code, 0, done.stderr);
      const lines = (await dir.read("results.jsonl")).trim().split("\n")
        .map((l) => JSON.parse(l));
      assertEquals(lines.map((r) => r.id).sort(), ids);
      assert(lines.every((r) => r.status === "done"));
    } finally {
      await stopWorkers([good]);
    }
  },
});

Deno.test({
  name:
    "Redis going away mid-batch: one clear notice each, nothing finished is lost, and the batch ends once it is back",
  ignore: Boolean(redisMissing),
  async fn() {
    let redis = await startRedis();
    const port = redis.port;
    const ids = ["g1", "g2", "g3", "g4"];
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(ids) });
    const hold = gate();
    await using server = await startLmServer(byTask(async (id, step) => {
      if (step === 0 && (id === "g3" || id === "g4")) await hold.promise;
      return writeFilePlay(id, step);
    }));
    const workers = startWorkers(1, dir, redis.url, server.url, [
      "--concurrency",
      "4",
    ]);
    try {
      const submitter = startSubmitter(dir, redis.url, lmEnv(server.url));
      let collected = 0;
      await submitter.waitForLine((line) =>
        line.includes('"type":"task"') && ++collected === 2
      );
      // Redis dies (and comes back empty) while g3 and g4 run.
      await redis[Symbol.asyncDispose]();
      await new Promise((r) => setTimeout(r, 1500));
      hold.open();
      await new Promise((r) => setTimeout(r, 1500));
      redis = await startRedis({ port });
      const done = await submitter.done;
      assertEquals(done.code, 0, done.stderr);
      assertEquals(resultIds(await dir.read("results.jsonl")), ids);
      for (const out of [done.stderr, workers[0].stderr()]) {
        const lost = out.split("\n").filter((l) => l.includes("Lost the"));
        assertEquals(lost.length, 1, out);
        assertStringIncludes(
          out,
          `Connected to Redis at 127.0.0.1:${port} again`,
        );
        assert(
          out.split("\n").filter((l) => l.includes("Queue error")).length <= 2,
          out,
        );
      }
    } finally {
      hold.open();
      await stopWorkers(workers);
      await redis[Symbol.asyncDispose]();
    }
  },
});

Deno.test({
  name:
    "the submitter needs no API key: it runs no model, the workers use theirs",
  ignore: Boolean(redisMissing),
  async fn() {
    await using redis = await startRedis();
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(["k1"]) });
    await using server = await startLmServer(byTask(writeFilePlay));
    const workers = startWorkers(1, dir, redis.url, server.url);
    try {
      // A machine with no key and no model server (a CI job that submits).
      const done = await startSubmitter(dir, redis.url).done;
      assertEquals(done.code, 0, done.stderr);
      assertEquals(resultIds(await dir.read("results.jsonl")), ["k1"]);
    } finally {
      await stopWorkers(workers);
    }
  },
});

Deno.test({
  name:
    "a submitter that cannot write a result stops with the reason and leaves the job to collect later",
  ignore: Boolean(redisMissing) || !TMPFS,
  async fn() {
    await using redis = await startRedis();
    await using dir = await tempDir({ "tasks.jsonl": tasksFile(["big"]) });
    await using disk = await tempDir();
    if (!await mountTinyTmpfs(disk.path)) throw new Error("mount failed");
    try {
      // The task writes 200 KB: its patch does not fit on the 64 KiB disk.
      await using server = await startLmServer(
        byTask((id, step) =>
          step === 1
            ? {
              text: "Writing it.\n\n```js\n" +
                'write_file("task-big.txt", "x".repeat(200000))\nSUBMIT("done")\n```',
            }
            : writeFilePlay(id, step)
        ),
      );
      const workers = startWorkers(1, dir, redis.url, server.url);
      try {
        const out = `${disk.path}/results.jsonl`;
        const first = await startSubmitter(dir, redis.url, {}, ["--out", out])
          .done;
        assertEquals(first.code, 1, first.stderr);
        assertStringIncludes(first.stderr, `Cannot write to ${out}`);
        // With room again, the same command collects the result once.
        const roomy = dir.file("results.jsonl");
        await Deno.copyFile(out, roomy);
        const again = await startSubmitter(dir, redis.url, {}, ["--out", roomy])
          .done;
        assertEquals(again.code, 0, again.stderr);
        // The line cut short by the full disk does not count.
        const lines = jsonLines(await dir.read("results.jsonl"));
        assertEquals(lines.map((r) => r.id), ["big"]);
        assertEquals(lines[0].status, "done");
      } finally {
        await stopWorkers(workers);
      }
    } finally {
      await new Deno.Command("umount", { args: [disk.path] }).output();
    }
  },
});
