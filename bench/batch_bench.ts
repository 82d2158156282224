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
import { median } from "./lib.ts";

const deno = Deno.execPath();
const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const TASK = "Write the file out.txt, then submit.";

/** SSE body of one streamed completion with `text`. */
function sse(text: string): string {
  const chunk = (body: Record<string, unknown>) =>
    `data: ${
      JSON.stringify({
        id: "c",
        object: "chat.completion.chunk",
        created: 0,
        model: "main-model",
        ...body,
      })
    }\n\n`;
  return chunk({
    choices: [{
      index: 0,
      delta: { role: "assistant", content: text },
      finish_reason: null,
    }],
  }) +
    chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }) +
    chunk({
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    }) + "data: [DONE]\n\n";
}

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
  return async () => {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((c) => c.status));
  };
}

async function startRedis(dir: string) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const child = new Deno.Command("redis-server", {
    args: [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  for (let i = 0;; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch (error) {
      if (i > 200) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      child.kill("SIGKILL");
      await child.status;
    },
  };
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

    const redisFound = await new Deno.Command("redis-server", {
      args: ["--version"],
      stdout: "null",
    }).output().then(() => true, () => false);
    if (!redisFound) {
      console.error("redis-server is not installed: queue figures skipped");
      return figures;
    }
    const redis = await startRedis(dir);
    try {
      let stop = await startWorkers(1, redis.url, dir, env);
      const queued = await run(
        [
          "batch",
          await tasksFile(dir, "queued", n),
          "--queue",
          redis.url,
          "-o",
          join(dir, "queued-results.jsonl"),
        ],
        dir,
        env,
      );
      await stop();
      figures.push({
        name: "batch per task, through Redis, 1 worker",
        value: queued / n,
        baseline: bare,
        baselineName: "bare nanocode -p of the same task",
        unit: "ms",
        limit: 1.1,
      });

      const m = 16;
      const perTask: Record<number, number> = {};
      for (const workers of [1, 2, 4]) {
        stop = await startWorkers(workers, redis.url, dir, env);
        const ms = await run(
          [
            "batch",
            await tasksFile(dir, `w${workers}`, m),
            "--queue",
            redis.url,
            "-o",
            join(dir, `w${workers}-results.jsonl`),
          ],
          dir,
          env,
        );
        await stop();
        perTask[workers] = ms / m;
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
    } finally {
      await redis.stop();
    }
    return figures;
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
