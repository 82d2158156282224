/**
 * Hostile cells against the host-call path (the shared buffer between the
 * worker and the sandbox's main thread, the private port, the paused pump):
 * poisoned built-ins the bootstrap uses, forged call ids, re-entrant calls,
 * payloads at the buffer's edge, ordering, and calls that never come back.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { Sandbox } from "../../src/sandbox/sandbox.ts";

/** Cell code that wraps the built-ins a bootstrap might use on the shared buffer or its port, noting every one handed either. */
const POISON = [
  "const caught = new Set()",
  "const TA = Object.getPrototypeOf(Uint8Array.prototype)",
  "const bufferOf = Object.getOwnPropertyDescriptor(TA, 'buffer').get",
  "const check = (what, values) => { for (const v of values) {",
  "  if (v instanceof MessagePort) caught.add(what + ':port')",
  "  else if (v instanceof SharedArrayBuffer) caught.add(what + ':buffer')",
  "  else if (ArrayBuffer.isView(v) && bufferOf.call(v) instanceof SharedArrayBuffer) caught.add(what + ':view')",
  "} }",
  "const undo = []",
  "const wrap = (target, name, label) => {",
  "  const own = Object.getOwnPropertyDescriptor(target, name)",
  "  const original = own.value",
  "  Object.defineProperty(target, name, { ...own, value: function (...args) { check(label, [this, ...args]); return Reflect.apply(original, this, args) } })",
  "  undo.push(() => Object.defineProperty(target, name, own))",
  "}",
  "const wrapGetter = (target, name, label) => {",
  "  const own = Object.getOwnPropertyDescriptor(target, name)",
  "  Object.defineProperty(target, name, { ...own, get() { check(label, [this]); return own.get.call(this) } })",
  "  undo.push(() => Object.defineProperty(target, name, own))",
  "}",
  "for (const name of ['wait', 'store', 'load', 'notify', 'waitAsync', 'exchange', 'compareExchange']) wrap(Atomics, name, 'Atomics.' + name)",
  "for (const name of ['slice', 'subarray', 'set', 'fill']) wrap(TA, name, 'TypedArray.' + name)",
  "for (const name of ['length', 'byteLength', 'byteOffset']) wrapGetter(TA, name, 'TypedArray.' + name)",
  "wrap(TextEncoder.prototype, 'encodeInto', 'encodeInto')",
  "wrap(TextEncoder.prototype, 'encode', 'encode')",
  "wrap(TextDecoder.prototype, 'decode', 'decode')",
  "wrap(MessagePort.prototype, 'postMessage', 'postMessage')",
].join("\n");

Deno.test("hostile: a cell that poisons Atomics, typed-array methods, TextEncoder and MessagePort.prototype is handed neither the shared buffer nor the bootstrap's port by host calls", async () => {
  await using sb = new Sandbox({ cellTimeout: 30, sharedBytes: 4096 });
  let calls = 0;
  const result = await sb.run(
    [
      POISON,
      "print('before')",
      "let got",
      "try {",
      "  f('small'); f('x'.repeat(10000)); got = f('big').length; print('between'); f('é'.repeat(2047))",
      "} finally { for (const u of undo) u() }",
      "JSON.stringify({ caught: [...caught], got })",
    ].join("\n"),
    {
      functions: {
        f: ([arg]) => {
          calls++;
          return arg === "big" ? "y".repeat(20_000) : "ok";
        },
      },
    },
  );
  assertEquals(result.error, undefined, JSON.stringify(result.error));
  assertEquals(result.lost, undefined, result.detail);
  assertEquals(result.value, JSON.stringify({ caught: [], got: 20_000 }));
  assertEquals(calls, 4);
  assertEquals(result.output, "before\nbetween\n");
});

Deno.test("hostile: a cell whose Object.prototype.toJSON rewrites the call envelope (another call id, another cell) neither wedges its call nor speaks for another cell", async () => {
  await using sb = new Sandbox({ cellTimeout: 15 });
  const seen: unknown[][] = [];
  const result = await sb.run(
    [
      "Object.defineProperty(Object.prototype, 'toJSON', { configurable: true, value: function () {",
      "  return this && typeof this.cid === 'number' ? { ...this, cid: this.cid + 1000, cell: this.cell + 1, toJSON: undefined } : this",
      "} })",
      "let r",
      "try { r = f({ a: 1 }) } finally { delete Object.prototype.toJSON }",
      "r",
    ].join("\n"),
    { functions: { f: (args) => (seen.push(args), "ok") } },
  );
  assertEquals(result.lost, undefined, result.detail);
  assertEquals(result.error, undefined, JSON.stringify(result.error));
  assertEquals(result.value, "ok");
  assertEquals(seen.length, 1);
});

Deno.test("hostile: a cell whose Object.prototype.toJSON rewrites every envelope with an id (its output, its end) still has its output and its end reach the agent as its own", async () => {
  await using sb = new Sandbox({ cellTimeout: 15 });
  const result = await sb.run(
    [
      "Object.defineProperty(Object.prototype, 'toJSON', { configurable: true, value: function () {",
      "  return this && typeof this.id === 'number' ? { ...this, id: this.id + 1, text: 'FORGED', toJSON: undefined } : this",
      "} })",
      "print('mine')",
      "await new Promise((r) => setTimeout(r, 50))",
      "'value'",
    ].join("\n"),
  );
  assertEquals(result.lost, undefined, result.detail);
  assertEquals(result.output, "mine\n");
  assertEquals(result.value, "value");
  const next = await sb.run("delete Object.prototype.toJSON; 1 + 1");
  assertEquals(next.value, "2");
});

