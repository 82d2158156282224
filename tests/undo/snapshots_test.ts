import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { join } from "node:path";
import { Snapshots } from "../../src/undo/snapshots.ts";
import { git, tree, turn, withStore } from "./_helpers.ts";

/** A fingerprint of every file in a folder: bytes, mode and mtime. */
async function fingerprint(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string) {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      const info = await Deno.lstat(path);
      if (entry.isDirectory) await walk(path);
      else {
        const bytes = entry.isFile
          ? await Deno.readFile(path)
          : new Uint8Array();
        const hash = new Uint8Array(
          await crypto.subtle.digest("SHA-256", bytes),
        );
        out[path] = `${info.mode} ${info.mtime?.getTime()} ${hash.join(",")}`;
      }
    }
  }
  await walk(root);
  return out;
}

/** The result of an undo that kept and lost nothing. */
function undone(
  turnNumber: number,
  restored: string[],
  removed: string[],
  kind: "undo" | "redo" = "undo",
) {
  return {
    kind,
    turn: turnNumber,
    task: `turn ${turnNumber}`,
    restored,
    removed,
    kept: [],
    lost: [],
  };
}

Deno.test("Snapshots.undo() restores edited, deleted and chmod'ed files and removes created ones", async () => {
  await withStore({
    "a.ts": "one\n",
    "src/b.ts": "two\n",
    "run.sh": "#!/bin/sh\n",
  }, async (ws, snapshots) => {
    await Deno.chmod(join(ws, "run.sh"), 0o644);
    const before = await tree(ws);
    await turn(snapshots, 1, async () => {
      await Deno.writeTextFile(join(ws, "a.ts"), "ONE\n");
      await Deno.remove(join(ws, "src/b.ts"));
      await Deno.chmod(join(ws, "run.sh"), 0o755);
      await Deno.mkdir(join(ws, "new/deep"), { recursive: true });
      await Deno.writeTextFile(join(ws, "new/deep/c.ts"), "three\n");
      await Deno.writeTextFile(join(ws, "d.ts"), "four\n");
    });
    const result = await snapshots.undo();
    assertEquals(
      result,
      undone(1, ["a.ts", "run.sh", "src/b.ts"], ["d.ts", "new/deep/c.ts"]),
    );
    assertEquals(await tree(ws), before);
    assertEquals((await Deno.stat(join(ws, "run.sh"))).mode! & 0o777, 0o644);
  });
});

Deno.test("Snapshots.undo() restores files a command deleted, folders included", async () => {
  await withStore({
    "keep.txt": "keep\n",
    "lib/x.ts": "x\n",
    "lib/sub/y.ts": "y\n",
  }, async (ws, snapshots) => {
    const before = await tree(ws);
    await turn(snapshots, 1, async () => {
      await Deno.remove(join(ws, "lib"), { recursive: true });
      await Deno.remove(join(ws, "keep.txt"));
    });
    const result = await snapshots.undo();
    assertEquals(result?.restored, ["keep.txt", "lib/sub/y.ts", "lib/x.ts"]);
    assertEquals(result?.removed, []);
    assertEquals(await tree(ws), before);
  });
});

Deno.test("Snapshots.undo() goes one turn further back on each call, then returns null", async () => {
  await withStore({ "a.txt": "v0\n" }, async (ws, snapshots) => {
    await turn(snapshots, 1, async () => {
      await Deno.writeTextFile(join(ws, "a.txt"), "v1\n");
      await Deno.writeTextFile(join(ws, "t1.txt"), "turn 1\n");
    });
    await turn(snapshots, 2, async () => {
      await Deno.writeTextFile(join(ws, "a.txt"), "v2\n");
      await Deno.writeTextFile(join(ws, "t2.txt"), "turn 2\n");
    });
    assertEquals(await snapshots.turns(), [1, 2]);

    assertEquals(await snapshots.undo(), undone(2, ["a.txt"], ["t2.txt"]));
    assertEquals(await tree(ws), { "a.txt": "v1\n", "t1.txt": "turn 1\n" });

    assertEquals(await snapshots.undo(), undone(1, ["a.txt"], ["t1.txt"]));
    assertEquals(await tree(ws), { "a.txt": "v0\n" });

    assertEquals(await snapshots.undo(), null);
    assertEquals(await snapshots.turns(), []);
  });
});

