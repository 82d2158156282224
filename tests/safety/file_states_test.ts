import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { FileStateTracker } from "../../src/safety/file_states.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

async function recordNow(files: FileStateTracker, path: string) {
  await files.record(path, await Deno.readFile(path));
}

Deno.test("FileStateTracker.check() passes when the file is unchanged since it was recorded", async () => {
  await using dir = await tempDir({ "a.ts": "one\n" });
  const files = new FileStateTracker();
  await recordNow(files, dir.file("a.ts"));
  await files.check(dir.file("a.ts"), "a.ts");
});

Deno.test("FileStateTracker.check() passes when the file was never recorded", async () => {
  await using dir = await tempDir({ "a.ts": "one\n" });
  const files = new FileStateTracker();
  await files.check(dir.file("a.ts"), "a.ts");
  await files.check(dir.file("missing.ts"), "missing.ts");
});

Deno.test("FileStateTracker.check() throws naming the path and the remedy when the size changed", async () => {
  await using dir = await tempDir({ "a.ts": "one\n" });
  const files = new FileStateTracker();
  await recordNow(files, dir.file("a.ts"));
  await Deno.writeTextFile(dir.file("a.ts"), "one two\n");
  await assertRejects(
    () => files.check(dir.file("a.ts"), "a.ts"),
    Error,
    'Cannot change "a.ts": it changed on disk since you last read it; read it again first',
  );
});

Deno.test("FileStateTracker.check() throws when only the content changed (same size and mtime)", async () => {
  await using dir = await tempDir({ "a.ts": "one\n" });
  const path = dir.file("a.ts");
  await Deno.utime(path, 1_000_000, 1_000_000);
  const files = new FileStateTracker();
  await recordNow(files, path);
  await Deno.writeTextFile(path, "two\n");
  await Deno.utime(path, 1_000_000, 1_000_000);
  await assertRejects(
    () => files.check(path, "a.ts"),
    Error,
    "changed on disk since you last read it",
  );
});

Deno.test("FileStateTracker.check() throws when only the mtime changed", async () => {
  await using dir = await tempDir({ "a.ts": "one\n" });
  const path = dir.file("a.ts");
  await Deno.utime(path, 1_000_000, 1_000_000);
  const files = new FileStateTracker();
  await recordNow(files, path);
  await Deno.utime(path, 2_000_000, 2_000_000);
  await assertRejects(() => files.check(path, "a.ts"), Error, "a.ts");
});

Deno.test("FileStateTracker.check() throws when the file was deleted since it was recorded", async () => {
  await using dir = await tempDir({ "a.ts": "one\n" });
  const files = new FileStateTracker();
  await recordNow(files, dir.file("a.ts"));
  await Deno.remove(dir.file("a.ts"));
  const error = await assertRejects(
    () => files.check(dir.file("a.ts"), "a.ts"),
    Error,
    'Cannot change "a.ts": it was deleted since you last read it',
  );
  assertStringIncludes(error.message, "read it again");
});

Deno.test("FileStateTracker.check() passes after record() of the new bytes when the file was rewritten", async () => {
  await using dir = await tempDir({ "a.ts": "one\n" });
  const files = new FileStateTracker();
  await recordNow(files, dir.file("a.ts"));
  await Deno.writeFile(dir.file("a.ts"), bytes("three\n"));
  await files.record(dir.file("a.ts"), bytes("three\n"));
  await files.check(dir.file("a.ts"), "a.ts");
});

Deno.test("FileStateTracker.check() follows symlinks when a file is recorded through a link", async () => {
  await using dir = await tempDir({ "real.ts": "one\n" });
  await Deno.symlink(dir.file("real.ts"), dir.file("link.ts"));
  const files = new FileStateTracker();
  await recordNow(files, dir.file("link.ts"));
  await files.check(dir.file("real.ts"), "real.ts");
  await Deno.writeTextFile(dir.file("real.ts"), "changed!\n");
  await assertRejects(() => files.check(dir.file("real.ts"), "real.ts"), Error);
  await assertRejects(() => files.check(dir.file("link.ts"), "link.ts"), Error);
});

Deno.test("FileStateTracker.check() records the state seen, so a change made between read and record fails", async () => {
  await using dir = await tempDir({ "a.ts": "one\n" });
  const files = new FileStateTracker();
  const read = await Deno.readFile(dir.file("a.ts"));
  await Deno.writeTextFile(dir.file("a.ts"), "two\n");
  await files.record(dir.file("a.ts"), read);
  await assertRejects(() => files.check(dir.file("a.ts"), "a.ts"), Error);
});

Deno.test("FileStateTracker.lock() runs calls for one path one after another, in order", async () => {
  await using dir = await tempDir({ "a.ts": "" });
  const files = new FileStateTracker();
  const events: string[] = [];
  let active = 0;
  const task = (name: string, ms: number) =>
    files.lock(dir.file("a.ts"), async () => {
      active++;
      assertEquals(active, 1, "two holders at once");
      events.push(`start ${name}`);
      await new Promise((done) => setTimeout(done, ms));
      events.push(`end ${name}`);
      active--;
      return name;
    });
  const results = await Promise.all([
    task("1", 20),
    task("2", 0),
    task("3", 5),
  ]);
  assertEquals(results, ["1", "2", "3"]);
  assertEquals(events, [
    "start 1",
    "end 1",
    "start 2",
    "end 2",
    "start 3",
    "end 3",
  ]);
  assertEquals(files.lockedPaths, 0);
});

Deno.test("FileStateTracker.lock() releases the lock when the function throws", async () => {
  await using dir = await tempDir({ "a.ts": "" });
  const files = new FileStateTracker();
  const first = files.lock(
    dir.file("a.ts"),
    () => Promise.reject(new Error("boom")),
  );
  const second = files.lock(dir.file("a.ts"), () => Promise.resolve("ran"));
  await assertRejects(() => first, Error, "boom");
  assertEquals(await second, "ran");
  assertEquals(files.lockedPaths, 0);
});

Deno.test("FileStateTracker.lock() lets different paths run at the same time", async () => {
  await using dir = await tempDir({ "a.ts": "", "b.ts": "" });
  const files = new FileStateTracker();
  let release!: () => void;
  const gate = new Promise<void>((done) => release = done);
  const a = files.lock(dir.file("a.ts"), () => gate);
  const b = await files.lock(dir.file("b.ts"), () => Promise.resolve("b"));
  assertEquals(b, "b");
  assertEquals(files.lockedPaths, 1);
  release();
  await a;
  assertEquals(files.lockedPaths, 0);
});

Deno.test("FileStateTracker.lock() treats a symlink and its target as one path", async () => {
  await using dir = await tempDir({ "real.ts": "" });
  await Deno.symlink(dir.file("real.ts"), dir.file("link.ts"));
  const files = new FileStateTracker();
  const order: string[] = [];
  await Promise.all([
    files.lock(dir.file("link.ts"), async () => {
      await new Promise((done) => setTimeout(done, 10));
      order.push("link");
    }),
    files.lock(dir.file("real.ts"), () => {
      order.push("real");
      return Promise.resolve();
    }),
  ]);
  assertEquals(order, ["link", "real"]);
  assert(files.lockedPaths === 0);
});
