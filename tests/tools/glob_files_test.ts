import { join } from "node:path";
import { assertEquals, assertRejects } from "./_assert.ts";
import { globFilesTool, MAX_GLOB_FILES } from "../../src/tools/glob_files.ts";
import type { ToolContext } from "../../src/tools/types.ts";
import {
  RG_PATH,
  setMtime,
  withContext,
  withWorkspace,
  writeTree,
} from "./_helpers.ts";
import { writeSearchTree } from "./_search_tree.ts";

const ALL_FILES = [
  "src/b.ts",
  "README.md",
  "src/sub/c.ts",
  "docs/guide.md",
  "bom.txt",
  "crlf.txt",
  "huge.js",
  "img.png",
  "late.bin",
  "min.js",
  "src/a.ts",
  "src/keep.log",
  "src/rootonly.txt",
  "src/sub/deeper/d.ts",
  "src/sub/important.log",
  "utf16.txt",
  "weird name [1].ts",
].join("\n");

const BACKENDS: { name: string; rgPath: string | null; ignore: boolean }[] = [
  { name: "builtin", rgPath: null, ignore: false },
  { name: "ripgrep", rgPath: RG_PATH, ignore: RG_PATH === null },
];

const glob = (context: ToolContext, ...args: unknown[]) =>
  globFilesTool.run(args, context);

for (const backend of BACKENDS) {
  const opts = { rgPath: backend.rgPath };

  Deno.test({
    name:
      `glob_files() lists files newest first with ignores applied when the back end is ${backend.name}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeSearchTree(ws);
        assertEquals(await glob(context, "*"), ALL_FILES);
        assertEquals(await glob(context, "**"), ALL_FILES);
      }, opts),
  });

  Deno.test({
    name:
      `glob_files() matches names at any depth and anchors patterns with a slash when the back end is ${backend.name}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeSearchTree(ws);
        assertEquals(
          await glob(context, "*.ts"),
          "src/b.ts\nsrc/sub/c.ts\nsrc/a.ts\nsrc/sub/deeper/d.ts\nweird name [1].ts",
        );
        assertEquals(await glob(context, "src/*.ts"), "src/b.ts\nsrc/a.ts");
        assertEquals(
          await glob(context, "src/**/*.ts"),
          "src/b.ts\nsrc/sub/c.ts\nsrc/a.ts\nsrc/sub/deeper/d.ts",
        );
        assertEquals(
          await glob(context, "*.ts", "src/sub"),
          "src/sub/c.ts\nsrc/sub/deeper/d.ts",
        );
        assertEquals(
          await glob(context, "deeper/*", "src/sub"),
          "src/sub/deeper/d.ts",
        );
        assertEquals(
          await glob(context, "*.{md,log}"),
          "README.md\ndocs/guide.md\nsrc/keep.log\nsrc/sub/important.log",
        );
        assertEquals(
          await glob(context, "weird name \\[1\\].ts"),
          "weird name [1].ts",
        );
      }, opts),
  });

  Deno.test({
    name:
      `glob_files() lists inside a hidden or ignored folder when it is the path when the back end is ${backend.name}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeSearchTree(ws);
        assertEquals(
          await glob(context, "*", ".config"),
          ".config/settings.json",
        );
        assertEquals(
          await glob(context, "*", "docs/private"),
          "docs/private/p.md",
        );
        assertEquals(await glob(context, "*", "src/a.ts"), "src/a.ts");
      }, opts),
  });

  Deno.test({
    name:
      `glob_files() says no files found when nothing matches when the back end is ${backend.name}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeSearchTree(ws);
        assertEquals(await glob(context, "*.rs"), "no files found");
        assertEquals(
          await glob(context, "*.js", "node_modules"),
          "node_modules/pkg/index.js",
        );
      }, opts),
  });

  Deno.test({
    name:
      `glob_files() caps the list with a note when there are many files when the back end is ${backend.name}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        const files: Record<string, string> = {};
        for (let i = 0; i < MAX_GLOB_FILES + 5; i++) {
          files[`f/${String(i).padStart(4, "0")}.txt`] = "";
        }
        await writeTree(ws, files);
        for (const name of Object.keys(files)) {
          await setMtime(join(ws, name), 1000);
        }
        const lines = (await glob(context, "*.txt")).split("\n");
        assertEquals(lines.length, MAX_GLOB_FILES + 1);
        assertEquals(lines[0], "f/0000.txt");
        assertEquals(
          lines[MAX_GLOB_FILES],
          `... (5 more files not shown, ${
            MAX_GLOB_FILES + 5
          } in all; narrow the pattern or path)`,
        );
      }, opts),
  });

  Deno.test({
    name:
      `glob_files() respects .gitignore outside a git repository when the back end is ${backend.name}`,
    ignore: backend.ignore,
    fn: () =>
      withWorkspace(async (ws, context) => {
        await writeTree(ws, {
          ".gitignore": "*.tmp\n",
          "a.tmp": "",
          "a.txt": "",
          "sub/.ignore": "!b.tmp\n",
          "sub/b.tmp": "",
        });
        await setMtime(join(ws, "a.txt"), 10);
        await setMtime(join(ws, "sub/b.tmp"), 10);
        assertEquals(await glob(context, "*"), "a.txt\nsub/b.tmp");
      }, opts),
  });
}

Deno.test("glob_files() throws when the path does not exist", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => glob(context, "*", "nope"),
      Error,
      'Cannot search "nope": no such file or folder',
    );
  });
});

Deno.test({
  name: "glob_files() gives the same list with ripgrep and the built-in walk",
  ignore: RG_PATH === null,
  fn: () =>
    withWorkspace(async (ws, builtin) => {
      await writeSearchTree(ws);
      const rg = withContext(builtin, { rgPath: RG_PATH });
      const cases: [string, string?][] = [
        ["*"],
        ["*.ts"],
        ["**/*.log"],
        ["src/**"],
        ["src/"],
        ["!*.ts"],
        ["*.md", "docs"],
        ["sub/*.ts", "src"],
        ["src/sub/*", "src"],
        ["?ug?.js"],
        ["[a-c]*"],
        ["*", ".git"],
        ["*", "src/sub/generated.ts"],
        ["*", "srclink"],
        // Name globs ripgrep gets as a file type: ignored and hidden files
        // must stay out, negated ignore rules must stay in.
        ["*.log"],
        ["*.{log,ts}"],
        ["keep.log"],
        [".hidden.ts"],
        ["*.json"],
        ["src/**/*.log"],
        ["generated.ts"],
        ["*.ts", "node_modules"],
      ];
      for (const [pattern, path] of cases) {
        const args = path === undefined ? [pattern] : [pattern, path];
        assertEquals(
          await globFilesTool.run(args, rg),
          await globFilesTool.run(args, builtin),
          `glob_files(${JSON.stringify(args).slice(1, -1)})`,
        );
      }
    }),
});