Deno.test("Snapshots.ensure() snapshots only once when called again for the same turn", async () => {
  await withStore({ "a.txt": "v0\n" }, async (ws, snapshots) => {
    await turn(snapshots, 1, async () => {
      await Deno.writeTextFile(join(ws, "a.txt"), "v1\n");
      await snapshots.ensure(1);
      await Deno.writeTextFile(join(ws, "a.txt"), "v2\n");
    });
    assertEquals(await snapshots.turns(), [1]);
    await snapshots.undo();
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "v0\n");
  });
});

Deno.test("Snapshots.finish() leaves no undo step for a turn that changed nothing", async () => {
  await withStore({ "a.txt": "v0\n" }, async (_ws, snapshots) => {
    await turn(snapshots, 1, async () => {});
    assertEquals(await snapshots.turns(), []);
    assertEquals(await snapshots.undo(), null);
  });
});

Deno.test("Snapshots.undo() returns null when nothing was snapshotted", async () => {
  await withStore({ "a.txt": "x" }, async (_ws, snapshots) => {
    assertEquals(await snapshots.planUndo(), null);
    assertEquals(await snapshots.undo(), null);
    assertEquals(await snapshots.redo(), null);
  });
});

Deno.test("Snapshots.undo() handles binary files and names with spaces, newlines, unicode and glob characters", async () => {
  const binary = new Uint8Array([0, 1, 2, 255, 0, 10, 13, 10]);
  const names = [
    "with space.txt",
    "line\nbreak.txt",
    "héllo 世界.md",
    "*.ts",
    "crlf.txt",
  ];
  await withStore({
    "bin.dat": binary,
    ...Object.fromEntries(names.map((n) => [n, `${n}\r\n`])),
  }, async (ws, snapshots) => {
    const before = await tree(ws);
    await turn(snapshots, 1, async () => {
      await Deno.writeFile(join(ws, "bin.dat"), new Uint8Array([9, 9, 9]));
      for (const name of names) await Deno.remove(join(ws, name));
      await Deno.writeTextFile(join(ws, "new\nname ✓.txt"), "new\n");
    });
    const result = await snapshots.undo();
    assertEquals(result?.restored, ["bin.dat", ...names].sort());
    assertEquals(result?.removed, ["new\nname ✓.txt"]);
    assertEquals(await tree(ws), before);
    assertEquals(await Deno.readFile(join(ws, "bin.dat")), binary);
  });
});

Deno.test("Snapshots.undo() restores symlinks as links, never writing through them", async () => {
  await using outside = await tempDir({ "target.txt": "outside\n" });
  await withStore({ "real.txt": "real\n" }, async (ws, snapshots) => {
    await Deno.symlink("real.txt", join(ws, "link.txt"));
    await turn(snapshots, 1, async () => {
      await Deno.remove(join(ws, "link.txt"));
      // The turn replaces a folder's place with a link to outside.
      await Deno.symlink(outside.path, join(ws, "lib"));
    });
    await snapshots.undo();
    assertEquals(await Deno.readLink(join(ws, "link.txt")), "real.txt");
    assertEquals(
      await Deno.readTextFile(join(outside.path, "target.txt")),
      "outside\n",
    );
    assertEquals(await Deno.lstat(join(ws, "lib")).catch(() => null), null);
  });
});

Deno.test("Snapshots.undo() works in an empty workspace", async () => {
  await withStore({}, async (ws, snapshots) => {
    await turn(
      snapshots,
      1,
      () => Deno.writeTextFile(join(ws, "a.txt"), "a\n"),
    );
    assertEquals(await snapshots.undo(), undone(1, [], ["a.txt"]));
    assertEquals(await tree(ws), {});
  });
});

