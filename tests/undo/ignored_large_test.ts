import { assert, assertEquals } from "../helpers/assert.ts";
import { join } from "node:path";
import { exists, git, sh, tree, turn, withStore } from "./_helpers.ts";

const MiB = 1024 * 1024;

Deno.test("Snapshots.undo() brings back .env and a local database after git clean -fdx, .env still owner-only", async () => {
  await withStore({
    ".gitignore": ".env\n*.sqlite\nnode_modules/\n",
    "a.txt": "a\n",
    ".env": "API_KEY=secret\n",
    "data/app.sqlite": "SQLite format 3\0rows",
  }, async (ws, snapshots) => {
    await Deno.chmod(join(ws, ".env"), 0o600);
    await git(ws, "init", "-q");
    await git(ws, "add", ".");
    await git(ws, "commit", "-q", "-m", "first");
    await turn(snapshots, 1, () => sh(ws, "git clean -q -fdx"));
    assert(!(await exists(join(ws, ".env"))));
    const result = await snapshots.undo();
    assertEquals(result?.restored, [".env", "data/app.sqlite"]);
    assertEquals(await Deno.readTextFile(join(ws, ".env")), "API_KEY=secret\n");
    assertEquals((await Deno.stat(join(ws, ".env"))).mode! & 0o777, 0o600);
    assertEquals(
      await Deno.readTextFile(join(ws, "data/app.sqlite")),
      "SQLite format 3\0rows",
    );
  });
});

Deno.test("Snapshots.undo() reverts ignored files the turn changed and removes ones it created", async () => {
  await withStore({
    ".gitignore": "*.log\nbuild/\n",
    "a.ts": "a\n",
    "old.log": "old log\n",
  }, async (ws, snapshots) => {
    await turn(snapshots, 1, async () => {
      await Deno.writeTextFile(join(ws, "old.log"), "changed log\n");
      await Deno.writeTextFile(join(ws, "new.log"), "new log\n");
      await Deno.mkdir(join(ws, "build"));
      await Deno.writeTextFile(join(ws, "build/out.js"), "out\n");
      await Deno.writeTextFile(join(ws, "a.ts"), "A\n");
    });
    const result = await snapshots.undo();
    assertEquals(result?.restored, ["a.ts", "old.log"]);
    assertEquals(result?.removed, ["build/out.js", "new.log"]);
    assertEquals(await tree(ws), {
      ".gitignore": "*.log\nbuild/\n",
      "a.ts": "a\n",
      "old.log": "old log\n",
    });
  });
});

Deno.test("Snapshots leave an ignored folder over the limits out, and never remove what is in it", async () => {
  const modules: Record<string, string> = {};
  for (let i = 0; i < 30; i++) {
    modules[`node_modules/pkg${i}/index.js`] = `${i}\n`;
  }
  await withStore({
    ".gitignore": "node_modules/\n",
    "a.txt": "a\n",
    ...modules,
  }, async (ws, snapshots) => {
    await turn(snapshots, 1, async () => {
      await Deno.writeTextFile(join(ws, "node_modules/added.js"), "added\n");
      await Deno.remove(join(ws, "node_modules/pkg0"), { recursive: true });
      await Deno.writeTextFile(join(ws, "a.txt"), "b\n");
    });
    const result = await snapshots.undo();
    assertEquals(result?.restored, ["a.txt"]);
    assertEquals(result?.removed, []);
    assert(await exists(join(ws, "node_modules/added.js")));
  }, { limits: { ignoredDirFiles: 20 } });
});

Deno.test("Snapshots.undo() restores a deleted 20 MiB untracked file from a hard link, not a copy", async () => {
  const data = new Uint8Array(20 * MiB);
  for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
  await withStore(
    { "a.txt": "a\n", "data/big.bin": data },
    async (ws, snapshots, store) => {
      await snapshots.start();
      const ino = (await Deno.stat(join(ws, "data/big.bin"))).ino;
      await turn(snapshots, 1, () => sh(ws, "rm -rf data"));
      const plan = await snapshots.planUndo();
      assertEquals(plan?.restore, ["data/big.bin"]);
      const result = await snapshots.undo({ plan: plan! });
      assertEquals(result?.restored, ["data/big.bin"]);
      assertEquals(await Deno.readFile(join(ws, "data/big.bin")), data);
      // Kept as the same file (a link), so keeping it cost no space.
      assertEquals((await Deno.stat(join(ws, "data/big.bin"))).ino, ino);
      const gitObjects = await sizeOf(join(store, "s1/repo.git/objects"));
      assert(gitObjects < 2 * MiB, `store git objects: ${gitObjects} bytes`);
    },
  );
});

Deno.test("Snapshots.undo() reports a large file written in place since its hard link was kept as lost", async () => {
  const ones = new Uint8Array(20 * MiB).fill(1);
  await withStore({ "big.bin": ones }, async (ws, snapshots) => {
    await turn(snapshots, 1, () => sh(ws, "echo overwritten > big.bin"));
    const plan = await snapshots.planUndo();
    const result = await snapshots.undo({ plan: plan! });
    if (plan!.lost.length) {
      // A hard link shares the file, so a write in place reached it too.
      assertEquals(plan?.lost, ["big.bin"]);
      assertEquals(result?.lost, ["big.bin"]);
      assertEquals(
        await Deno.readTextFile(join(ws, "big.bin")),
        "overwritten\n",
      );
    } else {
      // A reflink (copy-on-write clone) is independent: it comes back.
      assertEquals(result?.restored, ["big.bin"]);
      assertEquals(await Deno.readFile(join(ws, "big.bin")), ones);
    }
  });
});

Deno.test("Snapshots keep a file that grew over the size limit as a large file", async () => {
  await withStore({ "grows.bin": "small\n" }, async (ws, snapshots) => {
    await snapshots.start();
    const big = new Uint8Array(3 * MiB).fill(2);
    await Deno.writeFile(join(ws, "grows.bin"), big);
    await turn(snapshots, 1, () => Deno.remove(join(ws, "grows.bin")));
    const result = await snapshots.undo();
    assertEquals(result?.restored, ["grows.bin"]);
    assertEquals(await Deno.readFile(join(ws, "grows.bin")), big);
  }, { maxFileBytes: 1 * MiB });
});

Deno.test("Snapshots store the first snapshot of many files in one pack", async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 1200; i++) {
    files[`src/m${i % 12}/f${i}.ts`] = `export const v = ${i};\n`;
  }
  await withStore(files, async (ws, snapshots, store) => {
    await snapshots.start();
    const loose = await looseObjects(join(store, "s1/repo.git/objects"));
    assert(loose < 200, `${loose} loose objects`);
    await turn(snapshots, 1, () => sh(ws, "rm -rf src"));
    const result = await snapshots.undo();
    assertEquals(result?.restored.length, 1200);
    assertEquals(
      await Deno.readTextFile(join(ws, "src/m7/f7.ts")),
      "export const v = 7;\n",
    );
  });
});

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    total += entry.isDirectory
      ? await sizeOf(path)
      : (await Deno.lstat(path)).size;
  }
  return total;
}

async function looseObjects(dir: string): Promise<number> {
  let count = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!/^[0-9a-f]{2}$/.test(entry.name)) continue;
    for await (const _ of Deno.readDir(join(dir, entry.name))) count++;
  }
  return count;
}
