/**
 * A real `redis-server` for queue tests, on 127.0.0.1 at a free port, with
 * nothing saved to disk. Tests that need it skip visibly where Debian's
 * `redis-server` is not installed (`.ci/run` installs it).
 *
 * @module
 */

import { findExecutable } from "../../src/tools/context.ts";

/** Path of `redis-server`, or `null` when it is not installed. */
export const REDIS_SERVER = findExecutable("redis-server");

/** Why queue tests are skipped, or `false` when they run. */
export const redisMissing: string | false = REDIS_SERVER
  ? false
  : "redis-server is not installed (apt-get install redis-server)";
if (redisMissing) console.log(`skipping queue tests: ${redisMissing}`);

/** A running Redis. */
export interface RedisServer extends AsyncDisposable {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Starts `redis-server` (on `port`, default a free one) and waits until it
 * accepts connections.
 *
 * @example
 * ```ts ignore
 * await using redis = await startRedis();
 * ```
 */
export async function startRedis(
  options: { port?: number } = {},
): Promise<RedisServer> {
  const dir = await Deno.makeTempDir({ prefix: "nanocode-redis-" });
  const port = options.port ?? freePort();
  const child = new Deno.Command(REDIS_SERVER!, {
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
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  for (let i = 0;; i++) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch (error) {
      if (i > 200) {
        child.kill("SIGKILL");
        throw new Error(`redis-server did not start on port ${port}: ${error}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
      await child.status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
