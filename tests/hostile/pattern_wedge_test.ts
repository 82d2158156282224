/**
 * Patterns the agent itself looks at (not the search child): the shell
 * words of a command checked for secrets, `glob_files` globs, and the
 * permission rules of an untrusted repository. Any of them, however
 * built, is decided in time linear in its size: the agent never stops
 * answering (a watchdog only keeps a broken build from hanging the suite).
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { hostileClone, seenByModel } from "./_repo.ts";
import { observations, runWatched } from "./_watch.ts";

Deno.test("hostile: a command word of forty stars and a letter is checked for secrets at once", async () => {
  // As a regular expression, ^[^/]*[^/]*...Z$ against ".git-credentials"
  // backtracks through every split of its characters.
  await using clone = await hostileClone({}, [
    `print(run_bash('ls ./${"*".repeat(40)}Z'))`,
  ]);
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null, "the agent hung checking the command");
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(seenByModel(clone.mine), "needs approval");
});

Deno.test("hostile: a glob_files pattern of 400,000 braces is answered at once", async () => {
  await using clone = await hostileClone({ "a.txt": "x\n" }, [
    "print(glob_files('{'.repeat(400000)))",
    "print(glob_files('['.repeat(400000)))",
  ]);
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null, "the agent hung reading the glob");
  assertEquals(run.code, 0, run.stderr);
  const [braces, brackets] = observations(clone.mine);
  assertStringIncludes(braces, "no files found");
  assertStringIncludes(brackets, "no files found");
});

Deno.test("hostile: a repository's huge deny rule costs one compile, not one per path a command names", async () => {
  const rule = `read_file(${"*a".repeat(200_000)}b)`;
  const files = Array.from({ length: 2000 }, (_, i) => `f${i}.txt`).join(" ");
  await using clone = await hostileClone(
    {
      ".nanocode/config.json": JSON.stringify({
        permissions: { deny: [rule] },
      }),
    },
    [`print(run_bash('ls ${files}'))`],
  );
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null, "the agent hung on the repository's rule");
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(seenByModel(clone.mine), "needs approval");
});

Deno.test("hostile: a repository's deny rule nesting braces 20,000 deep is one clear start-up error", async () => {
  const deep = `${"{".repeat(20_000)}x${"}".repeat(20_000)}`;
  await using clone = await hostileClone(
    {
      ".nanocode/config.json": JSON.stringify({
        permissions: { deny: [`read_file(${deep})`] },
      }),
      "a.txt": "hello\n",
    },
    ["print(read_file('a.txt'))"],
  );
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null);
  assertEquals(run.code, 2, run.stderr);
  assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
  assertStringIncludes(run.stderr, "nest");
  assertEquals(run.stderr.includes("Maximum call stack"), false);
  assertEquals(clone.mine.requests.length, 0);
});

Deno.test("hostile: 120 KB commands built to make the checks quadratic are decided at once", async () => {
  await using clone = await hostileClone({}, [
    `print(run_bash('find . ' + '-exec '.repeat(20000)))`,
    `print(run_bash('1'.repeat(120000)))`,
    `print(run_bash('./a '.repeat(30000)))`,
  ]);
  const run = await runWatched(["go"], clone.repo, clone.home);
  assert(run !== null, "the agent hung checking a command");
  assertEquals(run.code, 0, run.stderr);
  const seen = observations(clone.mine);
  assertEquals(seen.length, 3);
  for (const text of seen) assertStringIncludes(text, "needs approval");
});

Deno.test("hostile: a command longer than one shell argument, or nesting $( 50,000 deep, is refused with the reason", async () => {
  await using clone = await hostileClone({}, [
    `print(run_bash('echo ' + 'x'.repeat(200000)))`,
    `print(run_bash('$('.repeat(50000)))`,
  ]);
  const run = await runWatched(["--yes", "go"], clone.repo, clone.home);
  assert(run !== null);
  assertEquals(run.code, 0, run.stderr);
  const seen = seenByModel(clone.mine);
  assertStringIncludes(seen, "more than one shell argument holds");
  assertStringIncludes(seen, "write it to a script file");
  assertStringIncludes(seen, "nests substitutions or subshells more than 64");
  assertEquals(seen.includes("Maximum call stack"), false);
});
