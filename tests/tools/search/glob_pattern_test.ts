import { assertEquals } from "../_assert.ts";
import { assertThrows } from "../../helpers/assert.ts";
import {
  compileGlob,
  createGlobFilter,
  globToRegExpSource,
} from "../../../src/tools/search/glob_pattern.ts";

const matches = (glob: string, path: string) => compileGlob(glob).test(path);

Deno.test("compileGlob() keeps * and ? inside one path segment", () => {
  assertEquals(matches("*.ts", "a.ts"), true);
  assertEquals(matches("*.ts", "src/a.ts"), false);
  assertEquals(matches("a?c", "abc"), true);
  assertEquals(matches("a?c", "a/c"), false);
});

Deno.test("compileGlob() lets ** span folders when it is a whole segment", () => {
  assertEquals(matches("**/a.ts", "a.ts"), true);
  assertEquals(matches("**/a.ts", "x/y/a.ts"), true);
  assertEquals(matches("src/**/a.ts", "src/a.ts"), true);
  assertEquals(matches("src/**/a.ts", "src/x/y/a.ts"), true);
  assertEquals(matches("src/**", "src/x/y"), true);
  assertEquals(matches("a**b", "a/b"), false);
  assertEquals(matches("a**b", "axxb"), true);
});

Deno.test("compileGlob() supports classes, braces and escapes", () => {
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

Deno.test("compileGlob() agrees with the regular expression translation on many globs and paths", () => {
  const globs = [
    "*.ts",
    "a?c",
    "**/a.ts",
    "src/**/a.ts",
    "src/**",
    "a**b",
    "[a-c]x",
    "[!a-c]x",
    "*.{ts,tsx}",
    "\\*.ts",
    "a[b",
    "{a",
    "a+(b).ts",
    "{a,b{c,d}}e",
    "{,x}y",
    "*/*",
    "**/*.{js,mjs}",
    "a/**/b/**/c",
    "[]a]",
    "[!]]*",
    "x{a,b,}",
    "**",
    "*",
    "?",
    "{a,b}/**/*.md",
    "a\\",
    "*a*b*a*",
    "[a-]x",
    "[\\]]",
  ];
  const paths = [
    "",
    "a.ts",
    "src/a.ts",
    "x/y/a.ts",
    "abc",
    "a/c",
    "axxb",
    "a/b",
    "bx",
    "dx",
    "a.tsx",
    "a.js",
    "*.ts",
    "a[b",
    "{a",
    "a+(b).ts",
    "ace",
    "ade",
    "be",
    "y",
    "xy",
    "m/n",
    "a/b/c",
    "a/x/b/y/c",
    "lib/a.mjs",
    "]a",
    "]zz",
    "x",
    "xa",
    "xb",
    "b/q/r.md",
    "a\\",
    "aba",
    "abba",
    "-x",
    "]",
    "a.ts\n",
  ];
  for (const glob of globs) {
    const regex = new RegExp(`^${globToRegExpSource(glob)}$`);
    const matcher = compileGlob(glob);
    for (const path of paths) {
      assertEquals(
        matcher.test(path),
        regex.test(path),
        `${JSON.stringify(glob)} on ${JSON.stringify(path)}`,
      );
    }
  }
});

Deno.test("compileGlob() answers catastrophic globs at once (no backtracking)", () => {
  // Each of these makes a backtracking regular expression run for hours.
  const cases: [string, string, string][] = [
    ["*a".repeat(30) + "b", "a".repeat(200), "a".repeat(199) + "b"],
    ["{a,a}".repeat(40) + "b", "a".repeat(40), "a".repeat(40) + "b"],
    ["**/".repeat(30) + "x", "a/".repeat(200) + "y", "a/".repeat(200) + "x"],
    ["?*".repeat(30) + "z", "q".repeat(500), "q".repeat(499) + "z"],
  ];
  for (const [glob, miss, hit] of cases) {
    const matcher = compileGlob(glob);
    assertEquals(matcher.test(miss), false, glob);
    assertEquals(matcher.test(hit), true, glob);
  }
});

Deno.test("compileGlob() refuses an invalid class or an unclosed group like the regex would", () => {
  assertThrows(() => compileGlob("[z-a]"), SyntaxError);
  assertThrows(() => compileGlob("{a,[}]"), SyntaxError);
});
