/**
 * The Python cell runtime inside the sandbox's Web Worker: boots Pyodide
 * from files the agent sent as bytes (the worker has no file or network
 * permission and needs none), then runs each cell's Python through the same
 * host-call bridge, output buffer and SUBMIT bookkeeping as JavaScript cells.
 *
 * Pyodide is made to load as in a browser's worker (Deno's and Node's
 * globals are hidden for good, so it reaches for neither `node:fs` nor
 * `process`), its two downloads (the wasm binary and the standard library)
 * are answered from memory, its `js` module is an empty object, and package
 * loading is refused. Python's heap (the wasm memory) is capped: a cell that
 * allocates past it gets a `MemoryError` and the REPL keeps its state.
 *
 * `startPython` must stay self-contained (no imports but types, no outer
 * references): `bootstrap.ts` embeds its source text in the worker.
 *
 * @module
 */

/** What the worker bootstrap lends the Python runtime. */
export interface PythonBridge {
  /** A synchronous host call; returns the reply text tagged "S" (string) or "J" (JSON). */
  call(name: string, args: unknown[]): string;
  /** Appends text to the running cell's output. */
  write(text: string): void;
  /** Records the running cell's `SUBMIT(...)` arguments. */
  submit(args: unknown[]): void;
  /** Whether `error` is the bootstrap's SUBMIT signal. */
  isSubmit(error: unknown): boolean;
  /** Sends a message to the sandbox's main thread. */
  post(message: unknown, transfer?: Transferable[]): void;
}

/** What a Python cell produced, as the worker bootstrap reports it. */
export interface PythonOutcome {
  /** The final expression's value, shown. */
  value?: string;
  /** The error, located in the cell. */
  error?: { name: string; message: string; line?: number };
  /** Whether the cell called SUBMIT. */
  submitted?: boolean;
}

/** One cell's request, as the worker bootstrap passes it on. */
export interface PythonCell {
  id: number;
  code: string;
  /** Functions in scope: name and parameters (`name`, `name?` or `...name`). */
  fns: { name: string; params: string[] | null }[];
  globals?: Record<string, unknown>;
}

/** A booted Python REPL. */
export interface PythonRuntime {
  /** Runs one cell. */
  run(cell: PythonCell): Promise<PythonOutcome>;
  /** Stores a cell's whole output in `_out[slot]`. */
  keep(slot: number, text: string): void;
  /** Whether Pyodide failed beyond repair (the process must be replaced). */
  broken(): string | undefined;
}

/**
 * Boots Pyodide from the assets frame (`payload`, see `assets.ts`) and
 * returns the runtime. With a snapshot in the frame it restores it; without
 * one (or when it is refused) it boots cold and, when asked, posts a fresh
 * snapshot to the main thread as `["S", bytes]`.
 *
 * @example
 * ```ts ignore
 * // Embedded as text by bootstrap.ts, never called in the agent process:
 * const python = await startPython(payload, bridge);
 * const outcome = await python.run({ id: 1, code: "1 + 1", fns: [] });
 * ```
 */
