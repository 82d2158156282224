/** Hostile cells against the sandbox itself: floods, giants, memory, side channels, leftovers, forgeries. */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { requestsOf, SUB_MODEL } from "../helpers/script.ts";
import { sandboxCommand } from "../../src/sandbox/bootstrap.ts";
import { Sandbox } from "../../src/sandbox/sandbox.ts";
import { exists, hostile } from "./_harness.ts";

/** Text a cell builds into a raw frame and writes to fd 1 with `node:fs`. */
const RAW_FRAME = [
  "const { writeSync } = await import('node:fs')",
  "function frame(kind, body) {",
  "  const bytes = new TextEncoder().encode(JSON.stringify(body))",
  "  const out = new Uint8Array(5 + bytes.length)",
  "  new DataView(out.buffer).setUint32(0, bytes.length)",
  "  out[4] = kind.charCodeAt(0)",
  "  out.set(bytes, 5)",
  "  return out",
  "}",
].join("\n");

/** Everything the model was sent, as one text (markers are built at run time, so the cells' code does not contain them). */
function modelSaw(h: { server: { requests: { body: unknown }[] } }): string {
  return JSON.stringify(h.server.requests.map((r) => r.body));
}

Deno.test("hostile: a cell flooding forged output frames on the agent's pipe gets its sandbox replaced; nothing forged reaches the model", async () => {
  await using h = await hostile();
  const [before, flood, after] = await h.turn(
    "const kept = 'state'\nprint('set')",
    [
      RAW_FRAME,
      "for (let i = 0; i < 20000; i++) {",
      "  try { writeSync(1, frame('O', { id: 2, text: 'FORGED' + '-OUTPUT ' + i + '\\n' })) } catch { break }",
      "}",
      "print('real output')",
      "await new Promise(() => {})",
    ].join("\n"),
    "print(typeof kept)",
  );
  assertEquals(before, "set");
  assertStringIncludes(flood, "breaks the protocol");
  assertStringIncludes(flood, "REPL was restarted");
  assertEquals(after, "undefined");
  assert(!modelSaw(h).includes("FORGED-OUTPUT"), "a forged frame got through");
});

Deno.test("hostile: a cell printing without end gets head and tail with a note, within max_output_chars, and keeps its state", async () => {
  await using h = await hostile();
  const [flood, after] = await h.turn(
    "const kept = 'state'\nfor (let i = 0; i < 2_000_000; i++) print('line ' + i)",
    "print(kept)",
  );
  assertStringIncludes(flood, "line 0\nline 1\n");
  assertStringIncludes(flood, "line 1999999");
  assertStringIncludes(flood, "characters omitted");
  assert(flood.length < 110_000, `observation of ${flood.length} chars`);
  assertEquals(after, "state");
});

Deno.test("hostile: a cell returning a giant value, or SUBMITting a giant answer, gets it cut or refused and keeps its state", async () => {
  await using h = await hostile();
  const [giant, object, submit, after] = await h.turn(
    "const kept = 'state'\n'x'.repeat(100_000_000) + 'END'",
    "Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => ['k' + i, 'v'.repeat(100)]))",
    "SUBMIT('y'.repeat(40_000_000))",
    "print(kept)",
  );
  assertStringIncludes(giant, "characters omitted");
  assert(giant.endsWith("xxxEND"), giant.slice(-20));
  assert(giant.length < 110_000);
  assert(object.length < 110_000);
  assertStringIncludes(
    submit,
    "SUBMIT arguments must be JSON values of a sensible size",
  );
  assertStringIncludes(submit, "over the limit");
  assertEquals(after, "state");
});

Deno.test("hostile: a cell holding 2 GiB in ArrayBuffers is stopped by the sandbox's memory limit; the REPL restarts and the agent stays up", async () => {
  await using h = await hostile();
  const [held, after] = await h.turn(
    [
      "const kept = 'state'",
      "const held = []",
      "for (let i = 0; i < 8; i++) held.push(new Uint8Array(256 << 20).fill(1))",
      "print('held', held.length * 256, 'MiB')",
    ].join("\n"),
    "print(typeof kept, 'and still working')",
  );
  assert(!held.includes("held 2048 MiB"), held);
  assertStringIncludes(held, "over its limit of 1024 MiB");
  assertStringIncludes(held, "REPL was restarted");
  assertEquals(after, "undefined and still working");
  // The agent process itself never held the memory.
  assert(Deno.memoryUsage().rss < 1024 * 2 ** 20);
});

