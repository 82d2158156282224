import { join } from "node:path";
import { assertEquals, assertRejects } from "./_assert.ts";
import { atomicWrite } from "../../src/tools/atomic_write.ts";
import { withWorkspace } from "./_helpers.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("atomicWrite() creates parent folders and leaves no temp file", async () => {
  await withWorkspace(async (ws) => {
    await atomicWrite(join(ws, "a/b/c.txt"), bytes("hi"));
    assertEquals(await Deno.readTextFile(join(ws, "a/b/c.txt")), "hi");
    const names = [];
    for await (const e of Deno.readDir(join(ws, "a/b"))) names.push(e.name);
    assertEquals(names, ["c.txt"]);
  });
});

Deno.test("atomicWrite() keeps the mode of an existing file", async () => {
  await withWorkspace(async (ws) => {
    const path = join(ws, "run.sh");
    await Deno.writeTextFile(path, "old");
    await Deno.chmod(path, 0o751);
    await atomicWrite(path, bytes("new"));
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o751);
    assertEquals(await Deno.readTextFile(path), "new");
  });
});

Deno.test("atomicWrite() replaces a symlink at the path instead of writing through it", async () => {
  await withWorkspace(async (ws) => {
    await Deno.writeTextFile(join(ws, "target.txt"), "old");
    await Deno.symlink(join(ws, "target.txt"), join(ws, "link.txt"));
    await atomicWrite(join(ws, "link.txt"), bytes("new"));
    assertEquals((await Deno.lstat(join(ws, "link.txt"))).isSymlink, false);
    assertEquals(await Deno.readTextFile(join(ws, "link.txt")), "new");
    assertEquals(await Deno.readTextFile(join(ws, "target.txt")), "old");
  });
});

Deno.test("atomicWrite() refuses a directory and removes its temp file", async () => {
  await withWorkspace(async (ws) => {
    await Deno.mkdir(join(ws, "d"));
    await assertRejects(
      () => atomicWrite(join(ws, "d"), bytes("x")),
      Deno.errors.IsADirectory,
    );
    const names = [];
    for await (const e of Deno.readDir(ws)) names.push(e.name);
    assertEquals(names, ["d"]);
  });
});
