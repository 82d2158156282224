import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { Sandbox } from "../../src/sandbox/sandbox.ts";
import type { HostFunction } from "../../src/sandbox/types.ts";

function sandbox(): Sandbox {
  return new Sandbox({ cellTimeout: 30 });
}

Deno.test("Sandbox.run() keeps declarations across cells", async () => {
  await using sb = sandbox();
  await sb.run(
    "const a = 20; let b = 1; var c = 0; function add(x, y) { return x + y }\nclass Box { constructor(v) { this.v = v } }",
  );
  await sb.run("const { d, e: [f] } = { d: 3, e: [4] }");
  const result = await sb.run("add(a, b) + c + d + f + new Box(2).v");
  assertEquals(result.value, "30");
  assertEquals(result.error, undefined);
});

Deno.test("Sandbox.run() allows declaring a name again in a later cell", async () => {
  await using sb = sandbox();
  await sb.run("const x = 1");
  const again = await sb.run("const x = 'two'; x");
  assertEquals(again.value, "two");
  const fn = await sb.run("function x() { return 3 }\nx()");
  assertEquals(fn.value, "3");
});

Deno.test("Sandbox.run() supports top-level await", async () => {
  await using sb = sandbox();
  const result = await sb.run(
    "const v = await new Promise((r) => setTimeout(() => r(7), 5))\nv * 6",
  );
  assertEquals(result.value, "42");
});

Deno.test("Sandbox.run() accepts TypeScript annotations", async () => {
  await using sb = sandbox();
  const result = await sb.run([
    "interface Point { x: number; y: number }",
    "type Pair = [string, number]",
    "const p: Point = { x: 1, y: 2 }",
    "function sum<T extends Point>(q: T): number { return q.x + q.y }",
    "const pair = ['n', 1] as Pair",
    "sum(p) + (pair[1] as number)",
  ].join("\n"));
  assertEquals(result.error, undefined);
  assertEquals(result.value, "4");
});

Deno.test("Sandbox.run() runs TypeScript enums and parameter properties", async () => {
  await using sb = sandbox();
  const result = await sb.run([
    "enum Level { Low = 1, High = 3 }",
    "class Box { constructor(public size: number) {} }",
    "Level.High * new Box(2).size",
  ].join("\n"));
  assertEquals(result.error, undefined);
  assertEquals(result.value, "6");
  const later = await sb.run("Level.Low");
  assertEquals(later.value, "1");
});

Deno.test("Sandbox.run() echoes the final expression like a REPL", async () => {
  await using sb = sandbox();
  assertEquals((await sb.run("'plain text'")).value, "plain text");
  assertEquals(
    (await sb.run("({ a: [1, 2], b: 'x' })")).value,
    '{ a: [ 1, 2 ], b: "x" }',
  );
  assertEquals((await sb.run("undefined")).value, undefined);
  assertEquals((await sb.run("const q = 1")).value, undefined);
});

Deno.test("Sandbox.run() keeps what was printed before an error", async () => {
  await using sb = sandbox();
  const result = await sb.run(
    "print('first')\nconsole.log('second', { n: 1 })\nnull.boom",
  );
  assertEquals(result.output, "first\nsecond { n: 1 }\n");
  assertEquals(result.error?.name, "TypeError");
  assertEquals(result.error?.line, 3);
  assertStringIncludes(result.error!.message, "Cannot read properties of null");
});

Deno.test("Sandbox.run() reports a syntax error with its line and runs nothing", async () => {
  await using sb = sandbox();
  const result = await sb.run("print('not run')\nconst = 5\n");
  assertEquals(result.output, "");
  assertEquals(result.error?.name, "SyntaxError");
  assertEquals(result.error?.line, 2);
});

Deno.test("Sandbox.run() reports the line of an error thrown inside a function", async () => {
  await using sb = sandbox();
  const result = await sb.run(
    "function f() {\n  throw new RangeError('deep')\n}\n\nf()",
  );
  assertEquals(result.error, { name: "RangeError", message: "deep", line: 2 });
});

Deno.test("Sandbox.run() lets cells call host functions synchronously", async () => {
  await using sb = sandbox();
  const calls: unknown[][] = [];
  const functions: Record<string, HostFunction> = {
    add: (args) => {
      calls.push(args);
      return (args[0] as number) + (args[1] as number);
    },
    later: async (args) => {
      await new Promise((r) => setTimeout(r, 5));
      return { echoed: args[0] };
    },
  };
  const result = await sb.run(
    "const s = add(2, 3)\nconst o = later('x');\n`${s} ${o.echoed}`",
    {
      functions,
    },
  );
  assertEquals(result.value, "5 x");
  assertEquals(calls, [[2, 3]]);
});