Deno.test("hostile: the Cache API, localStorage, indexedDB, BroadcastChannel and Deno.openKv are not there, and nothing reaches the disk", async () => {
  await using h = await hostile();
  const [seen] = await h.turn(
    [
      "const out = []",
      "for (const name of ['caches', 'CacheStorage', 'localStorage', 'sessionStorage', 'indexedDB', 'BroadcastChannel', 'SharedWorker']) out.push(name + ': ' + typeof globalThis[name])",
      "out.push('openKv: ' + typeof Deno.openKv)",
      "try { await caches.open('x') } catch (e) { out.push(e.name) }",
      "print(out.join('\\n'))",
    ].join("\n"),
  );
  for (
    const name of [
      "caches",
      "CacheStorage",
      "localStorage",
      "sessionStorage",
      "indexedDB",
      "BroadcastChannel",
      "SharedWorker",
      "openKv",
    ]
  ) {
    assertStringIncludes(seen, `${name}: undefined`);
  }
  assertStringIncludes(seen, "ReferenceError");
  // Its DENO_DIR cannot exist, so Deno stores nothing for it anywhere.
  const pid = h.agent.sandbox.pid!;
  const environ = await Deno.readTextFile(`/proc/${pid}/environ`);
  assertStringIncludes(environ, "DENO_DIR=/dev/null/nanocode-sandbox\0");
  assert(!(await exists("/dev/null/nanocode-sandbox")));
});

Deno.test("hostile: a cell cannot start a nested Worker, by the global or node:worker_threads", async () => {
  await using h = await hostile();
  const [seen] = await h.turn(
    [
      "const src = 'data:text/javascript,' + encodeURIComponent('postMessage(1)')",
      "const tries = {",
      "  global: () => new Worker(src, { type: 'module' }),",
      "  nodeUrl: async () => new (await import('node:worker_threads')).Worker(new URL(src)),",
      "  nodeEval: async () => new (await import('node:worker_threads')).Worker('1', { eval: true }),",
      "}",
      "for (const [name, start] of Object.entries(tries)) {",
      "  try { await start(); print(name, 'STARTED') } catch (e) { print(name, e.message) }",
      "}",
    ].join("\n"),
  );
  assert(!seen.includes("STARTED"), seen);
  assertStringIncludes(seen, "global Worker is not defined");
  assertStringIncludes(
    seen,
    "nodeEval A nested Worker is not available in the REPL",
  );
});

Deno.test("hostile: Deno[Deno.internal] is gone, and a forged 'done' frame written to the agent's pipe is refused", async () => {
  await using h = await hostile();
  const [internal, forged] = await h.turn(
    [
      "print(typeof Deno.internal, Object.getOwnPropertySymbols(Deno).length)",
      "try { Deno[Deno.internal].core.print('x') } catch (e) { print(e.name) }",
    ].join("\n"),
    [
      RAW_FRAME,
      "writeSync(1, frame('D', { id: 2, value: 'FORGED' + '-VALUE', omitted: 0, tail: '' }))",
      "await new Promise(() => {})",
    ].join("\n"),
  );
  assertEquals(internal, "undefined 0\nTypeError");
  assert(!forged.includes("FORGED-VALUE"));
  assertStringIncludes(forged, "without the sandbox's key");
  assert(!modelSaw(h).includes("FORGED-VALUE"));
});

Deno.test("hostile: timers and intervals a cell leaves behind are cancelled: no tool call reaches the next turn", async () => {
  await using h = await hostile({ mode: "yolo" });
  await h.turn(
    [
      "setInterval(() => write_file('leak-interval.txt', 'x'), 20)",
      "setTimeout(() => write_file('leak-timeout.txt', 'x'), 400)",
      "print('armed')",
    ].join("\n"),
  );
  const [waited] = await h.turn(
    "await new Promise((r) => setTimeout(r, 800))\nprint(write_file('control.txt', 'ok'))",
  );
  assertStringIncludes(waited, "ok: wrote");
  assert(await exists(h.ws.file("control.txt")));
  assert(!(await exists(h.ws.file("leak-interval.txt"))));
  assert(!(await exists(h.ws.file("leak-timeout.txt"))));
});

Deno.test("hostile: a promise, node timer or listener an earlier turn left behind cannot call a tool while the next turn runs", async () => {
  await using h = await hostile({ mode: "yolo" });
  await h.turn(
    [
      "globalThis.go = null",
      "new Promise((r) => go = r).then(() => write_file('leak-promise.txt', 'x'))",
      "const timers = await import('node:timers')",
      "timers.setTimeout(() => write_file('leak-node-timer.txt', 'x'), 300)",
      "addEventListener('message', () => write_file('leak-listener.txt', 'x'))",
      "print('armed')",
    ].join("\n"),
  );
  const [resumed] = await h.turn(
    "go()\nawait new Promise((r) => setTimeout(r, 600))\nprint('waited')",
  );
  assertStringIncludes(resumed, "waited");
  assertStringIncludes(
    resumed,
    "write_file() works only in the running cell's own code",
  );
  for (const leak of ["promise", "node-timer", "listener"]) {
    assert(!(await exists(h.ws.file(`leak-${leak}.txt`))), leak);
  }
});

