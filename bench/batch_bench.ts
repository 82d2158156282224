/**
 * Batch benchmarks (issue 14): what a batch adds per task over a bare
 * `nanocode -p` of the same task, locally and through Redis, and how
 * throughput scales with 1, 2 and 4 queue workers, all against an instant
 * scripted model (two replies per task: write a file, then submit).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { Figure } from "./lib.ts";
import { median, sse } from "./lib.ts";
import { REDIS_SERVER, startRedis } from "../tests/helpers/redis.ts";

const deno = Deno.execPath();
const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const TASK = "Write the file out.txt, then submit.";

/** A model that answers at once: step 0 writes out.txt, step 1 submits. */
function taskServer() {
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen: () => {},
  }, async (req) => {
    const body = await req.json().catch(() => ({}));
    const steps = (body.messages ?? []).filter((
      m: { role: string },
    ) => m.role === "assistant").length;
    const code = steps === 0
      ? 'write_file("out.txt", "done\\n")'
      : 'SUBMIT("wrote out.txt")';
    return new Response(sse(`Next.\n\n\`\`\`js\n${code}\n\`\`\``), {
      headers: { "content-type": "text/event-stream" },
    });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/v1`,
    close: () => server.shutdown(),
  };
}

async function run(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<number> {
  const start = performance.now();
  const out = await new Deno.Command(deno, {
    args: ["run", "-A", MAIN, ...args],
    cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - start;
  if (!out.success) {
    throw new Error(
      `nanocode ${args.join(" ")} failed: ${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  return ms;
}

async function tasksFile(dir: string, name: string, count: number) {
  const path = join(dir, `${name}.jsonl`);
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      id: `${name}-${i}`,
      task: TASK,
      repo: "repo",
      verify: "test -f out.txt",
    }));
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

/** Starts `count` workers and resolves once each says it takes tasks. */
async function startWorkers(
  count: number,
  url: string,
  cwd: string,
  env: Record<string, string>,
) {
  const children = Array.from({ length: count }, () =>
    new Deno.Command(deno, {
      args: [
        "run",
        "-A",
        MAIN,
        "worker",
        "--queue",
        url,
        "-j",
        "1",
        "--permission-mode",
        "auto-edit",
      ],
      cwd,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn());
  await Promise.all(children.map(async (child) => {
    let seen = "";
    const reader = child.stderr.pipeThrough(new TextDecoderStream())
      .getReader();
    while (!seen.includes("takes tasks")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`a worker exited: ${seen}`);
      seen += value;
    }
    // Keep draining so the worker never blocks on a full pipe.
    (async () => {
      while (!(await reader.read()).done) { /* drain */ }
    })().catch(() => {});
  }));
  /** Stops the workers; returns the CPU ms they and their finished children used. */
  return async () => {
    const cpu = children.reduce((sum, c) => sum + cpuMs(c.pid), 0);
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((c) => c.status));
    return cpu;
  };
}

/** CPU time (user + system) of a process and its waited-for children, in ms. */
function cpuMs(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime, stime, cutime, cstime: fields 14 to 17, in clock ticks (100 a second).
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks * 10;
}

/** Runs the batch benchmarks and returns their figures. */
export async function batchBench(): Promise<Figure[]> {
  const dir = await Deno.makeTempDir({ prefix: "nanocode-bench-batch-" });
  const server = taskServer();
  const env = {
    PATH: Deno.env.get("PATH") ?? "",
    HOME: dir,
    XDG_CACHE_HOME: join(dir, ".cache"),
    DENO_DIR: Deno.env.get("DENO_DIR") ??
      `${Deno.env.get("HOME")}/.cache/deno`,
    NO_COLOR: "1",
    NANOCODE_API_BASE: server.url,
    NANOCODE_LM: "openai/main-model",
    NANOCODE_SUB_LM: "openai/main-model",
    OPENAI_API_KEY: "k",
  };
  const repo = join(dir, "repo");
  await Deno.mkdir(repo);
  await Deno.writeTextFile(join(repo, "README.md"), "# bench\n");
  const figures: Figure[] = [];
  try {
    // A bare one-shot of the same task, in a copy of the same folder.
    const bareRuns: number[] = [];
    for (let i = 0; i < 8; i++) {
      const work = join(dir, `bare-${i}`);
      await Deno.mkdir(work);
      await Deno.writeTextFile(join(work, "README.md"), "# bench\n");
      const ms = await run(
        ["-p", TASK, "--permission-mode", "auto-edit"],
        work,
        env,
      );
      if (i >= 2) bareRuns.push(ms);
    }
    const bare = median(bareRuns);

    const n = 10;
    const local = await run(
      [
        "batch",
        await tasksFile(dir, "local", n),
        "-j",
        "1",
        "--permission-mode",
        "auto-edit",
        "-o",
        join(dir, "local-results.jsonl"),
      ],
      dir,
      env,
    );
    figures.push({
      name: "batch per task, local, concurrency 1",
      value: local / n,
      baseline: bare,
      baselineName: "bare nanocode -p of the same task",
      unit: "ms",
      limit: 1.1,
    });

    if (!REDIS_SERVER) {
      console.error("redis-server is not installed: queue figures skipped");
      return figures;
    }
    await using redis = await startRedis();
    /** Wall and worker CPU ms to run `count` tasks through the queue with `workers` workers. */
    const queued = async (workers: number, name: string, count: number) => {
      const stop = await startWorkers(workers, redis.url, dir, env);
      let wall = 0;
      try {
        wall = await run(
          [
            "batch",
            await tasksFile(dir, name, count),
            "--queue",
            redis.url,
            "-o",
            join(dir, `${name}-results.jsonl`),
          ],
          dir,
          env,
        );
      } finally {
        const cpu = await stop();
        if (wall) {
          console.error(
            `${workers} worker(s): ${(wall / count).toFixed(0)} ms and ${
              (cpu / count).toFixed(0)
            } ms of worker CPU per task`,
          );
        }
      }
      return wall;
    };
    figures.push({
      name: "batch per task, through Redis, 1 worker",
      value: (await queued(1, "queued", n)) / n,
      baseline: bare,
      baselineName: "bare nanocode -p of the same task",
      unit: "ms",
      limit: 1.1,
    });
    const m = 16;
    const perTask: Record<number, number> = {};
    for (const workers of [1, 2, 4]) {
      perTask[workers] = (await queued(workers, `w${workers}`, m)) / m;
    }
    for (const workers of [2, 4]) {
      figures.push({
        name: `time per task with ${workers} workers (${
          (1000 / perTask[workers]).toFixed(1)
        } tasks/s)`,
        value: perTask[workers],
        baseline: perTask[1],
        baselineName: `1 worker (${(1000 / perTask[1]).toFixed(1)} tasks/s)`,
        unit: "ms",
        limit: 1,
      });
    }
    return figures;
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
