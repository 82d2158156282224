/**
 * Redis connections for the queue: made here (BullMQ gets ready clients,
 * so it never has to find a Redis driver itself), reported once when they
 * fail, and closed together.
 *
 * @module
 */

import { Redis, type RedisOptions } from "ioredis";
import { parseQueueUrl, QueueError } from "./queue_jobs.ts";

function optionsFor(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) {
    throw new QueueError(`The Redis database in ${url} must be a number`);
  }
  return {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
    tls: u.protocol === "rediss:" ? {} : undefined,
    // BullMQ needs this for its blocking connections.
    maxRetriesPerRequest: null,
  };
}

/** Errors that mean the connection to Redis is down (it is retried). */
const CONNECTION_ERROR =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|Connection is closed|connect ETIMEDOUT/;

/**
 * The Redis clients of one submitter or worker.
 *
 * @example
 * ```ts ignore
 * const redis = new RedisClients("redis://127.0.0.1:6379", (m) => console.error(m));
 * await redis.check();
 * const queue = new Queue("nanocode", { connection: redis.client() });
 * await redis.close();
 * ```
 */
export class RedisClients {
  /** `host:port`, for messages (never the password). */
  readonly where: string;
  #options: RedisOptions;
  #clients: Redis[] = [];
  #onTrouble: (message: string) => void;
  #troubled = false;
  #lastError = "";

  /**
   * @throws {QueueError} for a malformed URL.
   */
  constructor(url: string, onTrouble: (message: string) => void) {
    this.where = parseQueueUrl(url).where;
    this.#options = optionsFor(url);
    this.#onTrouble = onTrouble;
  }

  /**
   * Reports an error of a client or of BullMQ once: a connection error as
   * the lost connection (until it is back), any other error once until a
   * different one comes.
   */
  report(error: Error): void {
    if (
      CONNECTION_ERROR.test(
        `${(error as { code?: string }).code ?? ""} ${error.message}`,
      )
    ) {
      if (this.#troubled) return;
      this.#troubled = true;
      this.#lastError = "";
      this.#onTrouble(
        `Lost the connection to Redis at ${this.where} (${error.message}); retrying`,
      );
      return;
    }
    if (error.message === this.#lastError) return;
    this.#lastError = error.message;
    this.#onTrouble(`Queue error: ${error.message}`);
  }

  /** A new client (connecting in the background). */
  client(): Redis {
    const client = new Redis(this.#options);
    client.on("error", (error: Error) => this.report(error));
    client.on("ready", () => {
      if (this.#troubled) {
        this.#onTrouble(`Connected to Redis at ${this.where} again`);
      }
      this.#troubled = false;
      this.#lastError = "";
    });
    this.#clients.push(client);
    return client;
  }

  /**
   * Checks that Redis answers, once, within `timeoutMs`.
   *
   * @throws {QueueError} saying what to do when it does not.
   */
  async check(timeoutMs = 5000): Promise<void> {
    const probe = new Redis({
      ...this.#options,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: timeoutMs,
      retryStrategy: () => null,
    });
    let cause: Error | undefined;
    probe.on("error", (error: Error) => (cause ??= error));
    try {
      await probe.connect();
      await probe.ping();
    } catch (error) {
      const reason = (cause ?? error as Error).message;
      throw new QueueError(
        `Cannot reach Redis at ${this.where} (${reason}): start redis-server there, or check the --queue URL`,
      );
    } finally {
      probe.disconnect();
    }
  }

  /** Closes every client made here. */
  async close(): Promise<void> {
    await Promise.all(
      this.#clients.map((c) => c.quit().catch(() => c.disconnect())),
    );
    this.#clients = [];
  }
}
