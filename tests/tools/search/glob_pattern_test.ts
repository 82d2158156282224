import { assertEquals } from "../_assert.ts";
import {
  createGlobFilter,
  globToRegExpSource,
} from "../../../src/tools/search/glob_pattern.ts";

const matches = (glob: string, path: string) =>
  new RegExp(`^${globToRegExpSource(glob)}$`).test(path);

Deno.test("globToRegExpSource() keeps * and ? inside one path segment", () => {
  assertEquals(matches("*.ts", "a.ts"), true);
  assertEquals(matches("*.ts", "src/a.ts"), false);
  assertEquals(matches("a?c", "abc"), true);
  assertEquals(matches("a?c", "a/c"), false);
});

Deno.test("globToRegExpSource() lets ** span folders when it is a whole segment", () => {
  assertEquals(matches("**/a.ts", "a.ts"), true);
  assertEquals(matches("**/a.ts", "x/y/a.ts"), true);
  assertEquals(matches("src/**/a.ts", "src/a.ts"), true);
  assertEquals(matches("src/**/a.ts", "src/x/y/a.ts"), true);
  assertEquals(matches("src/**", "src/x/y"), true);
  assertEquals(matches("a**b", "a/b"), false);
  assertEquals(matches("a**b", "axxb"), true);
});

Deno.test("globToRegExpSource() supports classes, braces and escapes", () => {
  assertEquals(matches("[a-c]x", "bx"), true);
  assertEquals(matches("[!a-c]x", "bx"), false);
  assertEquals(matches("[!a-c]x", "dx"), true);
  assertEquals(matches("*.{ts,tsx}", "a.tsx"), true);
  assertEquals(matches("*.{ts,tsx}", "a.js"), false);
  assertEquals(matches("\\*.ts", "*.ts"), true);
  assertEquals(matches("\\*.ts", "a.ts"), false);
  assertEquals(matches("a[b", "a[b"), true);
  assertEquals(matches("{a", "{a"), true);
  assertEquals(matches("a+(b).ts", "a+(b).ts"), true);
});

Deno.test("createGlobFilter() matches names at any depth when the pattern has no slash", () => {
  const f = createGlobFilter("*.ts");
  assertEquals(f("a.ts", "a.ts"), true);
  assertEquals(f("deep/er/a.ts", "deep/er/a.ts"), true);
  assertEquals(f("a.js", "a.js"), false);
});

Deno.test("createGlobFilter() anchors patterns with a slash to the search folder or workspace", () => {
  const f = createGlobFilter("sub/*.ts");
  assertEquals(f("sub/a.ts", "src/sub/a.ts"), true);
  assertEquals(f("x/sub/a.ts", "src/x/sub/a.ts"), false);
  const g = createGlobFilter("src/sub/*.ts");
  assertEquals(g("sub/a.ts", "src/sub/a.ts"), true);
  assertEquals(createGlobFilter("/a.ts")("a.ts", "a.ts"), true);
  assertEquals(createGlobFilter("./a.ts")("a.ts", "a.ts"), true);
});

Deno.test("createGlobFilter() treats a trailing slash as everything below and ! as not", () => {
  assertEquals(createGlobFilter("src/")("src/a/b.ts", "src/a/b.ts"), true);
  assertEquals(createGlobFilter("src/")("lib/a.ts", "lib/a.ts"), false);
  assertEquals(createGlobFilter("!*.ts")("a.ts", "a.ts"), false);
  assertEquals(createGlobFilter("!*.ts")("a.md", "a.md"), true);
});
