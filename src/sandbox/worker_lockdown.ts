/**
 * Takes away what cell code must not reach, before any cell runs in the
 * sandbox's Web Worker: storage that reaches the disk (the Cache API) or
 * could carry data between contexts, nested workers (the `Worker` global
 * and `node:worker_threads`), Deno's internals (`Deno[Deno.internal]`, whose
 * `core.print` writes straight to the process's stdout, the agent's pipe),
 * the worker's own `postMessage` and `close`, and every console method that
 * would print to stdout. What the bootstrap still needs is captured first
 * and handed back.
 *
 * This is defence in depth: a raw write to stdout that gets past it (say
 * through `node:fs`) cannot forge a message, because every frame the agent
 * accepts carries a key only the sandbox's main thread knows.
 *
 * `lockDownWorker` must stay self-contained (no imports, no outer
 * references): `bootstrap.ts` embeds its source text in the worker.
 *
 * @module
 */

/** What the worker bootstrap keeps after the lockdown. */
export interface WorkerCapabilities {
  /** The worker's own `postMessage` (cell code gets a stub that throws). */
  post(message: unknown, transfer: Transferable[]): void;
  /** Runs `fn` in an async context tagged `token`; see `contextToken`. */
  runInContext<T>(token: object, fn: () => T): T;
  /** The token of the async context the caller runs in, if any. */
  contextToken(): object | undefined;
  /** The timer functions as they were before the lockdown. */
  timers: {
    setTimeout: typeof setTimeout;
    setInterval: typeof setInterval;
    clearTimeout: typeof clearTimeout;
    clearInterval: typeof clearInterval;
  };
  /**
   * Makes `node:worker_threads` unable to start workers too; the promise
   * (the same on every call) settles when done. Started after the worker
   * says it is ready, so loading the Node modules it needs overlaps with
   * the agent's side instead of delaying the start.
   */
  lockNodeWorkers(): Promise<void>;
}

/**
 * Locks the worker down and returns what the bootstrap keeps. `print`
 * replaces every printing console method.
 *
 * @example
 * ```ts ignore
 * // Embedded as text by bootstrap.ts, never called in the agent process:
 * const caps = lockDownWorker((...args) => write(args.join(" ")));
 * ```
 */
