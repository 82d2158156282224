/**
 * The fixed bootstrap that runs inside the sandbox's Web Worker
 * (`deno.permissions: "none"`). Model code never becomes a module URL: each
 * cell arrives as text, already rewritten by the agent (see `transform.ts`),
 * and runs through the `AsyncFunction` constructor, so every `import()` in it
 * is permission-checked against "none".
 *
 * `workerMain` must stay self-contained (no imports, no outer references):
 * its source text is embedded in the sandbox bootstrap by `bootstrap.ts`,
 * with the lockdown and the output buffer passed in the same way.
 *
 * The bootstrap talks to the host thread over a private `MessagePort` that
 * cell code cannot reach (the worker's global `postMessage` is taken away,
 * and the host ignores that channel after the handshake). Messages are
 * arrays whose first item is a one-letter kind (the same letters the host
 * uses as frame kinds towards the agent): `["Y", json]` ready, `["O", json]`
 * printed text, `["C", cid, json]` a host call too large for the shared
 * buffer (a call that fits is written there and signalled with
 * `Atomics.notify`), `["M", cid]` more of a reply, `["D", json]` a cell is
 * done; for Python, `["S", bytes]` a memory snapshot and `["F", json]` a
 * start-up failure.
 *
 * What makes a finished cell's leftovers harmless is here, for any cell
 * runtime: each cell runs in an async context of its own, and host calls,
 * `SUBMIT` and printing work only from the running cell's context (so a
 * promise continuation, listener or timer an earlier cell left behind is
 * refused); timers a cell set are cleared when it ends.
 *
 * @module
 */