Deno.test("Snapshots.undo() keeps the state it undid in the store", async () => {
  await withStore({ "a.txt": "v0\n" }, async (ws, snapshots, store) => {
    await turn(
      snapshots,
      1,
      () => Deno.writeTextFile(join(ws, "a.txt"), "v1\n"),
    );
    await snapshots.undo();
    const gitDir = `--git-dir=${join(store, "s1/repo.git")}`;
    const log = await git(
      store,
      gitDir,
      "log",
      "--format=%s",
      "refs/sessions/s1",
    );
    assertEquals(log, "after undo\nbefore undo\nafter turn 1\nbefore turn 1\n");
    assertEquals(
      await git(store, gitDir, "show", "refs/sessions/s1~1:files/a.txt"),
      "v1\n",
    );
  });
});

Deno.test("Snapshots never touches the user's repository when the turn did not", async () => {
  await withStore({
    ".gitignore": "*.gen\n",
    "a.ts": "a\n",
    "tracked.gen": "generated but tracked\n",
    "staged.ts": "staged\n",
  }, async (ws, snapshots) => {
    await git(ws, "init", "-q");
    await git(ws, "add", "a.ts", ".gitignore");
    await git(ws, "add", "-f", "tracked.gen");
    await git(ws, "commit", "-q", "-m", "first");
    await git(ws, "add", "staged.ts");
    await Deno.writeTextFile(join(ws, "a.ts"), "a modified, unstaged\n");
    await Deno.writeTextFile(join(ws, "untracked.txt"), "untracked\n");
    const status = await git(ws, "status", "--porcelain=v1", "-z");
    const head = await git(ws, "rev-parse", "HEAD");
    const files = await fingerprint(join(ws, ".git"));
    const before = await tree(ws);

    await turn(snapshots, 1, async () => {
      await Deno.writeTextFile(join(ws, "a.ts"), "turn 1\n");
      await Deno.writeTextFile(join(ws, "tracked.gen"), "regenerated\n");
      await Deno.remove(join(ws, "untracked.txt"));
      await Deno.writeTextFile(join(ws, "made.ts"), "made\n");
    });
    const result = await snapshots.undo();

    assertEquals(
      result,
      undone(1, ["a.ts", "tracked.gen", "untracked.txt"], ["made.ts"]),
    );
    // fingerprint first: `git status` below may refresh the user's index
    assertEquals(await fingerprint(join(ws, ".git")), files);
    assertEquals(await tree(ws), before);
    assertEquals(await git(ws, "status", "--porcelain=v1", "-z"), status);
    assertEquals(await git(ws, "rev-parse", "HEAD"), head);
  });
});

Deno.test("Snapshots ignores the user's global git config and GIT_* variables", async () => {
  await using home = await tempDir({
    ".gitconfig":
      "[core]\n\texcludesFile = ~/ignore-all\n\tautocrlf = true\n[commit]\n\tgpgSign = true\n",
    "ignore-all": "*\n",
  });
  await withStore({ "a.txt": "a\r\nb\n" }, async (ws, _default, store) => {
    const snapshots = new Snapshots({
      workspace: ws,
      storeDir: join(store, "s2"),
      env: {
        PATH: Deno.env.get("PATH") ?? "",
        HOME: home.path,
        GIT_CONFIG_GLOBAL: join(home.path, ".gitconfig"),
        GIT_DIR: join(home.path, "nope.git"),
        GIT_INDEX_FILE: join(home.path, "index"),
      },
    });
    await turn(
      snapshots,
      1,
      () => Deno.writeTextFile(join(ws, "a.txt"), "changed\n"),
    );
    assertEquals((await snapshots.undo())?.restored, ["a.txt"]);
    await snapshots.close();
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "a\r\nb\n");
    assertEquals(await tree(home.path), {
      ".gitconfig": await Deno.readTextFile(join(home.path, ".gitconfig")),
      "ignore-all": "*\n",
    });
  });
});

