/**
 * Search benchmarks (issue 3): `grep_files` and `glob_files` on a generated
 * tree of 20,000 files, through ripgrep and through the built-in back end,
 * against ripgrep run directly for the same answer in the same run.
 *
 * @module
 */

import { join } from "node:path";
import { createToolContext, findRipgrep } from "../src/tools/context.ts";
import { globFilesTool } from "../src/tools/glob_files.ts";
import { grepFilesTool } from "../src/tools/grep_files.ts";
import { type Figure, timeMedian } from "./lib.ts";

const FILES = 20_000;

/** Writes a tree of `FILES` source files (plus ignored ones) under a temp folder. */
async function generateTree(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "nanocode-search-" });
  await Deno.writeTextFile(join(root, ".gitignore"), "build/\n*.log\n");
  const exts = ["ts", "js", "md", "json"];
  let n = 0;
  for (let a = 0; n < FILES; a++) {
    for (let b = 0; b < 20 && n < FILES; b++) {
      const dir = join(root, `pkg${a}`, `mod${b}`);
      await Deno.mkdir(dir, { recursive: true });
      for (let c = 0; c < 10 && n < FILES; c++, n++) {
        const lines = Array.from(
          { length: 30 },
          (_, i) =>
            i === 7 && n % 97 === 0
              ? `export function needle${n}() { return ${n}; }`
              : `const value${i} = ${i * n}; // line ${i}`,
        );
        await Deno.writeTextFile(
          join(dir, `file${c}.${exts[c % exts.length]}`),
          lines.join("\n") + "\n",
        );
      }
    }
  }
  await Deno.mkdir(join(root, "build"), { recursive: true });
  for (let i = 0; i < 500; i++) {
    await Deno.writeTextFile(
      join(root, "build", `out${i}.ts`),
      "needle ignored\n",
    );
  }
  return root;
}

/** The flags that make rg ignore user config and global ignores, as the tool does. */
const RG_PLAIN = ["--no-config", "--no-require-git", "--no-ignore-global"];

async function rgDirect(
  rg: string,
  cwd: string,
  args: string[],
): Promise<number> {
  const out = await new Deno.Command(rg, {
    args,
    cwd,
    stdout: "piped",
    stderr: "null",
  }).output();
  return out.stdout.length;
}

/** Runs the search benchmarks and returns their figures. */
export async function searchBench(): Promise<Figure[]> {
  const rg = findRipgrep();
  if (!rg) {
    console.error("search bench skipped: rg is not installed");
    return [];
  }
  const root = await generateTree();
  try {
    const viaRg = createToolContext({ workspace: root, rgPath: rg });
    const builtin = createToolContext({ workspace: root, rgPath: null });
    const grepArgs = ["needle\\d+", ".", undefined, 50];
    const globArgs = ["**/*.ts"];
    const runs = 7;
    const rgGrep = await timeMedian(
      runs,
      () =>
        rgDirect(rg, root, [
          ...RG_PLAIN,
          "-n",
          "--no-heading",
          "--color=never",
          "needle\\d+",
          ".",
        ]),
    );
    const toolGrepRg = await timeMedian(
      runs,
      () => grepFilesTool.run(grepArgs, viaRg),
    );
    const toolGrepBuiltin = await timeMedian(
      runs,
      () => grepFilesTool.run(grepArgs, builtin),
    );
    // The same answer directly from rg: files matching the glob, newest first.
    const rgGlob = await timeMedian(
      runs,
      () =>
        rgDirect(rg, root, [
          ...RG_PLAIN,
          "--files",
          "--sortr",
          "modified",
          "--iglob",
          "*.ts",
        ]),
    );
    const toolGlobRg = await timeMedian(
      runs,
      () => globFilesTool.run(globArgs, viaRg),
    );
    const toolGlobBuiltin = await timeMedian(
      runs,
      () => globFilesTool.run(globArgs, builtin),
    );
    const base = { baselineName: "", unit: "ms" };
    return [
      {
        ...base,
        name: "grep_files via rg (20k files)",
        value: toolGrepRg,
        baseline: rgGrep,
        baselineName: "rg -n directly",
        limit: 1.2,
      },
      {
        ...base,
        name: "grep_files built-in (20k files)",
        value: toolGrepBuiltin,
        baseline: rgGrep,
        baselineName: "rg -n directly",
        limit: 5,
      },
      {
        ...base,
        name: "glob_files via rg (20k files)",
        value: toolGlobRg,
        baseline: rgGlob,
        baselineName: "rg --files --sortr modified",
        limit: 1.2,
      },
      {
        ...base,
        name: "glob_files built-in (20k files)",
        value: toolGlobBuiltin,
        baseline: rgGlob,
        baselineName: "rg --files --sortr modified",
        limit: 5,
      },
    ];
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
