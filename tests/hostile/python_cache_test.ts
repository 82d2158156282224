/**
 * A hostile Pyodide snapshot cache: another local user, or anything else
 * that can write where nanocode keeps snapshots, plants a file that is not
 * the snapshot nanocode stored (a FIFO that blocks a reader forever, a
 * symlink, a damaged copy, a file someone else owns). What a snapshot holds
 * runs in every later session's REPL, so only a file nanocode itself wrote,
 * intact, in a folder only its user can write, is ever used; anything else
 * means a cold start, never a hang or a crash.
 *
 * @module
 */

import { join } from "node:path";
import { assert, assertEquals } from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { SnapshotCache } from "../../src/sandbox/python/snapshot_cache.ts";

const VERSION = "314.0.7-test";

/** Bytes shaped like a snapshot (Pyodide's are tens of MiB, a multiple of 4). */
function snapshotBytes(fill = 5): Uint8Array {
  const bytes = new Uint8Array(2 << 20).fill(fill);
  bytes[12345] = 1;
  return bytes;
}

/** What read() gave, in a form whose failure message stays short. */
async function readBack(cache: SnapshotCache): Promise<string> {
  const bytes = await cache.read(VERSION);
  if (!bytes) return "nothing";
  const expected = snapshotBytes();
  return bytes.length === expected.length &&
      bytes.every((b, i) => b === expected[i])
    ? "the snapshot"
    : `${bytes.length} other bytes`;
}

/** A stored snapshot's path, after nanocode wrote it there. */
async function stored(cache: SnapshotCache): Promise<string> {
  assert(await cache.write(VERSION, snapshotBytes()), "stored");
  return cache.path(VERSION)!;
}

const isRoot = Deno.uid() === 0;

Deno.test("hostile: a FIFO planted at the snapshot's path is skipped, not read (a reader would wait forever)", async () => {
  await using dir = await tempDir();
  const cache = new SnapshotCache(join(dir.path, "python"));
  const path = await stored(cache);
  await Deno.remove(path);
  const made = await new Deno.Command("mkfifo", { args: [path] }).output();
  assert(made.success, "mkfifo");
  // Liveness, not speed: a correct read returns at once; a blocked one
  // would never return (it is released below so the test can end).
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) => {
    timer = setTimeout(() => resolve("hung"), 20_000);
  });
  const reading = cache.read(VERSION);
  const outcome = await Promise.race([reading, hung]);
  clearTimeout(timer);
  if (outcome === "hung") {
    // A writer that opens and closes the FIFO releases the reader.
    await new Deno.Command("timeout", {
      args: ["5", "sh", "-c", 'exec 3>"$0"', path],
    }).output();
  }
  assert(outcome !== "hung", "read() blocked on a FIFO");
  assertEquals(outcome, undefined);
});

Deno.test("hostile: a snapshot path that is a symlink is not followed, even to a real snapshot", async () => {
  await using dir = await tempDir();
  const cache = new SnapshotCache(join(dir.path, "python"));
  const path = await stored(cache);
  const elsewhere = join(dir.path, "planted.snapshot");
  await Deno.rename(path, elsewhere);
  await Deno.symlink(elsewhere, path);
  assertEquals(await readBack(cache), "nothing");
});

Deno.test("hostile: a damaged or truncated snapshot is refused (its checksum no longer matches)", async () => {
  await using dir = await tempDir();
  const cache = new SnapshotCache(join(dir.path, "python"));
  const path = await stored(cache);
  assertEquals(await readBack(cache), "the snapshot");
  const good = await Deno.readFile(path);

  const flipped = good.slice();
  flipped[1 << 20] ^= 0x40;
  await Deno.writeFile(path, flipped);
  assertEquals(await readBack(cache), "nothing", "one flipped bit");

  await Deno.writeFile(path, good.subarray(0, good.length - 4096));
  assertEquals(await readBack(cache), "nothing", "cut short");

  // A new good snapshot replaces it.
  assert(await cache.write(VERSION, snapshotBytes()));
  assertEquals(await readBack(cache), "the snapshot");
});

Deno.test("hostile: the snapshot folder is private (0700, files 0600), and one others can write is not used", async () => {
  await using dir = await tempDir();
  const folder = join(dir.path, "cache", "nanocode", "python");
  const cache = new SnapshotCache(folder);
  const path = await stored(cache);
  assertEquals((await Deno.stat(folder)).mode! & 0o777, 0o700);
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);

  // A group- or world-writable file: someone else may have written it.
  await Deno.chmod(path, 0o666);
  assertEquals(await readBack(cache), "nothing", "a file others can write");
  await Deno.chmod(path, 0o600);
  assertEquals(await readBack(cache), "the snapshot");

  // nanocode's own folder with loose modes (an older nanocode, umask 002)
  // is tightened, not abandoned.
  await Deno.chmod(folder, 0o775);
  assertEquals(await readBack(cache), "the snapshot");
  assertEquals((await Deno.stat(folder)).mode! & 0o777, 0o700);
});

Deno.test({
  name:
    "hostile: a snapshot or folder owned by another user is never used or written",
  ignore: !isRoot,
  async fn() {
    if (!isRoot) console.log("skipped: needs root to chown to another user");
    await using dir = await tempDir();
    const folder = join(dir.path, "python");
    const cache = new SnapshotCache(folder);
    const path = await stored(cache);
    await Deno.chown(path, 65534, 65534);
    assertEquals(await readBack(cache), "nothing", "someone else's file");
    await Deno.chown(path, 0, 0);
    assertEquals(await readBack(cache), "the snapshot");

    await Deno.chown(folder, 65534, 65534);
    assertEquals(await readBack(cache), "nothing", "someone else's folder");
    assertEquals(await cache.write(VERSION, snapshotBytes(7)), false);
    assertEquals((await Deno.stat(folder)).mode! & 0o777, 0o700);
  },
});

Deno.test("hostile: leftovers of writes that never finished are cleared by the next write", async () => {
  await using dir = await tempDir();
  const folder = join(dir.path, "python");
  const cache = new SnapshotCache(folder);
  const path = await stored(cache);
  const stale = `${path}.deadbeef.tmp`;
  const fresh = `${path}.cafebabe.tmp`;
  await Deno.writeFile(stale, new Uint8Array(1024));
  await Deno.writeFile(fresh, new Uint8Array(1024));
  const dayAgo = new Date(Date.now() - 24 * 3600_000);
  await Deno.utime(stale, dayAgo, dayAgo);
  assert(await cache.write(VERSION, snapshotBytes(6)));
  const names = [...Deno.readDirSync(folder)].map((e) => e.name).sort();
  assertEquals(names, [
    `${path.split("/").pop()}`,
    `${fresh.split("/").pop()}`,
  ]);
});