export function lockDownWorker(
  print: (...args: unknown[]) => void,
): WorkerCapabilities {
  type Bag = Record<PropertyKey, unknown>;
  const global = globalThis as unknown as Bag;
  const denoNs = global.Deno as Bag;
  const post = (global.postMessage as WorkerCapabilities["post"]).bind(
    globalThis,
  );
  // The timer globals are lazy in Deno (reading one loads Node-compatible
  // timers, about 15 ms): keep their getters and read them on first use.
  const lazy = <T>(name: string): () => T => {
    const own = Object.getOwnPropertyDescriptor(globalThis, name);
    let value = own?.value as T | undefined;
    const getter = own?.get;
    return () => value ??= getter!.call(globalThis) as T;
  };
  const original = {
    setTimeout: lazy<typeof setTimeout>("setTimeout"),
    setInterval: lazy<typeof setInterval>("setInterval"),
    clearTimeout: lazy<typeof clearTimeout>("clearTimeout"),
    clearInterval: lazy<typeof clearInterval>("clearInterval"),
  };
  const timers = {
    setTimeout:
      ((...args: Parameters<typeof setTimeout>) =>
        original.setTimeout()(...args)) as typeof setTimeout,
    setInterval:
      ((...args: Parameters<typeof setInterval>) =>
        original.setInterval()(...args)) as typeof setInterval,
    clearTimeout:
      ((id?: number) => original.clearTimeout()(id)) as typeof clearTimeout,
    clearInterval:
      ((id?: number) => original.clearInterval()(id)) as typeof clearInterval,
  };
  const refuse = (what: string, hint = "") => () => {
    throw new Error(`${what} is not available in the REPL${hint}`);
  };

  // Deno's internals: keep the async-context primitive, hide the rest.
  interface AsyncVariable {
    enter(value: unknown): unknown;
    get(): unknown;
  }
  interface Core {
    AsyncVariable?: new () => AsyncVariable;
    setAsyncContext?(context: unknown): void;
  }
  const internalKey = denoNs.internal as symbol | undefined;
  const internals = internalKey ? denoNs[internalKey] as Bag : undefined;
  const core = internals?.core as Core | undefined;
  if (internalKey) delete denoNs[internalKey];
  delete denoNs.internal;

  // One async variable tells the running cell's code (and everything it
  // scheduled) from code an earlier cell left behind.
  let runInContext: WorkerCapabilities["runInContext"];
  let contextToken: WorkerCapabilities["contextToken"];
  const restore = core?.setAsyncContext;
  if (core?.AsyncVariable && restore) {
    const variable = new core.AsyncVariable();
    runInContext = (token, fn) => {
      const previous = variable.enter(token);
      try {
        return fn();
      } finally {
        restore(previous);
      }
    };
    contextToken = () => variable.get() as object | undefined;
  } else {
    // Without the primitive no code can prove it belongs to the running
    // cell: host calls are refused rather than let through.
    runInContext = (_token, fn) => fn();
    contextToken = () => undefined;
  }

  // Storage, channels and nested workers.
  for (
    const name of [
      "caches",
      "CacheStorage",
      "Cache",
      "localStorage",
      "sessionStorage",
      "indexedDB",
      "BroadcastChannel",
      "Worker",
      "SharedWorker",
    ]
  ) {
    delete global[name];
  }
  delete denoNs.openKv;

  // The worker's own channel and lifetime belong to the bootstrap.
  const stub = (name: string, value: unknown) =>
    Object.defineProperty(globalThis, name, {
      value,
      writable: false,
      configurable: false,
    });
  stub("postMessage", refuse("postMessage()"));
  stub("close", refuse("close()", "; call SUBMIT(...) to finish"));
  Object.defineProperty(denoNs, "exit", {
    value: refuse("Deno.exit()", "; call SUBMIT(...) to finish"),
  });
  // (`process` is left alone: touching it loads Node compatibility, which
  // costs the start-up 20 ms. Its `exit()` ends the sandbox process, which
  // the agent reports as a lost REPL state.)
  for (const name of ["stdin", "stdout", "stderr"]) {
    try {
      Object.defineProperty(denoNs, name, {
        get: refuse(`Deno.${name}`),
        configurable: false,
      });
    } catch { /* already locked down */ }
  }

  // Every console method prints through the bootstrap or does nothing.
  const printing = new Set([
    "log",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "dir",
    "dirxml",
    "table",
  ]);
  const consoleObject = globalThis.console as unknown as Bag;
  for (const name of Object.getOwnPropertyNames(consoleObject)) {
    if (typeof consoleObject[name] !== "function") continue;
    consoleObject[name] = printing.has(name)
      ? print
      : name === "assert"
      ? (condition: unknown, ...rest: unknown[]) => {
        if (!condition) print("Assertion failed:", ...rest);
      }
      : name === "context"
      ? () => globalThis.console
      : () => {};
  }

  // node:worker_threads starts workers without the `Worker` global; its
  // Worker is an EventEmitter, whose constructor calls `EventEmitter.init`.
  let locking: Promise<void> | undefined;
  const lockNodeWorkers = () =>
    locking ??= import("node:worker_threads").then((threads) => {
      const NodeWorker = threads.Worker;
      // Its parent class is node:events' EventEmitter.
      const emitter = Object.getPrototypeOf(NodeWorker) as Bag;
      const init = emitter.init as (this: unknown, ...args: unknown[]) => void;
      if (typeof init !== "function") return;
      const refuseWorker = refuse("A nested Worker");
      Object.defineProperty(emitter, "init", {
        value: function (this: unknown, ...args: unknown[]) {
          if (this instanceof NodeWorker) refuseWorker();
          return init.apply(this, args);
        },
        writable: false,
        configurable: false,
      });
    }, () => {});

  return { post, runInContext, contextToken, timers, lockNodeWorkers };
}
