import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { pythonSandbox } from "../helpers/python.ts";
import { tempDir } from "../helpers/temp.ts";
import {
  assetFrame,
  PYODIDE_FILES,
  readPyodideFiles,
} from "../../src/sandbox/python/assets.ts";
import {
  defaultSnapshotDir,
  SnapshotCache,
} from "../../src/sandbox/python/snapshot_cache.ts";
import { paramsByName, paramsOf } from "../../src/sandbox/python/signatures.ts";

Deno.test("paramsOf() reads parameter lists from call forms, and gives up on odd ones", () => {
  assertEquals(paramsOf("read_file(path, offset?, limit?)"), [
    "path",
    "offset?",
    "limit?",
  ]);
  assertEquals(paramsOf("llm_query_batched(prompts)"), ["prompts"]);
  assertEquals(paramsOf("now()"), []);
  assertEquals(paramsOf("shout(...args)"), ["...args"]);
  assertEquals(paramsOf("typed(a: string, b = 2)"), ["a", "b"]);
  assertEquals(paramsOf("shout"), null);
  assertEquals(paramsOf("f({ a, b })"), null);
  assertEquals(paramsByName({ f: "f(x)", g: "weird" }), { f: ["x"] });
});

Deno.test("readPyodideFiles() reads the pinned package's files; a missing folder is one clear error", async () => {
  const { version, files } = await readPyodideFiles();
  assertEquals([...files.keys()], [...PYODIDE_FILES]);
  assert(/^\d+\.\d+\.\d+/.test(version), version);
  assert(files.get("pyodide.asm.wasm")!.length > 1_000_000);
  await using empty = await tempDir();
  const error = await assertRejects(() => readPyodideFiles(empty.path));
  assertStringIncludes(error.message, "Python cells need Pyodide's files");
  assertStringIncludes(error.message, "--repl js");
});

Deno.test("assetFrame() lays every file at a multiple of 8 after its header", () => {
  const files = new Map([
    ["a", new Uint8Array([1, 2, 3])],
    ["b", new Uint8Array([4, 5, 6, 7, 8, 9, 10, 11, 12])],
  ]);
  const snapshot = new Uint8Array(16).fill(7);
  const parts = assetFrame(files, snapshot, {
    cwd: "/w",
    heapBytes: 1 << 20,
    makeSnapshot: true,
  });
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  const headerLength = new DataView(bytes.buffer).getUint32(0);
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)),
  );
  assertEquals(header.files, [
    { name: "a", size: 3 },
    { name: "b", size: 9 },
    { name: "snapshot", size: 16 },
  ]);
  assertEquals([header.cwd, header.makeSnapshot], ["/w", true]);
  let offset = Math.ceil((4 + headerLength) / 8) * 8;
  for (const { name, size } of header.files) {
    assertEquals(offset % 8, 0);
    const expected = name === "snapshot" ? snapshot : files.get(name)!;
    assertEquals(bytes.subarray(offset, offset + size), expected);
    offset = Math.ceil((offset + size) / 8) * 8;
  }
});

Deno.test("SnapshotCache keeps one file per version, refuses what cannot be a snapshot, and is quiet on errors", async () => {
  assertEquals(
    defaultSnapshotDir((n) => ({ HOME: "/h" } as Record<string, string>)[n]),
    "/h/.cache/nanocode/python",
  );
  assertEquals(
    defaultSnapshotDir((n) =>
      ({ HOME: "/h", XDG_CACHE_HOME: "/c" } as Record<string, string>)[n]
    ),
    "/c/nanocode/python",
  );
  await using dir = await tempDir();
  const cache = new SnapshotCache(join(dir.path, "snaps"));
  assertEquals(await cache.read("1.0"), undefined);
  assertEquals(await cache.write("1.0", new Uint8Array(100)), false);
  const bytes = new Uint8Array(2 << 20).fill(3);
  assertEquals(await cache.write("1.0", bytes), true);
  assertEquals(await cache.read("1.0"), bytes);
  assertEquals(await cache.read("2.0"), undefined);
  assertStringIncludes(cache.path("../x")!, "pyodide-.._x-");
  const off = new SnapshotCache(undefined);
  assertEquals([off.enabled, await off.write("1.0", bytes)], [false, false]);
});

Deno.test("the first Python sandbox stores a snapshot and the next boots from it; a damaged one is replaced", async () => {
  await using dir = await tempDir();
  const snapshots = join(dir.path, "snapshots");
  // A damaged snapshot where the real one will go: Pyodide refuses it, the
  // sandbox boots cold and a good snapshot takes its place.
  const probe = pythonSandbox({ python: { snapshotDir: snapshots } });
  await probe.start();
  await probe.close();
  const [name] = [...Deno.readDirSync(snapshots)].map((e) => e.name)
    .filter((n) => n.endsWith(".snapshot"));
  assert(name?.endsWith(".snapshot"), name);
  const path = join(snapshots, name);
  const damaged = new Uint8Array((await Deno.stat(path)).size).fill(9);
  await Deno.writeFile(path, damaged);

  {
    await using sb = pythonSandbox({ python: { snapshotDir: snapshots } });
    assertEquals((await sb.run("import sys\nsys.version_info[0]")).value, "3");
  }
  await waitFor(async () =>
    !(await Deno.readFile(path)).every((b, i) => b === damaged[i])
  );
  const good = await Deno.stat(path);

  await using sb = pythonSandbox({ python: { snapshotDir: snapshots } });
  assertEquals(
    (await sb.run("'from the snapshot'")).value,
    "from the snapshot",
  );
  const after = await Deno.stat(path);
  assertEquals(after.mtime?.getTime(), good.mtime?.getTime(), "not rewritten");
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out waiting");
}
