import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { transformCell } from "../../src/sandbox/transform.ts";

async function code(source: string): Promise<string> {
  const result = await transformCell(source);
  if (!result.ok) {
    throw new Error(`unexpected syntax error: ${result.error.message}`);
  }
  return result.code;
}

Deno.test("transformCell() keeps every line where it was", async () => {
  const source = [
    "const a = 1,",
    "  b = 2;",
    "function f() {",
    "  try { g() } catch { }",
    "}",
    "class K {}",
    "let { x, y: [z] } = { x: 1, y: [2] }",
    "a + b",
  ].join("\n");
  const out = await code(source);
  assertEquals(out.split("\n").length, source.split("\n").length);
  assertStringIncludes(out.split("\n")[7], "return (a + b)");
});

Deno.test("transformCell() turns top-level declarations into global assignments", async () => {
  const out = await code("const a = 1, { b, c: [d] } = obj\nlet e\nvar f");
  assertStringIncludes(out, '__nc.decl(["a","b","d","e","f"])');
  assertStringIncludes(out, ";( a = 1, { b, c: [d] } = obj)");
  assertStringIncludes(out, ";( e = undefined)");
  assert(!/\bconst\b|\blet\b|\bvar\b/.test(out));
});

Deno.test("transformCell() publishes hoisted functions and classes", async () => {
  const out = await code("f()\nfunction f() { return 1 }\nclass A {}");
  assert(out.startsWith('__nc.decl(["A"]);__nc.def("f", f);'));
  assertStringIncludes(out, ";A = class A {};");
});

Deno.test("transformCell() guards every catch clause against swallowing SUBMIT", async () => {
  const out = await code(
    "try { a() } catch (e) { b() }\ntry { a() } catch { b() }\n" +
      "try { a() } catch ({ message }) { b(message) }\n" +
      "const h = () => { try { a() } catch (err) {} }",
  );
  assertStringIncludes(out, "catch (e) {__nc.guard(e);");
  assertStringIncludes(out, "catch (__nc_e) {__nc.guard(__nc_e);");
  assertStringIncludes(out, "let { message } = __nc_e;");
  assertStringIncludes(out, "catch (err) {__nc.guard(err);");
});

Deno.test("transformCell() rewrites static imports to permission-checked dynamic imports", async () => {
  const out = await code(
    'import fs, { a as b } from "node:fs"\nimport * as ns from "x"\nimport "y"',
  );
  assertStringIncludes(
    out,
    ';({default: fs, "a": b} = await import("node:fs"));',
  );
  assertStringIncludes(out, ';(ns = await import("x"));');
  assertStringIncludes(out, ';await import("y");');
});

Deno.test("transformCell() strips TypeScript annotations only when the text is not JavaScript", async () => {
  const ts = await code(
    "interface P { x: number }\nconst p: P = { x: 1 } as P\nfunction id<T>(v: T): T { return v }\nid(p).x",
  );
  assert(!ts.includes("interface"));
  assertStringIncludes(ts, "return (id(p).x)");
  assertEquals(ts.split("\n").length, 4);
  // Syntax that needs code generated still runs.
  const generated = await code(
    "enum Color { Red, Green }\nclass P { constructor(public x: number) {} }\nColor.Green + new P(2).x",
  );
  assertStringIncludes(generated, "Color");
  assert(!generated.includes("public"));
  // Plain JavaScript that TypeScript would read differently is left alone.
  assertStringIncludes(await code("a < b > c"), "return (a < b > c)");
});

Deno.test("transformCell() reports a syntax error with its line in the cell", async () => {
  const result = await transformCell("const a = 1\nconst b = ;\n");
  assert(!result.ok);
  assertEquals(result.error.name, "SyntaxError");
  assertEquals(result.error.line, 2);
  assertEquals(result.error.message, "Unexpected token");
});

Deno.test("transformCell() does not return a directive or a declaration", async () => {
  assert(!(await code('"use strict"')).includes("return"));
  assertStringIncludes(
    await code("'just a string'"),
    "return ('just a string')",
  );
  assert(!(await code("const a = 1")).includes("return"));
  assertStringIncludes(await code("await f()"), "return (await f())");
});
