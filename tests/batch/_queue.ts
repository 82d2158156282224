/**
 * Queue test helpers: worker processes, tasks files, and everything Redis
 * holds.
 *
 * @module
 */

import { Redis } from "ioredis";
import { lmEnv } from "../helpers/cli.ts";
import type { TempDir } from "../helpers/temp.ts";
import { type RunningCli, spawnCli } from "./_cli.ts";

/** The key the submitter runs with (it must never reach the queue). */
export const SUBMITTER_KEY = "sk-submitter-SECRET-0123456789";

/** A tasks file whose tasks write `task-ID.txt` and verify it. */
export function tasksFile(ids: string[]): string {
  return ids.map((id) =>
    JSON.stringify({
      id,
      task: `[task ${id}] Write the file task-${id}.txt.`,
      verify: `test -f task-${id}.txt`,
    })
  ).join("\n") + "\n";
}

/** Starts `count` worker processes, each with its own home and key. */
export function startWorkers(
  count: number,
  dir: TempDir,
  redisUrl: string,
  lmUrl: string,
  extra: string[] = [],
): RunningCli[] {
  return Array.from({ length: count }, (_, i) =>
    spawnCli([
      "worker",
      "--queue",
      redisUrl,
      "--concurrency",
      "1",
      "--permission-mode",
      "auto-edit",
      ...extra,
    ], {
      cwd: dir.path,
      home: `${dir.path}/worker-${i}`,
      env: lmEnv(lmUrl, { OPENAI_API_KEY: `sk-worker-${i}` }),
    }));
}

/** Stops workers with SIGTERM and waits for them. */
export async function stopWorkers(workers: RunningCli[]): Promise<void> {
  for (const worker of workers) {
    try {
      worker.child.kill("SIGTERM");
    } catch {
      // already gone
    }
  }
  await Promise.all(workers.map((w) => w.done));
}

/** Every string value stored in Redis (hashes, lists, sets, streams, strings). */
export async function redisDump(port: number): Promise<string> {
  const redis = new Redis({ host: "127.0.0.1", port, lazyConnect: true });
  await redis.connect();
  try {
    const parts: string[] = [];
    for (const key of await redis.keys("*")) {
      const type = await redis.type(key);
      const value = type === "hash"
        ? await redis.hgetall(key)
        : type === "list"
        ? await redis.lrange(key, 0, -1)
        : type === "zset"
        ? await redis.zrange(key, "0", "-1")
        : type === "set"
        ? await redis.smembers(key)
        : type === "stream"
        ? await redis.xrange(key, "-", "+")
        : await redis.get(key);
      parts.push(`${key} ${JSON.stringify(value)}`);
    }
    return parts.join("\n");
  } finally {
    redis.disconnect();
  }
}

/** The sorted ids of a results file's lines. */
export function resultIds(text: string): string[] {
  return text.split("\n").filter(Boolean).map((l) => JSON.parse(l).id).sort();
}

/**
 * Starts the submitter, `nanocode batch tasks.jsonl --queue URL ...extra`,
 * in `dir` (its home too); without `env` it has no key.
 */
export function startSubmitter(
  dir: TempDir,
  redisUrl: string,
  env: Record<string, string> = {},
  extra: string[] = [],
): RunningCli {
  return spawnCli(["batch", "tasks.jsonl", "--queue", redisUrl, ...extra], {
    cwd: dir.path,
    home: dir.path,
    env,
  });
}
