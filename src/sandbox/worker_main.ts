/**
 * The fixed bootstrap that runs inside the sandbox's Web Worker
 * (`deno.permissions: "none"`). Model code never becomes a module URL: each
 * cell arrives as text, already rewritten by the agent (see `transform.ts`),
 * and runs through the `AsyncFunction` constructor, so every `import()` in it
 * is permission-checked against "none".
 *
 * `workerMain` must stay self-contained (no imports but types, no outer references):
 * its source text is embedded in the sandbox bootstrap by `bootstrap.ts`.
 *
 * Messages to the host thread are arrays whose first item is a one-letter
 * kind (the same letters the host uses as frame kinds towards the agent):
 * `["Y", json]` ready, `["O", json]` printed text, `["C", cid, json]` a host
 * call, `["M", cid]` more of a reply, `["D", json]` a cell is done.
 *
 * @module
 */

import type { replHelpers } from "./worker_helpers.ts";

/** Shape of the worker's global scope that the bootstrap relies on. */
interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(
    type: "message",
    listener: (event: MessageEvent) => void,
  ): void;
}

/** Internal helper object handed to every cell as its `__nc` parameter. */
interface CellHelpers {
  /** Declares top-level names as writable properties of the global object. */
  decl(names: string[]): void;
  /** Publishes a hoisted function declaration to the global object. */
  def(name: string, value: unknown): void;
  /** Rethrows the SUBMIT signal from inside a `catch` block. */
  guard(error: unknown): void;
}

/**
 * Entry point of the worker bootstrap. Runs once, when the worker starts.
 *
 * @example
 * ```ts ignore
 * // Embedded as text with its helpers, never called in the agent process:
 * const source = workerSource();
 * ```
 */