Deno.test("Sandbox.run() moves a 5 MB string intact in both directions", async () => {
  await using sb = sandbox();
  // Every byte position differs, with multi-byte characters across chunk edges.
  const pattern = "héllo wörld ✓ 𝄞 ";
  const big = pattern.repeat(Math.ceil(5_000_000 / pattern.length)).slice(
    0,
    5_000_000,
  );
  let received = "";
  const functions: Record<string, HostFunction> = {
    give: () => big,
    take: (args) => {
      received = args[0] as string;
      return received.length;
    },
  };
  const result = await sb.run(
    "const got = give()\nconst n = take(got);\n[got.length, n, got === " +
      JSON.stringify(pattern) + ".repeat(" +
      Math.ceil(5_000_000 / pattern.length) +
      ").slice(0, 5000000)].join(' ')",
    { functions },
  );
  assertEquals(result.error, undefined);
  assertEquals(result.value, `${big.length} ${big.length} true`);
  assert(received === big, "the host received the string intact");
});

Deno.test("Sandbox.run() gives a catchable Error when a host function throws", async () => {
  await using sb = sandbox();
  const functions: Record<string, HostFunction> = {
    fail: () => {
      throw new TypeError("the tool broke");
    },
  };
  const caught = await sb.run(
    "const kept = 'still here'\ntry { fail() } catch (e) { print(e instanceof Error, e.name, e.message) }",
    { functions },
  );
  assertEquals(caught.output, "true TypeError the tool broke\n");
  const uncaught = await sb.run("print('before')\nfail()", { functions });
  assertEquals(uncaught.output, "before\n");
  assertEquals(uncaught.error, {
    name: "TypeError",
    message: "the tool broke",
    line: 2,
  });
  const after = await sb.run("kept", { functions });
  assertEquals(after.value, "still here");
  assertEquals(after.lost, undefined);
});

Deno.test("Sandbox.run() reports an unknown host function as a ReferenceError", async () => {
  await using sb = sandbox();
  const result = await sb.run("typeof read_file");
  assertEquals(result.value, "undefined");
});

Deno.test("SUBMIT() ends the cell and a try/catch cannot swallow it", async () => {
  await using sb = sandbox();
  const result = await sb.run([
    "let after = 'no'",
    "try {",
    "  SUBMIT('the answer', 42)",
    "} catch (e) {",
    "  print('swallowed')",
    "}",
    "after = 'yes'",
    "print('after submit')",
  ].join("\n"));
  assertEquals(result.submitted, ["the answer", 42]);
  assertEquals(result.output, "");
  assertEquals((await sb.run("after")).value, "no");
});

Deno.test("SUBMIT() inside a nested function with catch-all still ends the cell", async () => {
  await using sb = sandbox();
  const result = await sb.run([
    "function finish() { try { SUBMIT({ ok: true }) } catch { return 'swallowed' } }",
    "const r = finish()",
    "print(r)",
  ].join("\n"));
  assertEquals(result.submitted, [{ ok: true }]);
  assertEquals(result.output, "");
});

Deno.test("Sandbox.run() keeps the head and tail of very long output", async () => {
  await using sb = new Sandbox({ maxOutputChars: 1000 });
  const result = await sb.run(
    "for (let i = 0; i < 100000; i++) print('line ' + i)",
  );
  assert(result.output.startsWith("line 0\nline 1\n"));
  assert(result.output.endsWith("line 99999\n"));
  assertStringIncludes(result.output, "characters omitted] ...");
  assert(
    result.output.length < 1200,
    `output of ${result.output.length} chars`,
  );
});

Deno.test("Sandbox.run() reports a rejection nobody awaited without losing the worker", async () => {
  await using sb = sandbox();
  await sb.run("const keep = 5\nPromise.reject(new Error('ignored'))");
  const result = await sb.run(
    "await new Promise((r) => setTimeout(r, 20))\nkeep",
  );
  assertEquals(result.value, "5");
  assertEquals(result.lost, undefined);
});

Deno.test("Sandbox.setGlobals() exposes variables to cells", async () => {
  await using sb = sandbox();
  sb.setGlobals({ task: "do it", history: [{ user: "a", answer: "b" }] });
  const result = await sb.run("`${task} / ${history[0].answer}`");
  assertEquals(result.value, "do it / b");
});

Deno.test("Deno.exit() in a cell is an error and keeps the REPL state", async () => {
  await using sb = sandbox();
  await sb.run("const survivor = 'alive'");
  const result = await sb.run("Deno.exit(3)");
  assertEquals(result.error?.name, "Error");
  assertStringIncludes(result.error!.message, "Deno.exit() is not available");
  assertEquals((await sb.run("survivor")).value, "alive");
});
