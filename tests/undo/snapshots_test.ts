import {
  assert,
  assertEquals,
  assertRejects,
  assertThrows,
} from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { join } from "node:path";
import { Snapshots } from "../../src/undo/snapshots.ts";

const GIT_IDENTITY = ["-c", "user.name=Test", "-c", "user.email=t@example.com"];

async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: [...GIT_IDENTITY, ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

/** Every file below `root` (relative path -> content), folders as "dir/". */
async function tree(
  root: string,
  skip = ".git",
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string, prefix: string) {
    for await (const entry of Deno.readDir(dir)) {
      const rel = prefix + entry.name;
      if (rel === skip) continue;
      if (entry.isDirectory) {
        out[`${rel}/`] = "";
        await walk(join(dir, entry.name), `${rel}/`);
      } else if (entry.isSymlink) {
        out[rel] = `-> ${await Deno.readLink(join(dir, entry.name))}`;
      } else {
        out[rel] = await Deno.readTextFile(join(dir, entry.name));
      }
    }
  }
  await walk(root, "");
  return Object.fromEntries(Object.entries(out).sort());
}

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

async function withStore(
  files: Record<string, string | Uint8Array>,
  fn: (ws: string, snapshots: Snapshots, store: string) => Promise<void>,
): Promise<void> {
  await using ws = await tempDir(files);
  await using store = await tempDir();
  const snapshots = new Snapshots({
    workspace: ws.path,
    storeDir: join(store.path, "s1"),
  });
  await fn(ws.path, snapshots, store.path);
}

Deno.test("Snapshots.undo() restores edited, deleted and chmod'ed files and removes created ones", async () => {
  await withStore({
    "a.ts": "one\n",
    "src/b.ts": "two\n",
    "run.sh": "#!/bin/sh\n",
  }, async (ws, snapshots) => {
    await Deno.chmod(join(ws, "run.sh"), 0o644);
    const before = await tree(ws);
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.ts"), "ONE\n");
    await Deno.remove(join(ws, "src/b.ts"));
    await Deno.chmod(join(ws, "run.sh"), 0o755);
    await Deno.mkdir(join(ws, "new/deep"), { recursive: true });
    await Deno.writeTextFile(join(ws, "new/deep/c.ts"), "three\n");
    await Deno.writeTextFile(join(ws, "d.ts"), "four\n");
    const result = await snapshots.undo();
    assertEquals(result, {
      turn: 1,
      restored: ["a.ts", "run.sh", "src/b.ts"],
      removed: ["d.ts", "new/deep/c.ts"],
    });
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
    await snapshots.ensure(1);
    // what `run_bash("rm -rf lib keep.txt")` does
    await Deno.remove(join(ws, "lib"), { recursive: true });
    await Deno.remove(join(ws, "keep.txt"));
    const result = await snapshots.undo();
    assertEquals(result?.restored, ["keep.txt", "lib/sub/y.ts", "lib/x.ts"]);
    assertEquals(result?.removed, []);
    assertEquals(await tree(ws), before);
  });
});

Deno.test("Snapshots.undo() goes one turn further back on each call, then returns null", async () => {
  await withStore({ "a.txt": "v0\n" }, async (ws, snapshots) => {
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.txt"), "v1\n");
    await Deno.writeTextFile(join(ws, "t1.txt"), "turn 1\n");
    await snapshots.ensure(2);
    await Deno.writeTextFile(join(ws, "a.txt"), "v2\n");
    await Deno.writeTextFile(join(ws, "t2.txt"), "turn 2\n");
    assertEquals(await snapshots.turns(), [1, 2]);

    const second = await snapshots.undo();
    assertEquals(second, { turn: 2, restored: ["a.txt"], removed: ["t2.txt"] });
    assertEquals(await tree(ws), { "a.txt": "v1\n", "t1.txt": "turn 1\n" });

    const first = await snapshots.undo();
    assertEquals(first, { turn: 1, restored: ["a.txt"], removed: ["t1.txt"] });
    assertEquals(await tree(ws), { "a.txt": "v0\n" });

    assertEquals(await snapshots.undo(), null);
    assertEquals(await snapshots.turns(), []);
  });
});

Deno.test("Snapshots.ensure() snapshots only once when called again for the same turn", async () => {
  await withStore({ "a.txt": "v0\n" }, async (ws, snapshots) => {
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.txt"), "v1\n");
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.txt"), "v2\n");
    assertEquals(await snapshots.turns(), [1]);
    await snapshots.undo();
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "v0\n");
  });
});

Deno.test("Snapshots.undo() returns null when nothing was snapshotted", async () => {
  await withStore({ "a.txt": "x" }, async (_ws, snapshots) => {
    assertEquals(await snapshots.undo(), null);
  });
});

