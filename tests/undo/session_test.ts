import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { join } from "node:path";
import { Snapshots } from "../../src/undo/snapshots.ts";
import { exists, tree, turn, withStore } from "./_helpers.ts";

Deno.test("Snapshots: a new session cannot undo an earlier session's turns, and its own first turn is snapshotted", async () => {
  await withStore({ "a.txt": "v0\n" }, async (ws, first) => {
    await turn(first, 1, () => Deno.writeTextFile(join(ws, "a.txt"), "v1\n"));
    await first.close();
    // By hand, between the sessions.
    await Deno.writeTextFile(join(ws, "hand.txt"), "hand\n");

    const second = new Snapshots({
      workspace: ws,
      storeDir: first.storeDir,
      session: "s2",
    });
    assertEquals(await second.planUndo(), null);
    assertEquals(await second.undo(), null);
    assertEquals(await tree(ws), { "a.txt": "v1\n", "hand.txt": "hand\n" });
    // Turn numbers restart with the process: turn 1 again, a snapshot of its own.
    await turn(second, 1, () => Deno.writeTextFile(join(ws, "a.txt"), "v2\n"));
    assertEquals(await second.turns(), [1]);
    const result = await second.undo();
    assertEquals(result?.restored, ["a.txt"]);
    assertEquals(await tree(ws), { "a.txt": "v1\n", "hand.txt": "hand\n" });
    await second.close();
  });
});

Deno.test("Snapshots: the same session in a new process (resumed) can undo its turns", async () => {
  await withStore({ "a.txt": "v0\n" }, async (ws, snapshots) => {
    await turn(
      snapshots,
      1,
      () => Deno.writeTextFile(join(ws, "a.txt"), "v1\n"),
    );
    await snapshots.close();
    const again = new Snapshots({
      workspace: ws,
      storeDir: snapshots.storeDir,
      session: "s2",
    });
    again.session = "s1";
    assertEquals(await again.turns(), [1]);
    assertEquals((await again.undo())?.restored, ["a.txt"]);
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "v0\n");
    await again.close();
  });
});

Deno.test("Snapshots.undo() keeps files changed after the turn, lists them, and overwrites them only when told", async () => {
  await withStore(
    { "a.txt": "a0\n", "b.txt": "b0\n" },
    async (ws, snapshots) => {
      await turn(snapshots, 1, async () => {
        await Deno.writeTextFile(join(ws, "a.txt"), "a1\n");
        await Deno.writeTextFile(join(ws, "b.txt"), "b1\n");
        await Deno.writeTextFile(join(ws, "c.txt"), "c1\n");
      });
      // After the turn: an editor saves b.txt, the user deletes c.txt and edits d.txt.
      await Deno.writeTextFile(join(ws, "b.txt"), "b by hand\n");
      await Deno.remove(join(ws, "c.txt"));
      await Deno.writeTextFile(join(ws, "d.txt"), "d by hand\n");

      const plan = await snapshots.planUndo();
      assertEquals(plan?.restore, ["a.txt"]);
      assertEquals(plan?.remove, []);
      assertEquals(plan?.conflicts, ["b.txt"]);
      assert(plan?.finished);

      const kept = await snapshots.undo({ plan: plan! });
      assertEquals(kept?.restored, ["a.txt"]);
      assertEquals(kept?.kept, ["b.txt"]);
      assertEquals(await tree(ws), {
        "a.txt": "a0\n",
        "b.txt": "b by hand\n",
        "d.txt": "d by hand\n",
      });

      // Redo, then undo again telling it to overwrite.
      await snapshots.redo();
      const forced = await snapshots.undo({ overwrite: true });
      assertEquals(forced?.restored, ["a.txt", "b.txt"]);
      assertEquals(await Deno.readTextFile(join(ws, "b.txt")), "b0\n");
    },
  );
});

Deno.test("Snapshots.undo() with a plan overwrites only the conflicts the plan showed", async () => {
  await withStore(
    { "a.txt": "a0\n", "b.txt": "b0\n" },
    async (ws, snapshots) => {
      await turn(snapshots, 1, async () => {
        await Deno.writeTextFile(join(ws, "a.txt"), "a1\n");
        await Deno.writeTextFile(join(ws, "b.txt"), "b1\n");
      });
      await Deno.writeTextFile(join(ws, "a.txt"), "a by hand\n");
      const plan = await snapshots.planUndo();
      assertEquals(plan?.conflicts, ["a.txt"]);
      // Edited while the user was reading the plan: not confirmed, so kept.
      await Deno.writeTextFile(join(ws, "b.txt"), "b by hand\n");
      const result = await snapshots.undo({ plan: plan!, overwrite: true });
      assertEquals(result?.restored, ["a.txt"]);
      assertEquals(result?.kept, ["b.txt"]);
      assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "a0\n");
      assertEquals(await Deno.readTextFile(join(ws, "b.txt")), "b by hand\n");
    },
  );
});