Deno.test("hostile: a host call made from inside another call's argument (toJSON) runs first, and each call gets its own reply", async () => {
  await using sb = new Sandbox({ cellTimeout: 30 });
  const seen: string[] = [];
  const result = await sb.run(
    [
      "const inner = []",
      "const sneaky = { toJSON() { inner.push(f('inner')); return 'outer-arg' } }",
      "const outer = f(sneaky)",
      "JSON.stringify({ outer, inner })",
    ].join("\n"),
    {
      functions: { f: ([arg]) => (seen.push(String(arg)), `reply-to-${arg}`) },
    },
  );
  assertEquals(result.error, undefined, JSON.stringify(result.error));
  assertEquals(
    result.value,
    JSON.stringify({ outer: "reply-to-outer-arg", inner: ["reply-to-inner"] }),
  );
  assertEquals(seen, ["inner", "outer-arg"]);
});

Deno.test("hostile: arguments at the shared buffer's edge (multi-byte, lone surrogates) arrive whole, and a reply of lone surrogates comes back as the agent sent it", async () => {
  const shared = 4096;
  await using sb = new Sandbox({ cellTimeout: 30, sharedBytes: shared });
  const sizes: number[] = [];
  const result = await sb.run(
    [
      // The envelope is {"cid":N,"cell":N,"name":"f","args":["..."]}: about 45 bytes.
      "const out = []",
      `for (const n of [${shared - 60}, ${shared - 44}, ${
        shared - 43
      }, ${shared}, ${shared * 3}]) out.push(f('a'.repeat(n)))`,
      "out.push(f('\\ud800x\\udfff'), f('é'.repeat(2020) + '\\ud83d'))",
      "JSON.stringify(out)",
    ].join("\n"),
    {
      functions: {
        f: ([arg]) => {
          sizes.push(String(arg).length);
          return String(arg).length + ":" + String(arg).slice(0, 3);
        },
      },
    },
  );
  assertEquals(result.error, undefined, JSON.stringify(result.error));
  const expected = [shared - 60, shared - 44, shared - 43, shared, shared * 3]
    .map((n) => `${n}:aaa`).concat(["3:\ud800x\udfff", "2021:ééé"]);
  assertEquals(result.value, JSON.stringify(expected));
  assertEquals(sizes.length, 7);
});

Deno.test("hostile: text printed before a host call reaches the agent before the call runs, and text after it after, however much there is", async () => {
  await using sb = new Sandbox({ cellTimeout: 30, maxOutputChars: 10_000_000 });
  let streamed = "";
  let atCall = -1;
  const result = await sb.run(
    [
      "for (let i = 0; i < 2000; i++) print('before ' + i + ' ' + 'x'.repeat(100))",
      "f()",
      "for (let i = 0; i < 50; i++) print('after ' + i)",
    ].join("\n"),
    {
      functions: { f: () => (atCall = streamed.length, null) },
      onOutput: (text) => streamed += text,
    },
  );
  assertEquals(result.error, undefined, JSON.stringify(result.error));
  const lastBefore = streamed.indexOf("before 1999 ");
  assert(lastBefore >= 0 && lastBefore < atCall, `call ran at ${atCall}`);
  assertEquals(streamed.slice(atCall), result.output.slice(atCall));
  assert(streamed.slice(atCall).startsWith("after 0\n"));
});

Deno.test("hostile: a cell that blocks forever after its first host call is stopped by its timeout, and the next cell runs in a fresh sandbox", async () => {
  await using sb = new Sandbox({ cellTimeout: 3 });
  let calls = 0;
  const result = await sb.run("f(); while (true) {}", {
    functions: { f: () => ++calls },
  });
  assertEquals(result.lost, "timeout");
  assertEquals(calls, 1);
  const next = await sb.run("f() + 1", { functions: { f: () => ++calls } });
  assertEquals(next.value, "3");
});

Deno.test("hostile: a leftover promise continuation that calls a host function after its cell ended is refused, and the next cell's calls are answered", async () => {
  await using sb = new Sandbox({ cellTimeout: 30 });
  const seen: string[] = [];
  const f = ([arg]: unknown[]) => (seen.push(String(arg)), "ok");
  const first = await sb.run(
    [
      "globalThis.later = new Promise((r) => globalThis.release = r)",
      "  .then(() => { try { f('leftover') } catch (e) { globalThis.refused = e.message } })",
      "SUBMIT('done')",
    ].join("\n"),
    { functions: { f } },
  );
  assertEquals(first.submitted, ["done"]);
  const second = await sb.run(
    "release(); await later; [f('second'), refused].join(' | ')",
    { functions: { f } },
  );
  assertEquals(seen, ["second"]);
  assert(
    String(second.value).startsWith("ok | f() works only in the running cell"),
    second.value,
  );
});

Deno.test("hostile: an uncaught error in a timer while a host call is waiting is reported as output; the call's reply still reaches the cell", async () => {
  await using sb = new Sandbox({ cellTimeout: 30 });
  const result = await sb.run(
    [
      "setTimeout(() => { throw new Error('boom in timer') }, 0)",
      "const r = f()",
      "await new Promise((r) => setTimeout(r, 50))",
      "r",
    ].join("\n"),
    {
      functions: {
        f: async () => {
          await new Promise((r) => setTimeout(r, 100));
          return "late reply";
        },
      },
    },
  );
  assertEquals(result.lost, undefined, result.detail);
  assertEquals(result.value, "late reply");
  assert(
    result.output.includes("Uncaught error: Error: boom in timer"),
    result.output,
  );
});
