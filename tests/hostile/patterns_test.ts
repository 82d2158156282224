/** Hostile patterns: globs and regular expressions built to backtrack forever, and Ctrl-C in the middle. */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { baseEnv, lmEnv, MAIN } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { childProcesses, processAlive } from "../helpers/procs.ts";
import { tempDir } from "../helpers/temp.ts";
import { hostile } from "./_harness.ts";

/** A glob whose backtracking translation runs for hours on a long name. */
const EVIL_GLOB = "*a".repeat(25) + "b";
/** A regular expression that backtracks for hours on `LONG_A + "!"`. */
const EVIL_REGEX = "^(a+)+$";
const LONG_A = "a".repeat(60);

Deno.test("hostile: a catastrophic glob from the model, or in a cloned repository's .gitignore, is answered at once", async () => {
  await using h = await hostile({
    files: {
      ".gitignore":
        `${EVIL_GLOB}\n{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}{a,a}c\n`,
      [`${LONG_A}.txt`]: "needle\n",
      [`${LONG_A}b`]: "needle\n",
      "src/keep.ts": "needle\n",
    },
  });
  const [globbed, grepped] = await h.turn(
    `print(glob_files(${
      JSON.stringify(EVIL_GLOB)
    }))\nprint(glob_files('**/*.txt'))`,
    `print(grep_files('needle', '.', ${
      JSON.stringify(EVIL_GLOB)
    }))\nprint(grep_files('needle', '.', '**/*.ts'))`,
  );
  // The file matching the evil glob is ignored by the .gitignore line itself.
  assertEquals(globbed, `no files found\n${LONG_A}.txt`);
  assertEquals(grepped, "no matches found\nsrc/keep.ts:1:needle");
});

Deno.test("hostile: Ctrl-C during a catastrophic glob and regex search (no ripgrep) stops the turn with exit 130 and leaves no search process", async () => {
  await using dir = await tempDir({
    [`${LONG_A}!.txt`]: `${LONG_A}!\n`,
    "notes.md": `${LONG_A}!\n`,
  });
  // A PATH without rg: the built-in search runs.
  await using bin = await tempDir();
  for (const tool of ["git", "bash", "sh"]) {
    for (const folder of ["/usr/bin", "/bin"]) {
      try {
        await Deno.symlink(`${folder}/${tool}`, bin.file(tool));
        break;
      } catch { /* try the next folder */ }
    }
  }
  await using server = await startLmServer(routeByModel([
    cell(
      `print(glob_files(${JSON.stringify(EVIL_GLOB)}))\nprint(grep_files(${
        JSON.stringify(EVIL_REGEX)
      }))`,
    ),
  ]));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "search"],
    cwd: dir.path,
    clearEnv: true,
    env: { ...baseEnv(dir.path), ...lmEnv(server.url), PATH: bin.path },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  while (requestsOf(server.requests, MAIN_MODEL).length < 1) {
    await new Promise((r) => setTimeout(r, 20));
  }
  // Wait until the regex search runs in its child process, then Ctrl-C.
  let searcher: number | undefined;
  while (searcher === undefined) {
    searcher = childProcesses(child.pid, "--allow-read")[0];
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill("SIGINT");
  const watchdog = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const out = await output;
  clearTimeout(watchdog);
  assertEquals(out.code, 130, "the agent stopped on Ctrl-C");
  assertStringIncludes(new TextDecoder().decode(out.stderr), "Interrupted");
  assert(!processAlive(searcher), "the search process is gone");
});