export function workerMain(makeHelpers: typeof replHelpers): void {
  const scope = globalThis as unknown as WorkerScope;
  const global = globalThis as unknown as Record<string, unknown>;
  const post = scope.postMessage.bind(scope);
  const denoNs = (globalThis as unknown as { Deno: typeof Deno }).Deno;
  const inspect = denoNs.inspect.bind(denoNs);
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const AsyncFunction = (async function () {}).constructor as new (
    ...args: string[]
  ) => (helpers: CellHelpers) => Promise<unknown>;
  const SUBMIT_SIGNAL = Object.freeze({ nanocodeSubmit: true });
  const decoder = new TextDecoder();

  // The worker shares the process's stdio pipes with the host's protocol.
  // Take them away so a cell cannot read or forge protocol frames by
  // accident; the agent still validates everything it receives.
  for (const name of ["stdin", "stdout", "stderr"]) {
    try {
      Object.defineProperty(denoNs, name, {
        get() {
          throw new Error(`Deno.${name} is not available in the REPL`);
        },
        configurable: false,
      });
    } catch { /* already locked down */ }
  }

  // Ending the process or the worker would throw away the REPL state (and a
  // closed worker answers nothing): make both an error the cell can see.
  const stop = (what: string) => () => {
    throw new Error(
      `${what} is not available in the REPL; call SUBMIT(...) to finish`,
    );
  };
  Object.defineProperty(denoNs, "exit", { value: stop("Deno.exit()") });
  Object.defineProperty(globalThis, "close", { value: stop("close()") });

  // A cell's whole output is kept for `_out[n]` up to this many characters.
  const FULL_CAP = 4_000_000;
  const { listFrom, listText, useCwd } = makeHelpers(denoNs);

  let ctl: Int32Array = new Int32Array(4);
  let data: Uint8Array = new Uint8Array(0);
  let callSeq = 0;
  let lineOffset = 2;
  let installed = new Set<string>();

  interface Cell {
    id: number;
    head: string[];
    headChars: number;
    tail: string[];
    tailChars: number;
    omitted: number;
    cap: number;
    full: string[];
    fullChars: number;
    submitted: unknown[] | null;
    done: boolean;
  }
  let current: Cell | null = null;

  function write(text: string): void {
    const cell = current;
    if (!cell || cell.done || cell.submitted) return;
    if (cell.fullChars < FULL_CAP) {
      const part = text.slice(0, FULL_CAP - cell.fullChars);
      cell.full.push(part);
      cell.fullChars += part.length;
    }
    if (cell.headChars < cell.cap) {
      const room = cell.cap - cell.headChars;
      const part = text.length <= room ? text : text.slice(0, room);
      cell.head.push(part);
      cell.headChars += part.length;
      post(["O", stringify({ id: cell.id, text: part })]);
      if (part.length === text.length) return;
      text = text.slice(part.length);
    }
    cell.tail.push(text);
    cell.tailChars += text.length;
    cell.omitted += text.length;
    while (cell.tailChars - cell.tail[0].length >= cell.cap) {
      cell.tailChars -= cell.tail.shift()!.length;
    }
  }

  function format(value: unknown): string {
    const list = listText(value);
    if (list !== undefined) return list;
    return typeof value === "string" ? value : inspect(value, {
      depth: 4,
      colors: false,
      iterableLimit: 200,
      strAbbreviateSize: 10_000,
    });
  }

  function print(...args: unknown[]): void {
    write(args.map(format).join(" ") + "\n");
  }

  const consoleMethods = [
    "log",
    "info",
    "warn",
    "error",
    "debug",
    "trace",
    "dir",
    "dirxml",
    "table",
  ];
  const quietConsole = globalThis.console as unknown as Record<
    string,
    unknown
  >;
  for (const method of consoleMethods) quietConsole[method] = print;

  function callHost(name: string, args: unknown[]): unknown {
    const cell = current;
    if (!cell || cell.submitted) throw SUBMIT_SIGNAL;
    const cid = ++callSeq;
    const payload = stringify({ cid, cell: cell.id, name, args });
    Atomics.store(ctl, 0, 0);
    post(["C", cid, payload]);
    // The reply arrives through the shared buffer in chunks; it is copied
    // once into a buffer of its final size. Its first byte says whether the
    // rest is a plain UTF-8 string ("S") or a JSON reply ("J").
    let bytes: Uint8Array | null = null;
    let received = 0;
    for (;;) {
      Atomics.wait(ctl, 0, 0);
      const total = ctl[1];
      const size = ctl[2];
      if (!bytes) {
        bytes = size === total ? data.slice(0, size) : new Uint8Array(total);
        if (size === total) received = size;
      }
      if (received < total) {
        bytes.set(data.subarray(0, size), received);
        received += size;
      }
      Atomics.store(ctl, 0, 0);
      if (received >= total) break;
      post(["M", cid]);
    }
    if (bytes[0] === 83 /* "S" */) return decoder.decode(bytes.subarray(1));
    const reply = parse(decoder.decode(bytes.subarray(1))) as {
      ok: boolean;
      value?: unknown;
      error?: { name?: string; message?: string };
    };
    if (reply.ok) return listFrom(reply.value);
    const error = new Error(reply.error?.message ?? "host call failed");
    if (reply.error?.name) error.name = reply.error.name;
    throw error;
  }

  function installFunctions(names: string[]): void {
    const wanted = new Set(names);
    for (const name of installed) {
      if (!wanted.has(name)) delete global[name];
    }
    for (const name of names) {
      if (installed.has(name)) continue;
      const fn = (...args: unknown[]) => callHost(name, args);
      Object.defineProperty(fn, "name", { value: name });
      global[name] = fn;
    }
    installed = wanted;
  }

  function SUBMIT(...args: unknown[]): never {
    const cell = current;
    if (cell && !cell.submitted) cell.submitted = args;
    throw SUBMIT_SIGNAL;
  }

  const helpers: CellHelpers = {
    decl(names) {
      for (const name of names) {
        const own = Object.getOwnPropertyDescriptor(globalThis, name);
        if (own && "value" in own && own.writable) continue;
        Object.defineProperty(globalThis, name, {
          value: undefined,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
    },
    def(name, value) {
      helpers.decl([name]);
      global[name] = value;
    },
    guard(error) {
      if (error === SUBMIT_SIGNAL || current?.submitted) throw SUBMIT_SIGNAL;
    },
  };
  global.print = print;
  global.SUBMIT = SUBMIT;

  // A rejection or error nobody handles (a timer callback after the cell
  // ended, a forgotten promise) must not end the worker: report it as output.
  const events = globalThis as unknown as {
    addEventListener(type: string, fn: (event: Event) => void): void;
  };
  events.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    const reason = (event as PromiseRejectionEvent).reason;
    if (reason === SUBMIT_SIGNAL) return;
    const { name, message } = describeError(reason, 0);
    write(`Unhandled promise rejection: ${name}: ${message}\n`);
  });
  events.addEventListener("error", (event) => {
    event.preventDefault();
    const error = (event as ErrorEvent).error;
    if (error === SUBMIT_SIGNAL) return;
    const { name, message } = describeError(error, 0);
    write(`Uncaught error: ${name}: ${message}\n`);
  });

  function errorLine(stack: string, id: number): number | undefined {
    const match = new RegExp(`cell-${id}\\b[^:\\n]*:(\\d+):\\d+`).exec(stack);
    if (!match) return undefined;
    const line = Number(match[1]) - lineOffset;
    return line >= 1 ? line : undefined;
  }

  function describeError(error: unknown, id: number) {
    if (error instanceof Error) {
      const line = errorLine(String(error.stack ?? ""), id);
      return { name: error.name, message: error.message, line };
    }
    return { name: "Uncaught", message: format(error), line: undefined };
  }

  interface RunMessage {
    id: number;
    code: string;
    fns: string[];
    globals?: Record<string, unknown>;
    cap: number;
    slot?: number;
    cwd?: string;
  }

  async function run(message: RunMessage): Promise<void> {
    const cell: Cell = {
      id: message.id,
      head: [],
      headChars: 0,
      tail: [],
      tailChars: 0,
      omitted: 0,
      cap: message.cap,
      full: [],
      fullChars: 0,
      submitted: null,
      done: false,
    };
    current = cell;
    if (message.cwd) useCwd(message.cwd);
    installFunctions(message.fns);
    if (message.globals) {
      for (const [name, value] of Object.entries(message.globals)) {
        helpers.def(name, value);
      }
    }
    let value: string | undefined;
    let error: ReturnType<typeof describeError> | undefined;
    try {
      const fn = new AsyncFunction(
        "__nc",
        `${message.code}\n//# sourceURL=cell-${cell.id}`,
      );
      const result = await fn(helpers);
      if (result !== undefined) value = format(result);
    } catch (thrown) {
      if (thrown !== SUBMIT_SIGNAL) error = describeError(thrown, cell.id);
    }
    let submitted: string | undefined;
    if (cell.submitted) {
      error = undefined;
      value = undefined;
      try {
        submitted = stringify(cell.submitted);
      } catch (thrown) {
        error = {
          name: "TypeError",
          message: `SUBMIT arguments must be JSON values: ${
            thrown instanceof Error ? thrown.message : String(thrown)
          }`,
          line: undefined,
        };
      }
    }
    cell.done = true;
    if (current === cell) current = null;
    const out = global._out;
    if (message.slot !== undefined && Array.isArray(out)) {
      const whole = cell.full.join("") +
        (cell.fullChars >= FULL_CAP
          ? "\n[... output beyond 4,000,000 characters was not kept]\n"
          : "") +
        (value !== undefined ? `${value}\n` : "");
      out[message.slot] = whole;
    }
    const tail = cell.tail.join("");
    post([
      "D",
      stringify({
        id: cell.id,
        value,
        error,
        submitted,
        omitted: Math.max(0, cell.omitted - tail.length),
        tail,
      }),
    ]);
  }

  // Measure where the body of an AsyncFunction starts in its own line
  // numbering, so error lines map to lines of the cell.
  try {
    new AsyncFunction("__nc", "throw new Error()\n//# sourceURL=cell-0")(
      helpers,
    ).catch((error: Error) => {
      const match = /cell-0\b[^:\n]*:(\d+):\d+/.exec(String(error.stack));
      if (match) lineOffset = Number(match[1]) - 1;
    });
  } catch { /* keep the default */ }

  scope.addEventListener("message", (event: MessageEvent) => {
    const message = event.data as unknown;
    if (message instanceof SharedArrayBuffer) {
      ctl = new Int32Array(message, 0, 4);
      data = new Uint8Array(message, 16);
      post(["Y", "{}"]);
    } else if (Array.isArray(message) && message[0] === "R") {
      void run(parse(message[1]) as RunMessage);
    }
  });
}