export async function startPython(
  payload: ArrayBuffer,
  bridge: PythonBridge,
): Promise<PythonRuntime> {
  type Bag = Record<string, unknown>;
  interface PyProxy {
    destroy(): void;
    then?: unknown;
  }
  type PyFn = ((...args: unknown[]) => unknown) & PyProxy;
  interface PyDict extends PyProxy {
    get(name: string): unknown;
  }
  interface Pyodide {
    runPython(code: string, options?: Bag): unknown;
    registerJsModule(name: string, module: object): void;
    setStdin(options: Bag): void;
    makeMemorySnapshot(): Uint8Array;
    FS: {
      mkdirTree(path: string): void;
      chmod(path: string, mode: number): void;
    };
  }
  interface Header {
    files: { name: string; size: number }[];
    /** The prelude's Python source (pure Python, see prelude.ts). */
    prelude: string;
    /** Imports run before the snapshot is taken. */
    warm: string;
    makeSnapshot: boolean;
    cwd: string;
    heapBytes: number;
  }

  const view = new DataView(payload);
  const headerLength = view.getUint32(0);
  const header = JSON.parse(
    new TextDecoder().decode(new Uint8Array(payload, 4, headerLength)),
  ) as Header;
  const files: Record<string, Uint8Array> = {};
  // Each file starts at a multiple of 8 (see assets.ts).
  const align = (n: number) => n + (8 - n % 8) % 8;
  let offset = align(4 + headerLength);
  for (const file of header.files) {
    files[file.name] = new Uint8Array(payload, offset, file.size);
    offset = align(offset + file.size);
  }
  const text = (name: string) => new TextDecoder().decode(files[name]);

  // Pyodide must see a browser's worker, not Deno or Node: both are hidden
  // while it loads (Deno's Node modules need them back afterwards; cells
  // reach no more through them than JavaScript cells do). The dialogs,
  // which would read the sandbox's stdin, the agent's pipe, go for good.
  // Pyodide runs asyncio's callbacks through a MessageChannel it makes as it
  // loads; a channel's messages carry no cell, so after an await a cell's
  // prints, calls and SUBMIT would be refused as an earlier cell's
  // leftovers. While it loads, its MessageChannel is one whose messages
  // arrive as promise jobs, which stay the cell's that posted them.
  const global = globalThis as unknown as Bag;
  const hidden: [string, PropertyDescriptor][] = [];
  const restored = new Set(["Deno", "process", "MessageChannel"]);
  for (
    const name of [
      "Deno",
      "process",
      "MessageChannel",
      "prompt",
      "alert",
      "confirm",
    ]
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(global, name);
    try {
      if (descriptor && delete global[name] && restored.has(name)) {
        hidden.push([name, descriptor]);
      }
    } catch { /* not configurable: left as it is */ }
  }

  // Python's heap is the wasm memory: cap its growth.
  const memory = WebAssembly.Memory.prototype as unknown as Bag;
  const grow = memory.grow as (this: WebAssembly.Memory, n: number) => number;
  const cap = header.heapBytes;
  Object.defineProperty(memory, "grow", {
    value: function (this: WebAssembly.Memory, pages: number): number {
      if (this.buffer.byteLength + pages * 65536 > cap) {
        throw new RangeError("Python heap limit reached");
      }
      return grow.call(this, pages);
    },
    writable: false,
    configurable: false,
  });

  const base = "https://pyodide.nanocode.invalid/";
  const served: Record<string, [string, string]> = {
    [base + "pyodide.asm.wasm"]: ["pyodide.asm.wasm", "application/wasm"],
    [base + "python_stdlib.zip"]: ["python_stdlib.zip", "application/zip"],
  };
  const realFetch = globalThis.fetch;
  const memoryFetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const entry = served[String(input instanceof Request ? input.url : input)];
    if (!entry) return realFetch(input, init);
    return Promise.resolve(
      new Response(files[entry[0]] as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": entry[1] },
      }),
    );
  };
  const moduleUrl = (source: string) =>
    URL.createObjectURL(new Blob([source], { type: "text/javascript" }));

  class PromiseChannel {
    port1: { onmessage: ((event: unknown) => void) | null; start(): void } = {
      onmessage: null,
      start() {},
    };
    port2 = {
      postMessage: (data: unknown) => {
        void Promise.resolve().then(() => this.port1.onmessage?.({ data }));
      },
    };
  }
  global.MessageChannel = PromiseChannel;
  global.fetch = memoryFetch;
  let pyodide: Pyodide;
  try {
    const loader = await import(moduleUrl(text("pyodide.mjs")));
    const glue = await import(moduleUrl(text("pyodide.asm.mjs")));
    const boot = (snapshot?: Uint8Array) =>
      loader.loadPyodide({
        indexURL: base,
        lockFileContents: text("pyodide-lock.json"),
        createPyodideModule: glue.default,
        jsglobals: Object.create(null),
        env: { HOME: "/home/pyodide" },
        stdout: () => {},
        stderr: () => {},
        checkAPIVersion: true,
        _makeSnapshot: !snapshot && header.makeSnapshot,
        _loadSnapshot: snapshot,
      }) as Promise<Pyodide>;
    const snapshot = files["snapshot"];
    let restored = false;
    if (snapshot) {
      try {
        pyodide = await boot(snapshot);
        restored = true;
      } catch {
        pyodide = await boot();
      }
    } else pyodide = await boot();
    // The prelude is pure Python: it runs before the snapshot is taken, and
    // a restored snapshot has it already.
    const has = "__import__('sys').modules.get('_nanocode') is not None";
    if (!restored || !pyodide.runPython(has)) {
      pyodide.runPython(header.warm);
      const scope = pyodide.runPython(
        "import sys, types\nsys.modules['_nanocode'] = types.ModuleType('_nanocode')\nsys.modules['_nanocode'].__dict__",
      ) as PyDict;
      pyodide.runPython(header.prelude, {
        globals: scope,
        filename: "<nanocode>",
      });
      scope.destroy();
      if (header.makeSnapshot) {
        const bytes = pyodide.makeMemorySnapshot();
        bridge.post(["S", bytes], [bytes.buffer as ArrayBuffer]);
      }
    }
  } finally {
    global.fetch = realFetch;
    for (const [name, descriptor] of hidden) {
      Object.defineProperty(global, name, descriptor);
    }
  }

  // Nothing may be downloaded: package loading fails with one sentence.
  const refusal = () => {
    throw new Error(
      "Python packages cannot be installed in nanocode's REPL (it has no network); only the standard library is available. Use run_bash(...) to run code that needs other packages.",
    );
  };
  const api = pyodide as unknown as Bag;
  for (const name of ["loadPackage", "loadPackagesFromImports"]) {
    Object.defineProperty(api, name, { value: refusal, writable: false });
  }
  pyodide.setStdin({ error: true });

  const decoder = JSON.parse;
  pyodide.registerJsModule("_nanocode_js", {
    call(name: string, argsJson: string): string {
      try {
        return bridge.call(name, decoder(argsJson) as unknown[]);
      } catch (error) {
        if (bridge.isSubmit(error)) return "X";
        const { name: kind = "Error", message = String(error) } =
          (error ?? {}) as { name?: string; message?: string };
        return "E" + JSON.stringify({ name: kind, message });
      }
    },
    write(text: string): void {
      bridge.write(text);
    },
    submit(json: string): void {
      bridge.submit(decoder(json) as unknown[]);
    },
  });
  // The prelude lives in a module of its own: cells see only what it hands them.
  const scope = pyodide.runPython(
    "__import__('sys').modules['_nanocode'].__dict__",
  ) as PyDict;
  const setup = scope.get("_nanocode_setup") as PyFn;
  // Packages of Pyodide's distribution would need a download: refused.
  const lock = JSON.parse(text("pyodide-lock.json")) as {
    packages?: Record<string, { imports?: string[] }>;
  };
  const refused = Object.values(lock.packages ?? {}).flatMap((p) =>
    p.imports ?? []
  );
  setup(header.cwd, JSON.stringify(refused));
  setup.destroy();
  const runCell = scope.get("_nanocode_run") as PyFn;
  const keepOutput = scope.get("_nanocode_keep") as PyFn;
  let fatal: string | undefined;

  return {
    async run(cell) {
      if (fatal) throw new Error(fatal);
      let result: unknown;
      try {
        result = runCell(
          cell.id,
          cell.code,
          JSON.stringify(cell.fns),
          cell.globals ? JSON.stringify(cell.globals) : "",
        );
        if (typeof result !== "string") {
          const pending = result as PyProxy;
          try {
            result = await (pending as unknown as Promise<unknown>);
          } finally {
            pending.destroy();
          }
        }
      } catch (error) {
        // A Python error never reaches here (the prelude reports it): this
        // is Pyodide itself failing.
        fatal = `Python failed: ${String((error as Error)?.message ?? error)}`;
        throw new Error(fatal);
      }
      return JSON.parse(String(result)) as PythonOutcome;
    },
    keep(slot, text) {
      if (!fatal) keepOutput(slot, text);
    },
    broken: () => fatal,
  };
}
