/**
 * Turns that try to destroy work undo cannot bring back, and a user typing
 * at the wrong moment: what undo shows and does must never hide a loss or
 * clobber a later edit.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { exists, hostile } from "./_harness.ts";

const run = (cmd: string) => `print(run_bash(${JSON.stringify(cmd)}))`;

async function git(dir: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

/** `count` small files under `dir/` (relative paths to contents). */
function manyFiles(dir: string, count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`${dir}/row-${i}.csv`] = `${i}\n`;
  return files;
}

Deno.test("hostile undo: a turn deleting an ignored folder too big to snapshot is named as lost in the plan, not passed over", async () => {
  await using h = await hostile({
    mode: "auto-edit",
    files: {
      ".gitignore": "data/\n",
      "README.md": "# x\n",
      ...manyFiles("data", 2100),
    },
  });
  await git(h.ws.path, "init", "-q");
  await git(h.ws.path, "add", "-A");
  await git(h.ws.path, "commit", "-qm", "init");
  const [seen] = await h.turn(run("rm -rf data && echo 'new' >> README.md"));
  assertStringIncludes(seen, "[exit code 0]");
  const plan = await h.agent.planUndo();
  assertEquals(plan?.restore, ["README.md"]);
  assertEquals(plan?.lost, ["data/"]);
  const result = await h.agent.undo({ plan: plan! });
  assertEquals(result?.lost, ["data/"]);
  assertEquals(await h.ws.read("README.md"), "# x\n");
});

Deno.test("hostile undo: a turn deleting a nested repository (left out of snapshots) is named as lost", async () => {
  await using h = await hostile({
    mode: "yolo",
    files: { "README.md": "# x\n", "vendor/lib/lib.c": "int x;\n" },
  });
  await git(h.ws.file("vendor/lib"), "init", "-q");
  await git(h.ws.file("vendor/lib"), "add", "-A");
  await git(h.ws.file("vendor/lib"), "commit", "-qm", "lib");
  const [seen] = await h.turn(
    run("rm -rf vendor/lib && echo x >> README.md && echo tried"),
  );
  assertStringIncludes(seen, "tried");
  const plan = await h.agent.planUndo();
  assertEquals(plan?.restore, ["README.md"]);
  assertEquals(plan?.lost, ["vendor/lib/"]);
});

Deno.test("hostile undo: a 20 MiB file emptied in place by a shell redirect is reported lost, never silently 'restored'", async () => {
  const big = new Uint8Array(20 * 1024 * 1024).fill(7);
  await using h = await hostile({
    mode: "auto-edit",
    files: { "data.bin": big, "README.md": "# x\n" },
  });
  // Let the first snapshot keep the big file before the turn starts.
  const [seen] = await h.turn(run(": > data.bin; echo 'x' >> README.md"));
  assertStringIncludes(seen, "[exit code 0]");
  const plan = await h.agent.planUndo();
  assertEquals(plan?.lost, ["data.bin"]);
  assert(!plan!.restore.includes("data.bin"));
});

Deno.test("hostile undo: a file the user edits between the undo plan and the yes is kept, even with overwrite", async () => {
  await using h = await hostile({
    mode: "auto-edit",
    files: { "a.txt": "a0\n", "b.txt": "b0\n" },
  });
  await h.turn(run("echo a1 > a.txt; echo b1 > b.txt"));
  const plan = await h.agent.planUndo();
  assertEquals(plan?.restore, ["a.txt", "b.txt"]);
  await Deno.writeTextFile(h.ws.file("b.txt"), "typed by the user\n");
  const result = await h.agent.undo({ plan: plan!, overwrite: true });
  assertEquals(result?.restored, ["a.txt"]);
  assertEquals(result?.kept, ["b.txt"]);
  assertEquals(await h.ws.read("a.txt"), "a0\n");
  assertEquals(await h.ws.read("b.txt"), "typed by the user\n");
});

Deno.test("hostile undo: /redo after a hand edit keeps the hand edit and lists it", async () => {
  await using h = await hostile({
    mode: "auto-edit",
    files: { "a.txt": "a0\n", "b.txt": "b0\n" },
  });
  await h.turn(run("echo a1 > a.txt; echo b1 > b.txt; mv b.txt c.txt"));
  await h.agent.undo();
  assertEquals(await h.ws.read("b.txt"), "b0\n");
  assertEquals(await exists(h.ws.file("c.txt")), false);
  await Deno.writeTextFile(h.ws.file("a.txt"), "hand edit\n");
  const plan = await h.agent.planRedo();
  assertEquals(plan?.conflicts, ["a.txt"]);
  const result = await h.agent.redo({ plan: plan! });
  assertEquals(result?.kept, ["a.txt"]);
  assertEquals(await h.ws.read("a.txt"), "hand edit\n");
  assertEquals(await h.ws.read("c.txt"), "b1\n");
  assertEquals(await exists(h.ws.file("b.txt")), false);
});

Deno.test("hostile undo: history a turn destroys with reset, reflog expire and gc --prune=now comes back", async () => {
  await using h = await hostile({
    mode: "yolo",
    files: { "a.txt": "one\n" },
  });
  await git(h.ws.path, "init", "-q");
  await git(h.ws.path, "add", "-A");
  await git(h.ws.path, "commit", "-qm", "one");
  await Deno.writeTextFile(h.ws.file("a.txt"), "two\n");
  await git(h.ws.path, "commit", "-qam", "two");
  await git(h.ws.path, "gc", "-q");
  const head = (await git(h.ws.path, "rev-parse", "HEAD")).trim();
  await h.turn(
    run(
      "git reset -q --hard HEAD~1 && git reflog expire --expire=now --all && git gc -q --prune=now && git cat-file -t " +
        head + " 2>&1",
    ),
  );
  assertEquals(
    (await git(h.ws.path, "cat-file", "-t", head)).trim(),
    "",
    "the turn destroyed the commit",
  );
  const result = await h.agent.undo();
  assert(result !== null);
  assertEquals((await git(h.ws.path, "rev-parse", "HEAD")).trim(), head);
  assertEquals(await h.ws.read("a.txt"), "two\n");
  assertStringIncludes(await git(h.ws.path, "log", "--oneline"), "two");
});