Deno.test("hostile: forged concurrent host calls cannot stop the cell's clock, and never reach a tool", async () => {
  await using h = await hostile({ cellTimeout: 2 });
  const [posted, raw] = await h.turn(
    [
      "const call = JSON.stringify({ cid: 99, cell: 1, name: 'llm_query', args: ['forged'] })",
      "for (const post of [globalThis.postMessage, Object.getPrototypeOf(globalThis).postMessage]) {",
      "  try { post?.call(globalThis, ['C', 99, call]) } catch {}",
      "}",
      "while (true) {}",
    ].join("\n"),
    [
      RAW_FRAME,
      "writeSync(1, frame('C', { cid: 98, cell: 2, name: 'llm_query', args: ['forged'] }))",
      "while (true) {}",
    ].join("\n"),
  );
  assertStringIncludes(posted, "cell timeout");
  assertStringIncludes(raw, "breaks the protocol");
  assertEquals(requestsOf(h.server.requests, SUB_MODEL).length, 0);
});

Deno.test("hostile: a cell hunting for the shared buffer host calls travel through finds none, and hears nothing on the worker's channel", async () => {
  await using sb = new Sandbox({ cellTimeout: 20 });
  let calls = 0;
  const result = await sb.run(
    [
      "const heard = []",
      "addEventListener('message', (e) => heard.push(String(e.data)))",
      "const found = [], seen = new Set()",
      "function visit(value, path, depth) {",
      "  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return",
      "  seen.add(value)",
      "  if (value instanceof SharedArrayBuffer || (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer)) found.push(path)",
      "  if (depth === 0) return",
      "  let keys; try { keys = Reflect.ownKeys(value) } catch { return }",
      "  for (const key of keys) {",
      "    let next; try { next = value[key] } catch { continue }",
      "    visit(next, path + '.' + String(key), depth - 1)",
      "  }",
      "  try { visit(Object.getPrototypeOf(value), path + '.__proto__', depth - 1) } catch {}",
      "}",
      "f(); visit(globalThis, 'globalThis', 4); f(); f()",
      "await new Promise((r) => setTimeout(r, 100))",
      "JSON.stringify({ found, heard })",
    ].join("\n"),
    { functions: { f: () => ++calls } },
  );
  assertEquals(result.error, undefined, JSON.stringify(result.error));
  assertEquals(result.value, JSON.stringify({ found: [], heard: [] }));
  assertEquals(calls, 3);
});

Deno.test("hostile: importing npm:, jsr: or a remote module from any nested context sends no request", async () => {
  // A registry on 127.0.0.1 that the sandbox is even pointed at.
  const seen: string[] = [];
  await using registry = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      seen.push(request.url);
      return new Response("export default 'FETCHED'", {
        headers: { "content-type": "application/javascript" },
      });
    },
  );
  const origin = `http://127.0.0.1:${registry.addr.port}`;
  const command = sandboxCommand(Deno.execPath(), {
    heapMb: 256,
    sharedBytes: 1 << 20,
    memoryMb: 768,
  });
  command.env = {
    ...command.env,
    NPM_CONFIG_REGISTRY: `${origin}/npm/`,
    JSR_URL: `${origin}/jsr/`,
  };
  await using h = await hostile({
    repl: new Sandbox({ cellTimeout: 30, command }),
  });
  const [seenByModel] = await h.turn(
    [
      `const origin = ${JSON.stringify(origin)}`,
      "const specs = ['npm:left-pad@1.3.0', 'jsr:@std/path', origin + '/remote.js']",
      "const ways = {",
      "  direct: (s) => import(s),",
      "  eval: (s) => eval('import(' + JSON.stringify(s) + ')'),",
      "  fn: (s) => new Function('s', 'return import(s)')(s),",
      "  dataModule: (s) => import('data:text/javascript,' + encodeURIComponent('export default await import(' + JSON.stringify(s) + ')')),",
      "  later: (s) => new Promise((r) => setTimeout(r, 1)).then(() => import(s)),",
      "}",
      "let loaded = 0, refused = 0",
      "for (const spec of specs) for (const load of Object.values(ways)) {",
      "  try { await load(spec); loaded++ } catch { refused++ }",
      "}",
      "print('loaded', loaded, 'refused', refused)",
    ].join("\n"),
  );
  assertEquals(seenByModel, "loaded 0 refused 15");
  assertEquals(seen, []);
});
