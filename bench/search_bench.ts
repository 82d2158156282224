/**
 * Search and read benchmarks (issues 3 and 15): `grep_files` and
 * `glob_files` on a generated tree of 100,000 files, through ripgrep and
 * through the built-in back end, against ripgrep run directly for the same
 * answer in the same run; and `read_file` of the first lines of a 50 MB
 * file against `wc -l` of it.
 *
 * @module
 */

import { join } from "node:path";
import { createToolContext, findRipgrep } from "../src/tools/context.ts";
import { globFilesTool } from "../src/tools/glob_files.ts";
import { grepFilesTool } from "../src/tools/grep_files.ts";
import { readFileTool } from "../src/tools/read_file.ts";
import { ripgrepNameArgs } from "../src/tools/search/name_glob.ts";
import { type Figure, timePair } from "./lib.ts";

const FILES = 100_000;
const BIG_FILE_BYTES = 50_000_000;

/** Writes a tree of `FILES` source files (plus ignored ones) under a temp folder. */
function generateTree(root: string): void {
  Deno.writeTextFileSync(join(root, ".gitignore"), "build/\n*.log\n");
  const exts = ["ts", "js", "md", "json"];
  let n = 0;
  for (let a = 0; n < FILES; a++) {
    for (let b = 0; b < 20 && n < FILES; b++) {
      const dir = join(root, `pkg${a}`, `mod${b}`);
      Deno.mkdirSync(dir, { recursive: true });
      for (let c = 0; c < 10 && n < FILES; c++, n++) {
        const lines = Array.from(
          { length: 30 },
          (_, i) =>
            i === 7 && n % 97 === 0
              ? `export function needle${n}() { return ${n}; }`
              : `const value${i} = ${i * n}; // line ${i}`,
        );
        Deno.writeTextFileSync(
          join(dir, `file${c}.${exts[c % exts.length]}`),
          lines.join("\n") + "\n",
        );
      }
    }
  }
  Deno.mkdirSync(join(root, "build"), { recursive: true });
  for (let i = 0; i < 500; i++) {
    Deno.writeTextFileSync(
      join(root, "build", `out${i}.ts`),
      "needle ignored\n",
    );
  }
}

/** Writes a 50 MB text file of 80-character lines. */
function generateBigFile(path: string): void {
  const line = `${"log entry ".repeat(7)}ok\n`.padStart(80, "-");
  const chunk = line.repeat(12_500); // 1 MB
  const file = Deno.openSync(path, { write: true, create: true });
  const bytes = new TextEncoder().encode(chunk);
  for (let written = 0; written < BIG_FILE_BYTES; written += bytes.length) {
    file.writeSync(bytes);
  }
  file.close();
}

/** The flags that make rg ignore user config and global ignores, as the tool does. */
const RG_PLAIN = ["--no-config", "--no-require-git", "--no-ignore-global"];

async function run(cmd: string, cwd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

/** `rg --files -g GLOB`, then the files sorted newest first: what glob_files answers. */
async function rgFilesByDate(
  rg: string,
  root: string,
  glob: string,
): Promise<number> {
  const listed = (await run(rg, root, [...RG_PLAIN, "--files", "-g", glob]))
    .split("\n").filter((p) => p !== "");
  const dated = listed.map((path) => ({
    path,
    mtime: Deno.statSync(join(root, path)).mtime?.getTime() ?? 0,
  }));
  dated.sort((a, b) => b.mtime - a.mtime || (a.path < b.path ? -1 : 1));
  return dated.length;
}

/** Runs the search benchmarks and returns their figures. */
export async function searchBench(): Promise<Figure[]> {
  const rg = findRipgrep();
  if (!rg) {
    console.error("search bench skipped: rg is not installed");
    return [];
  }
  const root = await Deno.makeTempDir({ prefix: "nanocode-search-" });
  const bigDir = await Deno.makeTempDir({ prefix: "nanocode-read-" });
  try {
    console.error(`  writing ${FILES} files ...`);
    generateTree(root);
    generateBigFile(join(bigDir, "big.log"));
    const viaRg = createToolContext({ workspace: root, rgPath: rg });
    const builtin = createToolContext({ workspace: root, rgPath: null });
    const reading = createToolContext({ workspace: bigDir, rgPath: null });
    const pattern = "needle\\d+";
    const runs = 11;
    const rgGrepArgs = [...RG_PLAIN, "-n", "--no-heading", "--color=never"];
    const grep = await timePair(
      runs,
      () => grepFilesTool.run([pattern, ".", undefined, 50], viaRg),
      () => run(rg, root, [...rgGrepArgs, pattern, "."]),
    );
    // The same answer from rg directly: the glob's name part as a file
    // type (rg -g would also list files .gitignore excludes), hidden files out.
    const sameAnswer = [
      ...rgGrepArgs,
      ...ripgrepNameArgs("*.ts"),
      pattern,
      ".",
    ];
    const grepGlob = await timePair(
      runs,
      () => grepFilesTool.run([pattern, ".", "*.ts", 50], viaRg),
      () => run(rg, root, sameAnswer),
    );
    const typeVsOverride = await timePair(
      runs,
      () => run(rg, root, sameAnswer),
      () => run(rg, root, [...rgGrepArgs, "-g", "*.ts", pattern, "."]),
    );
    const grepBuiltin = await timePair(
      3,
      () => grepFilesTool.run([pattern, ".", undefined, 50], builtin),
      () => run(rg, root, [...rgGrepArgs, pattern, "."]),
    );
    const glob = await timePair(
      runs,
      () => globFilesTool.run(["**/*.ts"], viaRg),
      () => rgFilesByDate(rg, root, "*.ts"),
    );
    const globBuiltin = await timePair(
      3,
      () => globFilesTool.run(["**/*.ts"], builtin),
      () => rgFilesByDate(rg, root, "*.ts"),
    );
    const head = await timePair(
      runs,
      () => readFileTool.run(["big.log", 0, 100], reading),
      () => run("wc", bigDir, ["-l", "big.log"]),
    );
    const base = { unit: "ms" };
    const k = `${FILES / 1000}k files`;
    return [
      {
        ...base,
        name: `grep_files via rg (${k})`,
        ...grep,
        baselineName: "rg -n directly",
        limit: 1.2,
      },
      {
        ...base,
        name: `grep_files via rg, glob *.ts (${k})`,
        ...grepGlob,
        baselineName: "rg -n directly, same answer (*.ts as a file type)",
        limit: 1.2,
      },
      {
        ...base,
        name: `rg: *.ts as a file type vs -g '*.ts' (${k})`,
        ...typeVsOverride,
        baselineName: "rg -n -g '*.ts' (lifts .gitignore for *.ts files)",
        limit: 1.5,
      },
      {
        ...base,
        name: `grep_files built-in (${k})`,
        ...grepBuiltin,
        baselineName: "rg -n directly",
        limit: 5,
      },
      {
        ...base,
        name: `glob_files **/*.ts via rg (${k})`,
        ...glob,
        baselineName: "rg --files -g '*.ts', then sorted by date",
        limit: 1.5,
      },
      {
        ...base,
        name: `glob_files **/*.ts built-in (${k})`,
        ...globBuiltin,
        baselineName: "rg --files -g '*.ts', then sorted by date",
        limit: 5,
      },
      {
        ...base,
        name: "read_file first 100 lines of a 50 MB file",
        ...head,
        baselineName: "wc -l of the file",
        limit: 2,
      },
    ];
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(bigDir, { recursive: true });
  }
}
