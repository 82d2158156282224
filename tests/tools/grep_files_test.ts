import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "./_assert.ts";
import { grepFilesTool } from "../../src/tools/grep_files.ts";
import type { ToolContext } from "../../src/tools/types.ts";
import { RG_PATH, withContext, withWorkspace, writeTree } from "./_helpers.ts";
import { writeSearchTree } from "./_search_tree.ts";

const ALL_TODO = [
  "README.md:2:TODO: write the readme",
  "bom.txt:1:TODO bom",
  "crlf.txt:1:TODO crlf one",
  "crlf.txt:3:TODO crlf two",
  "docs/guide.md:2:TODO: héllo wörld",
  `huge.js:1:${"z".repeat(300)} [... line cut]`,
  `min.js:1:[...] ${"x".repeat(100)}TODO far${"y".repeat(192)} [...]`,
  "min.js:2:var TODO_short = 1;",
  "src/a.ts:1:export const a = 1; // TODO a",
  "src/b.ts:3:  return a; // TODO(b)",
  "src/keep.log:1:TODO kept log",
  "src/rootonly.txt:1:TODO not ignored here",
  "src/sub/c.ts:1:// TODO c1",
  "src/sub/c.ts:3:// TODO c2",
  "src/sub/deeper/d.ts:1:TODO deep",
  "src/sub/important.log:1:TODO important",
  "utf16.txt:1:TODO wide",
  "weird name [1].ts:1:TODO weird",
];

const BACKENDS: { name: string; rgPath: string | null; ignore: boolean }[] = [
  { name: "builtin", rgPath: null, ignore: false },
  { name: "ripgrep", rgPath: RG_PATH, ignore: RG_PATH === null },
];

const grep = (context: ToolContext, ...args: unknown[]) =>
  grepFilesTool.run(args, context);

