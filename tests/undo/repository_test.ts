import { assert, assertEquals } from "../helpers/assert.ts";
import { join } from "node:path";
import { exists, git, sh, tree, turn, withStore } from "./_helpers.ts";

/** A repository with history on two branches, a stash, a staged change and reflogs. */
async function repository(ws: string): Promise<void> {
  await git(ws, "init", "-q", "-b", "main");
  await git(ws, "add", ".");
  await git(ws, "commit", "-q", "-m", "first");
  await git(ws, "checkout", "-q", "-b", "feature");
  await Deno.writeTextFile(join(ws, "feature.txt"), "feature\n");
  await git(ws, "add", "feature.txt");
  await git(ws, "commit", "-q", "-m", "on feature");
  await git(ws, "checkout", "-q", "main");
  await Deno.writeTextFile(join(ws, "a.txt"), "stashed change\n");
  await git(ws, "stash", "-q");
  await Deno.writeTextFile(join(ws, "a.txt"), "a2\n");
  await git(ws, "commit", "-q", "-am", "second");
  await Deno.writeTextFile(join(ws, "a.txt"), "staged\n");
  await git(ws, "add", "a.txt");
}

/** What a user sees of a repository: history, branches, stash, reflog, status. */
async function state(ws: string): Promise<string[]> {
  return [
    await git(ws, "log", "--all", "--format=%H %s"),
    await git(ws, "branch", "-v"),
    await git(ws, "stash", "list"),
    await git(ws, "reflog", "--format=%H %gs"),
    await git(ws, "status", "--porcelain"),
    await git(ws, "diff", "--cached"),
  ];
}

Deno.test("Snapshots.undo() brings back the history and branches after rm -rf .git", async () => {
  await withStore({ "a.txt": "a1\n" }, async (ws, snapshots) => {
    await repository(ws);
    const before = await state(ws);
    await snapshots.start();
    await turn(snapshots, 1, () => sh(ws, "rm -rf .git"));
    assert(!(await exists(join(ws, ".git"))));
    const plan = await snapshots.planUndo();
    assert(plan!.restore.includes(".git/HEAD"));
    assert(plan!.restore.includes(".git/refs/heads/feature"));
    assertEquals(plan!.conflicts, []);
    await snapshots.undo({ plan: plan! });
    assertEquals(await state(ws), before);
    await git(ws, "fsck", "--full", "--strict");
    assertEquals(await git(ws, "show", "feature:feature.txt"), "feature\n");
  });
});

Deno.test("Snapshots.undo() reverses git reset --hard, a deleted branch, a dropped stash and gc", async () => {
  await withStore({ "a.txt": "a1\n" }, async (ws, snapshots) => {
    await repository(ws);
    const before = await state(ws);
    const files = await tree(ws);
    await turn(
      snapshots,
      1,
      () =>
        sh(
          ws,
          "git reset -q --hard HEAD~1 && git branch -q -D feature && git stash drop -q && " +
            "git reflog expire --expire=now --all && git gc -q --prune=now",
        ),
    );
    assertEquals(await git(ws, "branch"), "* main\n");
    await snapshots.undo();
    assertEquals(await state(ws), before);
    assertEquals(await tree(ws), files);
    await git(ws, "fsck", "--full");
  });
});

Deno.test("Snapshots.undo() of a turn that committed moves the branch back and keeps the commit for redo", async () => {
  await withStore({ "a.txt": "a1\n" }, async (ws, snapshots) => {
    await repository(ws);
    await git(ws, "commit", "-q", "-m", "staged one");
    const head = await git(ws, "rev-parse", "HEAD");
    await turn(snapshots, 1, async () => {
      await Deno.writeTextFile(join(ws, "a.txt"), "by the turn\n");
      await git(ws, "commit", "-q", "-am", "by the turn");
    });
    const made = await git(ws, "rev-parse", "HEAD");
    await snapshots.undo();
    assertEquals(await git(ws, "rev-parse", "HEAD"), head);
    assertEquals(await git(ws, "status", "--porcelain"), "");
    await snapshots.redo();
    assertEquals(await git(ws, "rev-parse", "HEAD"), made);
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "by the turn\n");
  });
});

Deno.test("Snapshots.undo() keeps a branch the user moved after the turn", async () => {
  await withStore({ "a.txt": "a1\n" }, async (ws, snapshots) => {
    await repository(ws);
    await turn(snapshots, 1, () => git(ws, "branch", "-q", "-D", "feature"));
    // The user makes a branch of the same name afterwards.
    await git(ws, "branch", "feature", "HEAD");
    const mine = await git(ws, "rev-parse", "feature");
    const plan = await snapshots.planUndo();
    assert(plan!.conflicts.includes(".git/refs/heads/feature"));
    await snapshots.undo({ plan: plan! });
    assertEquals(await git(ws, "rev-parse", "feature"), mine);
  });
});

Deno.test("hostile: a repository's own config cannot make snapshots run a command", async () => {
  await withStore({ "a.txt": "a1\n" }, async (ws, snapshots, store) => {
    await git(ws, "init", "-q");
    const marker = join(store, "pwned");
    const script = join(store, "hook.sh");
    await Deno.writeTextFile(script, `#!/bin/sh\ntouch ${marker}\n`);
    await Deno.chmod(script, 0o755);
    for (
      const [key, value] of [
        ["core.fsmonitor", script],
        ["core.hooksPath", store],
        ["core.pager", script],
        ["filter.evil.clean", script],
        ["filter.evil.smudge", script],
      ]
    ) await git(ws, "config", key, value);
    await Deno.writeTextFile(join(ws, ".gitattributes"), "* filter=evil\n");
    await git(ws, "add", "a.txt");
    await Deno.remove(marker).catch(() => {});
    await snapshots.start();
    await turn(
      snapshots,
      1,
      () => Deno.writeTextFile(join(ws, "a.txt"), "a2\n"),
    );
    await snapshots.undo();
    await snapshots.redo();
    assert(
      !(await exists(marker)),
      "a command from the repository's config ran",
    );
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "a2\n");
  });
});