import type { replHelpers } from "./worker_helpers.ts";
import type { lockDownWorker } from "./worker_lockdown.ts";
import type { CellOutput, createCellOutput } from "./worker_output.ts";
import type {
  PythonOutcome,
  PythonRuntime,
  startPython,
} from "./python/worker_python.ts";

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
 * // Embedded as text with its parts, never called in the agent process:
 * const source = workerSource();
 * ```
 */
export function workerMain(
  lockDown: typeof lockDownWorker,
  createOutput: typeof createCellOutput,
  makeHelpers: typeof replHelpers,
  startPy: typeof startPython | null = null,
): void {
  const global = globalThis as unknown as Record<string, unknown>;
  const denoNs = (globalThis as unknown as { Deno: typeof Deno }).Deno;
  const inspect = denoNs.inspect.bind(denoNs);
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const AsyncFunction = (async function () {}).constructor as new (
    ...args: string[]
  ) => (helpers: CellHelpers) => Promise<unknown>;
  const SUBMIT_SIGNAL = Object.freeze({ nanocodeSubmit: true });
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  // Built-ins the bridge uses on the shared buffer and the port, taken
  // before any cell runs: a cell may replace globals and prototypes
  // (`Atomics.wait`, `%TypedArray%.prototype.subarray`, the `length`
  // getter, `MessagePort.prototype.postMessage`...), and one called on the
  // buffer or the port would hand it over.
  const apply = Reflect.apply;
  const { wait, store, notify } = Atomics;
  const isArray = Array.isArray;
  const Bytes = Uint8Array;
  const typed = Object.getPrototypeOf(Bytes.prototype);
  const setBytes = typed.set as Uint8Array["set"];
  const subarray = typed.subarray as Uint8Array["subarray"];
  const encodeInto = TextEncoder.prototype.encodeInto;
  const decode = TextDecoder.prototype.decode;
  const postOn = MessagePort.prototype.postMessage;
  /** Longest `SUBMIT(...)` payload, in characters of JSON. */
  const maxSubmitChars = 16 << 20;
  const caps = lockDown((...args: unknown[]) => print(...args));
  const { timers } = caps;
  // A cell's whole output is kept for `_out[n]` up to this many characters.
  const FULL_CAP = 4_000_000;
  const { listFrom, listText, useCwd } = makeHelpers(denoNs);

  const channel = new MessageChannel();
  const port = channel.port1;
  // Messages posted on the port so far: a host call signalled through the
  // shared buffer says how many came before it, so the host thread keeps
  // the order (text printed before a call reaches the agent first).
  let posted = 0;
  const post = (message: unknown, transfer: Transferable[] = []) => {
    posted++;
    apply(postOn, port, [message, transfer]);
  };
  const send = (message: unknown) => post(message);
  caps.post(channel.port2, [channel.port2]);

  // Views of the shared buffer, without a prototype (so no method, getter
  // or species constructor a cell set is ever looked up on them): used
  // only through the built-ins above. `dataBytes` is the data area's size.
  let ctl: Int32Array = new Int32Array(8);
  let data: Uint8Array = new Uint8Array(0);
  let dataBytes = 0;
  let callSeq = 0;
  let lineOffset = 2;
  let installed = new Set<string>();

  interface Cell {
    id: number;
    /** Identifies the cell's async context. */
    token: object;
    output: CellOutput;
    /** Everything printed, up to FULL_CAP, for `_out`. */
    full: string[];
    fullChars: number;
    submitted: unknown[] | null;
    done: boolean;
    /** Timers the cell set, cleared when it ends. */
    timers: Set<unknown>;
  }
  let current: Cell | null = null;

  /** The running cell, if the caller is its code (not an earlier cell's). */
  function runningCell(): Cell | null {
    const cell = current;
    return cell && !cell.done && caps.contextToken() === cell.token
      ? cell
      : null;
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

  /** Adds printed text to a cell's output (and to what `_out` keeps). */
  function record(cell: Cell, text: string): void {
    if (cell.fullChars < FULL_CAP) {
      const part = text.slice(0, FULL_CAP - cell.fullChars);
      cell.full.push(part);
      cell.fullChars += part.length;
    }
    cell.output.write(text);
  }

  function print(...args: unknown[]): void {
    const cell = runningCell();
    if (cell && !cell.submitted) {
      record(cell, args.map(format).join(" ") + "\n");
    }
  }

  /** Output the bootstrap itself adds (errors nobody caught). */
  function note(text: string): void {
    const cell = current;
    if (cell && !cell.done && !cell.submitted) record(cell, text);
  }

  function refusal(what: string): Error {
    return new Error(
      `${what} works only in the running cell's own code, not in code an earlier cell left behind (a timer, listener or pending promise)`,
    );
  }

  /** A host call; the reply text is tagged "S" (a string) or "J" (JSON). */
  function hostReply(name: string, args: unknown[]): string {
    const cell = runningCell();
    if (!cell) throw refusal(`${name}()`);
    if (cell.submitted) throw SUBMIT_SIGNAL;
    cell.output.flush();
    const cid = ++callSeq;
    // A prototype-less envelope: an `Object.prototype.toJSON` the cell set
    // cannot rewrite its call id or cell.
    const payload = stringify({
      __proto__: null,
      cid,
      cell: cell.id,
      name,
      args,
    });
    store(ctl, 0, 0);
    // A call that fits the shared buffer goes through it (the host thread
    // waits on it: quicker than a message), a larger one as a message.
    const put: { read: number; written: number } = payload.length <= dataBytes
      ? apply(encodeInto, encoder, [payload, data])
      : { read: 0, written: 0 };
    if (put.read === payload.length) {
      ctl[4] = cid;
      ctl[5] = put.written;
      ctl[6] = posted;
      store(ctl, 3, 1);
      notify(ctl, 3);
    } else send(["C", cid, payload]);
    // The reply arrives through the shared buffer in chunks; it is copied
    // once into a buffer of its final size. Its first byte says whether the
    // rest is a plain UTF-8 string ("S") or a JSON reply ("J").
    let bytes: Uint8Array | null = null;
    let received = 0;
    for (;;) {
      wait(ctl, 0, 0);
      const total = ctl[1];
      const size = ctl[2];
      bytes ??= new Bytes(total);
      if (received < total) {
        apply(setBytes, bytes, [apply(subarray, data, [0, size]), received]);
        received += size;
      }
      store(ctl, 0, 0);
      if (received >= total) break;
      send(["M", cid]);
    }
    return apply(decode, decoder, [bytes]);
  }

  function callHost(name: string, args: unknown[]): unknown {
    const text = hostReply(name, args);
    if (text[0] === "S") return text.slice(1);
    const reply = parse(text.slice(1)) as {
      ok: boolean;
      value?: unknown;
      error?: { name?: string; message?: string };
    };
    if (reply.ok) return listFrom(reply.value);
    const error = new Error(reply.error?.message ?? "host call failed");
    if (reply.error?.name) error.name = reply.error.name;
    throw error;
  }

  // A dotted name (`mcp.github.create_issue`) lives in nested objects of
  // the global scope, made as needed; `docs` gives some a `.help` text.
  function place(name: string, value: unknown): void {
    const parts = name.split(".");
    let target = global;
    for (const part of parts.slice(0, -1)) {
      const next = target[part];
      if (typeof next !== "object" || next === null) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    const last = parts[parts.length - 1];
    if (value === undefined) delete target[last];
    else target[last] = value;
  }

  function installFunctions(
    names: string[],
    docs: Record<string, string> = {},
  ): void {
    const wanted = new Set(names);
    for (const name of installed) {
      if (!wanted.has(name)) place(name, undefined);
    }
    for (const name of names) {
      // A plain name the cell has since reassigned stays as the cell left
      // it; a namespaced one is put back each cell (its path may be gone).
      if (installed.has(name) && !name.includes(".")) continue;
      const fn = (...args: unknown[]) => callHost(name, args);
      Object.defineProperty(fn, "name", { value: name });
      place(name, fn);
      if (typeof docs[name] === "string") {
        Object.defineProperty(fn, "help", {
          value: docs[name],
          configurable: true,
        });
      }
    }
    installed = wanted;
  }

  function SUBMIT(...args: unknown[]): never {
    const cell = runningCell();
    if (!cell) throw refusal("SUBMIT()");
    if (!cell.submitted) cell.submitted = args;
    throw SUBMIT_SIGNAL;
  }

  // Timers set by a cell's code are the cell's: cleared when it ends.
  const tracked = (create: unknown) => (...args: unknown[]): unknown => {
    const id = (create as (...args: unknown[]) => unknown)(...args);
    runningCell()?.timers.add(id);
    return id;
  };
  for (const name of ["setTimeout", "setInterval"] as const) {
    Object.defineProperty(globalThis, name, {
      value: tracked(timers[name]),
      writable: true,
      enumerable: true,
      configurable: true,
    });
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

  // A rejection or error nobody handles (a timer callback, a forgotten
  // promise) must not end the worker: report it as output.
  const events = globalThis as unknown as {
    addEventListener(type: string, fn: (event: Event) => void): void;
    removeEventListener(type: string, fn: (event: Event) => void): void;
  };
  events.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    const reason = (event as PromiseRejectionEvent).reason;
    if (reason === SUBMIT_SIGNAL) return;
    const { name, message } = describeError(reason, 0, 1000);
    note(`Unhandled promise rejection: ${name}: ${message}\n`);
  });
  events.addEventListener("error", (event) => {
    event.preventDefault();
    const error = (event as ErrorEvent).error;
    if (error === SUBMIT_SIGNAL) return;
    const { name, message } = describeError(error, 0, 1000);
    note(`Uncaught error: ${name}: ${message}\n`);
  });

  function errorLine(stack: string, id: number): number | undefined {
    const match = new RegExp(`cell-${id}\\b[^:\\n]*:(\\d+):\\d+`).exec(stack);
    if (!match) return undefined;
    const line = Number(match[1]) - lineOffset;
    return line >= 1 ? line : undefined;
  }

  function describeError(error: unknown, id: number, cap: number) {
    if (error instanceof Error) {
      const line = errorLine(String(error.stack ?? "").slice(0, 10_000), id);
      const name = String(error.name).slice(0, 200);
      return { name, message: clip(String(error.message), cap), line };
    }
    return {
      name: "Uncaught",
      message: clip(format(error), cap),
      line: undefined,
    };
  }

  function clip(text: string, cap: number): string {
    if (text.length <= cap) return text;
    const half = Math.floor(cap / 2);
    return `${text.slice(0, half)}\n... [${
      text.length - 2 * half
    } characters omitted] ...\n${text.slice(-half)}`;
  }

  // Python cells (when this sandbox runs them) share the bridge, the output
  // and the SUBMIT bookkeeping above; the worker is ready once Pyodide is.
  let python: PythonRuntime | null = null;
  let booting = false;
  let sharedReady = false;
  function ready(): void {
    if (!sharedReady || (startPy && !python)) return;
    send(["Y", "{}"]);
    void caps.lockNodeWorkers();
  }
  function bootPython(payload: ArrayBuffer): void {
    if (!startPy || booting) return;
    booting = true;
    startPy(payload, {
      call: hostReply,
      write(text) {
        const cell = runningCell();
        if (cell && !cell.submitted) record(cell, text);
      },
      submit(args) {
        const cell = runningCell();
        if (cell && !cell.submitted) cell.submitted = args;
      },
      isSubmit: (error) => error === SUBMIT_SIGNAL,
      post: (message, transfer) => post(message, transfer),
    }).then((runtime) => {
      python = runtime;
      ready();
    }, (error) => {
      send([
        "F",
        stringify({
          message: `Python did not start: ${
            (error as Error)?.message ?? stringify(error)
          }`,
        }),
      ]);
    });
  }

  /** Runs a Python cell in the cell's context; a Pyodide failure is fatal. */
  async function runPython(
    cell: Cell,
    message: RunMessage,
  ): Promise<PythonOutcome> {
    try {
      return await caps.runInContext(cell.token, () =>
        python!.run({
          id: message.id,
          code: message.code,
          fns: message.fns.map((name) => ({
            name,
            params: message.params?.[name] ?? null,
          })),
          globals: message.globals,
        }));
    } catch (error) {
      send(["F", stringify({ message: String(error) })]);
      return {};
    }
  }

  interface RunMessage {
    id: number;
    code: string;
    fns: string[];
    /** Parameters of each function, for Python's keyword arguments. */
    params?: Record<string, string[]>;
    docs?: Record<string, string>;
    globals?: Record<string, unknown>;
    cap: number;
    /** Index in `_out` where the cell's whole output is kept. */
    slot?: number;
    /** What `Deno.cwd()` reports. */
    cwd?: string;
  }

  async function run(message: RunMessage): Promise<void> {
    await caps.lockNodeWorkers();
    const cell: Cell = {
      id: message.id,
      token: {},
      output: createOutput(
        message.cap,
        (text) =>
          send(["O", stringify({ __proto__: null, id: message.id, text })]),
        timers,
      ),
      full: [],
      fullChars: 0,
      submitted: null,
      done: false,
      timers: new Set(),
    };
    current = cell;
    let value: string | undefined;
    let whole: string | undefined;
    let error: ReturnType<typeof describeError> | undefined;
    if (python) {
      const outcome = await runPython(cell, message);
      whole = outcome.value;
      if (whole !== undefined) value = clip(whole, message.cap);
      if (outcome.error) {
        const { name, message: text, line } = outcome.error;
        error = { name, message: clip(text, message.cap), line };
      }
    } else {
      if (message.cwd) useCwd(message.cwd);
      installFunctions(message.fns, message.docs);
      if (message.globals) {
        for (const [name, value] of Object.entries(message.globals)) {
          helpers.def(name, value);
        }
      }
    }
    if (!python) {
      try {
        const fn = new AsyncFunction(
          "__nc",
          `${message.code}\n//# sourceURL=cell-${cell.id}`,
        );
        const result = await caps.runInContext(cell.token, () => fn(helpers));
        if (result !== undefined) {
          whole = format(result);
          value = clip(whole, message.cap);
        }
      } catch (thrown) {
        if (thrown !== SUBMIT_SIGNAL) {
          error = describeError(thrown, cell.id, message.cap);
        }
      }
    }
    let submitted: string | undefined;
    if (cell.submitted) {
      error = undefined;
      value = undefined;
      try {
        submitted = stringify(cell.submitted);
        if (submitted.length > maxSubmitChars) {
          throw new Error(
            `it is ${submitted.length} characters of JSON, over the limit of ${maxSubmitChars}`,
          );
        }
      } catch (thrown) {
        submitted = undefined;
        error = {
          name: "TypeError",
          message: `SUBMIT arguments must be JSON values of a sensible size: ${
            thrown instanceof Error ? thrown.message : String(thrown)
          }`,
          line: undefined,
        };
      }
    }
    cell.done = true;
    if (current === cell) current = null;
    for (const id of cell.timers) timers.clearInterval(id as number);
    const out = global._out;
    if (message.slot !== undefined && (python || Array.isArray(out))) {
      const kept = cell.full.join("") +
        (cell.fullChars >= FULL_CAP
          ? "\n[... output beyond 4,000,000 characters was not kept]\n"
          : "") +
        (value !== undefined ? `${whole}\n` : "");
      if (python) python.keep(message.slot, kept);
      else (out as unknown[])[message.slot] = kept;
    }
    const { omitted, tail } = cell.output.end();
    send([
      "D",
      stringify({
        __proto__: null, // (see hostReply)
        id: cell.id,
        value,
        error,
        submitted,
        omitted,
        tail,
      }),
    ]);
  }

  // Where the body of an AsyncFunction starts in its own line numbering
  // (the lines V8 writes before it), so error lines map to lines of the
  // cell. Read from the function's text: throwing an error to measure it
  // cost the start-up a stack trace.
  {
    const marker = "/*nanocode-body*/";
    const text = String(new AsyncFunction("__nc", marker));
    const at = text.indexOf(marker);
    if (at > 0) lineOffset = text.slice(0, at).split("\n").length - 1;
  }

  // The host's one message on the worker's own channel: the shared buffer,
  // posted when it started the worker (so it is already waiting here).
  const onShared = (event: Event) => {
    const shared = (event as MessageEvent).data as unknown;
    if (sharedReady || !(shared instanceof SharedArrayBuffer)) return;
    events.removeEventListener("message", onShared);
    ctl = new Int32Array(shared, 0, 8);
    data = new Bytes(shared, 32);
    dataBytes = data.length;
    Object.setPrototypeOf(ctl, null);
    Object.setPrototypeOf(data, null);
    sharedReady = true;
    ready();
  };
  events.addEventListener("message", onShared);

  port.onmessage = (event: MessageEvent) => {
    const message = event.data as unknown; // an own property
    if (
      isArray(message) && message[0] === "A" &&
      message[1] instanceof ArrayBuffer
    ) {
      bootPython(message[1]);
    } else if (isArray(message) && message[0] === "R") {
      const request = parse(message[1]) as RunMessage;
      run(request).catch((thrown) => {
        // The bootstrap itself failed: still end the cell, with the reason.
        if (current?.id === request.id) current = null;
        const { name, message } = describeError(thrown, 0, 1000);
        send([
          "D",
          stringify({
            id: request.id,
            error: { name, message },
            omitted: 0,
            tail: "",
          }),
        ]);
      });
    }
  };
}