for (const backend of BACKENDS) {
  const opts = { rgPath: backend.rgPath };
  const when = `when the back end is ${backend.name}`;

  Deno.test({
    name: `grep_files() prints file:line:text ordered by path and line ${when}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeSearchTree(ws);
        assertEquals(await grep(context, "TODO"), ALL_TODO.join("\n"));
      }, opts),
  });

  Deno.test({
    name: `grep_files() filters by path and glob ${when}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeSearchTree(ws);
        assertEquals(
          await grep(context, "TODO", "src", "*.ts"),
          "src/a.ts:1:export const a = 1; // TODO a\nsrc/b.ts:3:  return a; // TODO(b)\nsrc/sub/c.ts:1:// TODO c1\nsrc/sub/c.ts:3:// TODO c2\nsrc/sub/deeper/d.ts:1:TODO deep",
        );
        assertEquals(
          await grep(context, { pattern: "TODO", glob: "src/sub/*" }),
          "src/sub/c.ts:1:// TODO c1\nsrc/sub/c.ts:3:// TODO c2\nsrc/sub/important.log:1:TODO important",
        );
        assertEquals(
          await grep(context, "TODO", "src/b.ts"),
          "src/b.ts:3:  return a; // TODO(b)",
        );
      }, opts),
  });

  Deno.test({
    name: `grep_files() caps results in total across files with a note ${when}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeSearchTree(ws);
        assertEquals(
          await grep(context, "TODO", undefined, undefined, 3),
          [
            ...ALL_TODO.slice(0, 3),
            "... (15 more matches not shown, 18 in all; narrow the search with a more specific pattern, path or glob, or raise max_results)",
          ].join("\n"),
        );
      }, opts),
  });

  Deno.test({
    name:
      `grep_files() keeps the first results in path order when many files match ${when}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        const files: Record<string, string> = {};
        for (let i = 0; i < 300; i++) {
          files[`d${i % 7}/f${i}.txt`] = "hit\nhit\n";
        }
        await writeTree(ws, files);
        const out = (await grep(context, "hit")).split("\n");
        const expected = Object.keys(files).sort().flatMap((
          f,
        ) => [`${f}:1:hit`, `${f}:2:hit`]);
        assertEquals(out.slice(0, 50), expected.slice(0, 50));
        assertEquals(
          out[50],
          "... (550 more matches not shown, 600 in all; narrow the search with a more specific pattern, path or glob, or raise max_results)",
        );
      }, opts),
  });

  Deno.test({
    name: `grep_files() skips binary files and says no matches found ${when}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeSearchTree(ws);
        assertEquals(
          await grep(context, "TODO", "img.png"),
          "no matches found",
        );
        assertEquals(
          await grep(context, "TODO before the NUL"),
          "no matches found",
        );
        assertEquals(
          await grep(context, "no such text anywhere"),
          "no matches found",
        );
      }, opts),
  });

  Deno.test({
    name: `grep_files() anchors $ before a CRLF line ending ${when}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeSearchTree(ws);
        assertEquals(
          await grep(context, "crlf two$"),
          "crlf.txt:3:TODO crlf two",
        );
      }, opts),
  });

  Deno.test({
    name: `grep_files() throws a clear error when the regex is invalid ${when}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeTree(ws, { "a.txt": "x\n" });
        const error = await assertRejects(() => grep(context, "foo("), Error);
        assertStringIncludes(error.message, 'Invalid regex "foo(": ');
      }, opts),
  });
}

Deno.test("grep_files() throws TypeError when max_results is not a positive whole number", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => grep(context, "x", ".", "*", 0),
      TypeError,
      "grep_files(pattern, path?, glob?, max_results?): max_results must be 1 or more",
    );
  });
});

Deno.test("grep_files() throws when the path does not exist", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => grep(context, "x", "missing"),
      Error,
      'Cannot search "missing": no such file or folder',
    );
  });
});

Deno.test({
  name:
    "grep_files() gives the same results with ripgrep and the built-in search",
  ignore: RG_PATH === null,
  fn: () =>
    withWorkspace(async (ws, builtin) => {
      await writeSearchTree(ws);
      const rg = withContext(builtin, { rgPath: RG_PATH });
      const cases: unknown[][] = [
        ["TODO"],
        ["todo"],
        ["(?i)todo"],
        ["TODO\\(b\\)"],
        ["^TODO"],
        ["crlf (one|two)$"],
        ["wörld"],
        ["h.llo"],
        ["\\d"],
        [""],
        ["TODO", "src"],
        ["TODO", "docs/private"],
        ["TODO", ".config"],
        ["TODO", ".", "*.{md,txt}"],
        ["TODO", ".", "!*.ts"],
        ["TODO", "src", "sub/**"],
        ["TODO", ".", "*.log"],
        ["TODO", ".", "*.{log,json}"],
        ["TODO", "src", "**/*.log"],
        ["TODO", ".", ".hidden.ts"],
        ["TODO", ".", "generated.ts"],
        ["TODO", ".", undefined, 1],
        ["TODO", ".", undefined, 7],
        ["far"],
        ["beyond"],
        ["[xy]{3}"],
      ];
      for (const args of cases) {
        const label = `grep_files(${JSON.stringify(args).slice(1, -1)})`;
        assertEquals(
          await grepFilesTool.run(args, rg),
          await grepFilesTool.run(args, builtin),
          label,
        );
      }
      for (const pattern of ["a[", "(x", "*x"]) {
        await assertRejects(() => grepFilesTool.run([pattern], rg), Error);
        await assertRejects(() => grepFilesTool.run([pattern], builtin), Error);
      }
      assert(true);
    }),
});

Deno.test({
  name:
    "grep_files() agrees across back ends on POSIX classes, line breaks and leading dashes",
  ignore: RG_PATH === null,
  fn: () =>
    withWorkspace(async (ws, builtin) => {
      await writeTree(ws, { "a.txt": "--flag here\nfoo1\n[:alpha:]\n" });
      const rg = withContext(builtin, { rgPath: RG_PATH });
      for (
        const pattern of [
          "--flag",
          "[[:alpha:]]+ here",
          "[[:alpha:][:digit:]]{4}",
          "foo\\d",
        ]
      ) {
        assertEquals(
          await grep(rg, pattern),
          await grep(builtin, pattern),
          pattern,
        );
      }
      await assertRejects(() => grep(rg, "foo\nbar"), Error);
      await assertRejects(() => grep(builtin, "foo\nbar"), Error);
    }),
});