Deno.test("Snapshots.undo() leaves ignored files alone when the workspace has a .gitignore", async () => {
  await withStore({
    ".gitignore": "*.log\nbuild/\n",
    "a.ts": "a\n",
    "old.log": "old log\n",
  }, async (ws, snapshots) => {
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "old.log"), "changed log\n");
    await Deno.writeTextFile(join(ws, "new.log"), "new log\n");
    await Deno.mkdir(join(ws, "build"));
    await Deno.writeTextFile(join(ws, "build/out.js"), "out\n");
    await Deno.writeTextFile(join(ws, "a.ts"), "A\n");
    const result = await snapshots.undo();
    assertEquals(result, { turn: 1, restored: ["a.ts"], removed: [] });
    assertEquals(await tree(ws), {
      ".gitignore": "*.log\nbuild/\n",
      "a.ts": "a\n",
      "build/": "",
      "build/out.js": "out\n",
      "new.log": "new log\n",
      "old.log": "changed log\n",
    });
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
    await snapshots.ensure(1);
    await Deno.writeFile(join(ws, "bin.dat"), new Uint8Array([9, 9, 9]));
    for (const name of names) await Deno.remove(join(ws, name));
    await Deno.writeTextFile(join(ws, "new\nname ✓.txt"), "new\n");
    const result = await snapshots.undo();
    assertEquals(result?.restored, ["bin.dat", ...names].sort());
    assertEquals(result?.removed, ["new\nname ✓.txt"]);
    assertEquals(await tree(ws), before);
    assertEquals(await Deno.readFile(join(ws, "bin.dat")), binary);
  });
});

Deno.test("Snapshots.undo() works in an empty workspace", async () => {
  await withStore({}, async (ws, snapshots) => {
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.txt"), "a\n");
    assertEquals(await snapshots.undo(), {
      turn: 1,
      restored: [],
      removed: ["a.txt"],
    });
    assertEquals(await tree(ws), {});
    await snapshots.ensure(2);
    assertEquals(await snapshots.undo(), {
      turn: 2,
      restored: [],
      removed: [],
    });
  });
});

Deno.test("Snapshots.undo() keeps the state it undid in the store", async () => {
  await withStore({ "a.txt": "v0\n" }, async (ws, snapshots, store) => {
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.txt"), "v1\n");
    await snapshots.undo();
    const gitDir = `--git-dir=${join(store, "s1/repo.git")}`;
    const log = await git(store, gitDir, "log", "--format=%s", "snapshots");
    assertEquals(log, "before undo of turn 1\nturn 1\n");
    assertEquals(
      await git(store, gitDir, "show", "snapshots:a.txt"),
      "v1\n",
    );
  });
});

Deno.test("Snapshots never touches the user's repository when the workspace is a git repo", async () => {
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

    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.ts"), "turn 1\n");
    await Deno.writeTextFile(join(ws, "tracked.gen"), "regenerated\n");
    await Deno.remove(join(ws, "untracked.txt"));
    await Deno.writeTextFile(join(ws, "made.ts"), "made\n");
    const result = await snapshots.undo();

    assertEquals(result, {
      turn: 1,
      restored: ["a.ts", "tracked.gen", "untracked.txt"],
      removed: ["made.ts"],
    });
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
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.txt"), "changed\n");
    assertEquals((await snapshots.undo())?.restored, ["a.txt"]);
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
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.txt"), "gone\n");
    await Deno.writeTextFile(join(ws, "b.md"), "gone\n");
    await snapshots.undo();
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), content);
    assertEquals(await Deno.readTextFile(join(ws, "b.md")), "x\ny\n");
  });
});

Deno.test("Snapshots leaves nested repositories out instead of failing", async () => {
  await withStore(
    { "a.txt": "a\n", "vendor/lib/x.txt": "x\n" },
    async (ws, snapshots) => {
      await git(join(ws, "vendor/lib"), "init", "-q");
      await snapshots.ensure(1);
      await Deno.writeTextFile(join(ws, "a.txt"), "b\n");
      assertEquals(await snapshots.undo(), {
        turn: 1,
        restored: ["a.txt"],
        removed: [],
      });
      assertEquals(
        await Deno.readTextFile(join(ws, "vendor/lib/x.txt")),
        "x\n",
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
  await snapshots.ensure(1);
  await Deno.writeTextFile(join(ws.path, "a.txt"), "changed\n");
  await Deno.writeTextFile(join(ws.path, "new.txt"), "new\n");
  const result = await snapshots.undo();
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
  await snapshots.ensure(1);
  assertEquals(await snapshots.undo(), null);
  await assertRejects(
    () => Deno.stat(join(store.path, "s")),
    Deno.errors.NotFound,
  );
});

Deno.test("Snapshots.undo() works from a new instance over the same store (a resumed session)", async () => {
  await withStore({ "a.txt": "v0\n" }, async (ws, snapshots) => {
    await snapshots.ensure(1);
    await Deno.writeTextFile(join(ws, "a.txt"), "v1\n");
    const again = new Snapshots({
      workspace: ws,
      storeDir: snapshots.storeDir,
    });
    assertEquals(await again.turns(), [1]);
    assertEquals((await again.undo())?.restored, ["a.txt"]);
    assertEquals(await Deno.readTextFile(join(ws, "a.txt")), "v0\n");
  });
});
