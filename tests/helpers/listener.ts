/**
 * A TCP listener on 127.0.0.1 that counts the connections it accepts, for
 * tests that check a command cannot reach the network.
 *
 * @module
 */

/** A counting listener; dispose it to stop listening. */
export interface CountingListener extends AsyncDisposable {
  /** The port it listens on. */
  readonly port: number;
  /** Connections accepted so far. */
  accepted(): number;
}

/**
 * Starts listening on 127.0.0.1 on a free port.
 *
 * @example
 * ```ts ignore
 * await using listener = countingListener();
 * // ... try to connect to listener.port ...
 * console.log(listener.accepted()); // 0
 * ```
 */
export function countingListener(): CountingListener {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let accepted = 0;
  const serving = (async () => {
    for await (const conn of listener) {
      accepted++;
      conn.close();
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    accepted: () => accepted,
    async [Symbol.asyncDispose]() {
      listener.close();
      await serving;
    },
  };
}
