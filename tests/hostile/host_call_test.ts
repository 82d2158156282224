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