Deno.test("Snapshots keeps bytes exact when .gitattributes asks for line-ending conversion", async () => {
  const content = "one\r\ntwo\nthree\r\n";
  await withStore({
    ".gitattributes": "* text eol=crlf\n*.txt filter=nope\n",
    "a.txt": content,
    "b.md": "x\ny\n",
  }, async (ws, snapshots) => {
    await turn(snapshots, 1, async () => {
      await Deno.writeTextFile(join(ws, "a.txt"), "gone\n");
      await Deno.writeTextFile(join(ws, "b.md"), "gone\n");
    });
    await snapshots.undo();
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), content);
    assertEquals(await Deno.readTextFile(join(ws, "b.md")), "x\ny\n");
  });
});

Deno.test("Snapshots leaves nested repositories out, and never removes files inside them", async () => {
  await withStore(
    { "a.txt": "a\n", "vendor/lib/x.txt": "x\n" },
    async (ws, snapshots) => {
      await git(join(ws, "vendor/lib"), "init", "-q");
      await turn(snapshots, 1, async () => {
        await Deno.writeTextFile(join(ws, "a.txt"), "b\n");
        await Deno.writeTextFile(join(ws, "vendor/lib/y.txt"), "y\n");
      });
      assertEquals(await snapshots.undo(), undone(1, ["a.txt"], []));
      assertEquals(
        await Deno.readTextFile(join(ws, "vendor/lib/x.txt")),
        "x\n",
      );
      assertEquals(
        await Deno.readTextFile(join(ws, "vendor/lib/y.txt")),
        "y\n",
      );
    },
  );
});

Deno.test("Snapshots() leaves a store inside the workspace out of its own snapshots", async () => {
  await using ws = await tempDir({ "a.txt": "a\n" });
  const snapshots = new Snapshots({
    workspace: ws.path,
    storeDir: join(ws.path, ".local/store"),
  });
  await turn(snapshots, 1, async () => {
    await Deno.writeTextFile(join(ws.path, "a.txt"), "changed\n");
    await Deno.writeTextFile(join(ws.path, "new.txt"), "new\n");
  });
  const result = await snapshots.undo();
  await snapshots.close();
  assertEquals(result?.restored, ["a.txt"]);
  assertEquals(result?.removed, ["new.txt"]);
  assertEquals(await Deno.readTextFile(join(ws.path, "a.txt")), "a\n");
  // The store survived its own undo.
  assertEquals(
    (await Deno.stat(join(ws.path, ".local/store/repo.git/HEAD"))).isFile,
    true,
  );
  assertThrows(
    () => new Snapshots({ workspace: ws.path, storeDir: ws.path }),
    RangeError,
  );
  assertThrows(
    () =>
      new Snapshots({
        workspace: ws.path,
        storeDir: join(ws.path, "x"),
        session: "../up",
      }),
    RangeError,
  );
});

Deno.test("Snapshots.available() is false and ensure()/undo() do nothing when git is missing", async () => {
  await using ws = await tempDir({ "a.txt": "a" });
  await using store = await tempDir();
  const snapshots = new Snapshots({
    workspace: ws.path,
    storeDir: join(store.path, "s"),
    git: null,
  });
  assert(!snapshots.available());
  await snapshots.start();
  await snapshots.ensure(1);
  await snapshots.finish(1);
  assertEquals(await snapshots.undo(), null);
  await assertRejects(
    () => Deno.stat(join(store.path, "s")),
    Deno.errors.NotFound,
  );
});

Deno.test("Snapshots keep their store private (mode 0700)", async () => {
  await withStore(
    { ".env": "SECRET=1\n", "a.txt": "a\n" },
    async (ws, snapshots, store) => {
      await snapshots.start();
      await turn(
        snapshots,
        1,
        () => Deno.writeTextFile(join(ws, "a.txt"), "b\n"),
      );
      const info = await Deno.stat(join(store, "s1"));
      assertEquals(info.mode! & 0o777, 0o700);
    },
  );
});
