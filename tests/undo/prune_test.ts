import { assert, assertEquals } from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { join } from "node:path";
import { Snapshots } from "../../src/undo/snapshots.ts";
import { exists, turn, withStore } from "./_helpers.ts";

const DAY = 24 * 60 * 60 * 1000;

/** Makes a session's last use look `days` old. */
async function age(
  store: string,
  session: string,
  days: number,
): Promise<void> {
  const when = new Date(Date.now() - days * DAY);
  await Deno.utime(join(store, "sessions", `${session}.json`), when, when);
}

Deno.test("Snapshots.start() drops sessions idle longer than the age limit, and what only they kept", async () => {
  await withStore(
    { "a.txt": "a\n", "big.bin": new Uint8Array(3 << 20) },
    async (ws, old) => {
      await turn(old, 1, async () => {
        await Deno.remove(join(ws, "big.bin"));
        await Deno.writeTextFile(join(ws, "a.txt"), "b\n");
      });
      await old.close();
      const storeDir = old.storeDir;
      const large = join(storeDir, "large");
      assertEquals([...Deno.readDirSync(large)].length, 1);
      await age(storeDir, "s1", 20);

      const current = new Snapshots({
        workspace: ws,
        storeDir,
        session: "s2",
        maxFileBytes: 1 << 20,
        prune: { maxAgeDays: 14 },
      });
      await current.start();
      await current.close();
      assert(!(await exists(join(storeDir, "sessions", "s1.json"))));
      assertEquals([...Deno.readDirSync(large)], []);
      const resumed = new Snapshots({ workspace: ws, storeDir, session: "s1" });
      assertEquals(await resumed.planUndo(), null);
      await resumed.close();
    },
    { maxFileBytes: 1 << 20 },
  );
});

Deno.test("Snapshots.start() drops the oldest sessions while the store is over its size, never the current one", async () => {
  await withStore({ "a.txt": "a\n" }, async (ws, first) => {
    const noise = crypto.getRandomValues(new Uint8Array(60_000));
    const storeDir = first.storeDir;
    const sessions = ["s1", "s2", "s3"];
    for (const [i, session] of sessions.entries()) {
      const snapshots = new Snapshots({ workspace: ws, storeDir, session });
      await turn(
        snapshots,
        1,
        () =>
          Deno.writeFile(join(ws, `${session}.bin`), noise.map((b) => b ^ i)),
      );
      await snapshots.close();
      await age(storeDir, session, 3 - i);
    }
    const current = new Snapshots({
      workspace: ws,
      storeDir,
      session: "s3",
      prune: { maxBytes: 1 },
    });
    await current.start();
    assertEquals(await current.turns(), [1]);
    await current.close();
    assert(!(await exists(join(storeDir, "sessions", "s1.json"))));
    assert(!(await exists(join(storeDir, "sessions", "s2.json"))));
  });
});

Deno.test("Snapshots.start() prunes at most once per period", async () => {
  await withStore({ "a.txt": "a\n" }, async (ws, first) => {
    await turn(first, 1, () => Deno.writeTextFile(join(ws, "a.txt"), "b\n"));
    await first.start(); // prunes now: stamps the store
    await first.close();
    await age(first.storeDir, "s1", 30);
    const next = new Snapshots({
      workspace: ws,
      storeDir: first.storeDir,
      session: "s2",
    });
    await next.start();
    await next.close();
    assert(await exists(join(first.storeDir, "sessions", "s1.json")));
  });
});

Deno.test("Snapshots.start() deletes stores of other workspaces unused for long, only in the default layout", async () => {
  await using root = await tempDir();
  await withStore({ "a.txt": "a\n" }, async (ws) => {
    const stale = join(root.path, "stale");
    const fresh = join(root.path, "fresh");
    for (const dir of [stale, fresh]) {
      const other = new Snapshots({ workspace: ws, storeDir: dir });
      await other.start();
      await other.close();
    }
    const old = new Date(Date.now() - 40 * DAY);
    await Deno.utime(join(stale, "used"), old, old);
    const mine = new Snapshots({
      workspace: ws,
      storeDir: join(root.path, "mine"),
      prune: { siblingsMaxAgeDays: 30 },
    });
    await mine.start();
    await mine.close();
    assert(!(await exists(stale)));
    assert(await exists(fresh));
    assert(await exists(join(root.path, "mine", "repo.git")));
  });
});
