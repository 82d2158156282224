/**
 * A cloned repository's ignore files (`.gitignore`, `.ignore`) are read by
 * the search: as symlinks to `/dev/zero`, as FIFOs, or by the million,
 * they never hang the agent, fill its memory or ripgrep's.
 */
// (When ripgrep is missing, its case is ignored and reported as such.)

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { RG_PATH } from "../tools/_helpers.ts";
import { hostileClone } from "./_repo.ts";
import { observations, pathWithoutRg, runWatched } from "./_watch.ts";

Deno.test("hostile: a cloned repository's .gitignore that is a FIFO, or .ignore leading to /dev/zero, does not hang the built-in search", async () => {
  await using clone = await hostileClone({ "a.txt": "needle\n" }, [
    "print(glob_files('*.txt'))",
  ]);
  const made = await new Deno.Command("mkfifo", {
    args: [`${clone.repo}/.gitignore`],
  }).output();
  assert(made.success, "mkfifo works");
  await Deno.symlink("/dev/zero", `${clone.repo}/.ignore`);
  await Deno.mkdir(`${clone.root.path}/bin`);
  const run = await runWatched(["go"], clone.repo, clone.home, {
    PATH: await pathWithoutRg(`${clone.root.path}/bin`),
    NANOCODE_CELL_TIMEOUT: "600",
  });
  assert(run !== null, "the search hung reading the FIFO");
  assertEquals(run.code, 0, run.stderr);
  assertEquals(observations(clone.mine)[0].split("\n")[0], "a.txt");
});

Deno.test("hostile: a cloned repository whose ignore files hold millions of rules does not exhaust the built-in search's memory", async () => {
  const files: Record<string, string> = { "a.txt": "needle\n" };
  for (let folder = 0; folder < 30; folder++) {
    const rules = Array.from(
      { length: 60_000 },
      (_, i) => `x${folder}_${i}`,
    );
    files[`f${folder}/.gitignore`] = `${rules.join("\n")}\n`;
    files[`f${folder}/kept.txt`] = "needle\n";
  }
  await using clone = await hostileClone(files, ["print(glob_files('*.txt'))"]);
  await Deno.mkdir(`${clone.root.path}/bin`);
  // A heap of 1 GiB: 1.8 million compiled rules would need several.
  const run = await runWatched(["go"], clone.repo, clone.home, {
    PATH: await pathWithoutRg(`${clone.root.path}/bin`),
  }, ["--v8-flags=--max-old-space-size=1024"]);
  assert(run !== null, "the search hung");
  assertEquals(run.code, 0, run.stderr.slice(-2000));
  const listed = observations(clone.mine)[0];
  assertStringIncludes(listed, "a.txt");
  assertStringIncludes(listed, "f29/kept.txt");
});

Deno.test({
  name:
    "hostile: a cloned repository's .gitignore leading to /dev/zero does not let ripgrep eat the machine's memory; the search still answers",
  ignore: RG_PATH === null,
  fn: async () => {
    await using clone = await hostileClone(
      { "a.txt": "needle\n", "sub/b.txt": "needle\n" },
      ["print(glob_files('*.txt'))", "print(grep_files('needle'))"],
    );
    // A symlink is what a clone can carry; ripgrep reads it without end.
    await Deno.symlink("/dev/zero", `${clone.repo}/sub/.gitignore`);
    const run = await runWatched(["go"], clone.repo, clone.home);
    assert(run !== null, "the search hung");
    assertEquals(run.code, 0, run.stderr);
    const [listed, found] = observations(clone.mine);
    assertEquals(listed.split("\n").slice(0, 2).sort(), ["a.txt", "sub/b.txt"]);
    assertStringIncludes(found, "a.txt:1:needle");
    assertStringIncludes(found, "sub/b.txt:1:needle");
  },
});