Deno.test("Snapshots.undo() refuses a plan made for another step", async () => {
  await withStore({ "a.txt": "a0\n" }, async (ws, snapshots) => {
    await turn(
      snapshots,
      1,
      () => Deno.writeTextFile(join(ws, "a.txt"), "a1\n"),
    );
    const plan = await snapshots.planUndo();
    await turn(
      snapshots,
      2,
      () => Deno.writeTextFile(join(ws, "a.txt"), "a2\n"),
    );
    await assertRejects(
      () => snapshots.undo({ plan: plan! }),
      Error,
      "history changed since that plan was made",
    );
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "a2\n");
  });
});

Deno.test("Snapshots.redo() reverses an undo, and a new turn clears what could be redone", async () => {
  await withStore({ "a.txt": "a0\n" }, async (ws, snapshots) => {
    await turn(snapshots, 1, async () => {
      await Deno.writeTextFile(join(ws, "a.txt"), "a1\n");
      await Deno.writeTextFile(join(ws, "new.txt"), "new\n");
    });
    await snapshots.undo();
    assertEquals(await tree(ws), { "a.txt": "a0\n" });
    const plan = await snapshots.planRedo();
    assertEquals(plan?.kind, "redo");
    assertEquals(plan?.restore, ["a.txt", "new.txt"]);
    const redone = await snapshots.redo({ plan: plan! });
    assertEquals(redone?.restored, ["a.txt", "new.txt"]);
    assertEquals(await tree(ws), { "a.txt": "a1\n", "new.txt": "new\n" });
    assertEquals(await snapshots.turns(), [1]);
    assertEquals(await snapshots.planRedo(), null);

    await snapshots.undo();
    await turn(
      snapshots,
      2,
      () => Deno.writeTextFile(join(ws, "b.txt"), "b\n"),
    );
    assertEquals(await snapshots.planRedo(), null);
  });
});

Deno.test("Snapshots: a turn that never finished counts every change since as a conflict", async () => {
  await withStore({ "a.txt": "a0\n" }, async (ws, snapshots) => {
    await snapshots.ensure(1, "crashing turn");
    await Deno.writeTextFile(join(ws, "a.txt"), "a1\n");
    await snapshots.close(); // the process died mid-turn
    const resumed = new Snapshots({
      workspace: ws,
      storeDir: snapshots.storeDir,
      session: "s1",
    });
    const plan = await resumed.planUndo();
    assertEquals(plan?.finished, false);
    assertEquals(plan?.conflicts, ["a.txt"]);
    assertEquals(plan?.restore, []);
    assertEquals((await resumed.undo())?.kept, ["a.txt"]);
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "a1\n");
    await resumed.close();
  });
});

Deno.test("Snapshots.undo() never writes through a symlink put in a folder's place after the turn", async () => {
  await using outside = await tempDir();
  await withStore({ "lib/a.ts": "a\n" }, async (ws, snapshots) => {
    await turn(
      snapshots,
      1,
      () => Deno.remove(join(ws, "lib"), { recursive: true }),
    );
    await Deno.symlink(outside.path, join(ws, "lib"));
    const result = await snapshots.undo({ overwrite: true });
    assertEquals(result?.restored, []);
    assertEquals(result?.kept, ["lib/a.ts"]);
    assertEquals(await tree(outside.path), {});
  });
});

Deno.test("Snapshots: two sessions in one workspace each undo only their own turns", async () => {
  await withStore({ "a.txt": "a0\n", "b.txt": "b0\n" }, async (ws, one) => {
    const two = new Snapshots({
      workspace: ws,
      storeDir: one.storeDir,
      session: "s2",
    });
    await turn(
      one,
      1,
      () => Deno.writeTextFile(join(ws, "a.txt"), "a by one\n"),
    );
    await turn(
      two,
      1,
      () => Deno.writeTextFile(join(ws, "b.txt"), "b by two\n"),
    );
    const result = await one.undo();
    assertEquals(result?.restored, ["a.txt"]);
    assertEquals(await tree(ws), { "a.txt": "a0\n", "b.txt": "b by two\n" });
    assertEquals((await two.undo())?.restored, ["b.txt"]);
    assertEquals(await tree(ws), { "a.txt": "a0\n", "b.txt": "b0\n" });
    await two.close();
  });
});

Deno.test("Snapshots.undo() removes folders the turn created once they are empty", async () => {
  await withStore({ "a.txt": "a\n" }, async (ws, snapshots) => {
    await turn(snapshots, 1, async () => {
      await Deno.mkdir(join(ws, "gen/deep"), { recursive: true });
      await Deno.writeTextFile(join(ws, "gen/deep/x.txt"), "x\n");
    });
    await snapshots.undo();
    assert(!(await exists(join(ws, "gen"))));
  });
});
