import { join } from "node:path";
import { assertEquals, assertRejects } from "./_assert.ts";
import { writeFileTool } from "../../src/tools/write_file.ts";
import { countLines, plural } from "../../src/tools/text.ts";
import { withWorkspace } from "./_helpers.ts";

Deno.test("write_file() creates parent folders and reports lines and bytes", async () => {
  await withWorkspace(async (ws, context) => {
    assertEquals(
      await writeFileTool.run(["src/deep/a.ts", "one\ntwo\n"], context),
      "ok: wrote 2 lines (8 bytes) to src/deep/a.ts",
    );
    assertEquals(
      await Deno.readTextFile(join(ws, "src/deep/a.ts")),
      "one\ntwo\n",
    );
  });
});

Deno.test("write_file() counts a last line without a newline", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(
      await writeFileTool.run(["a.txt", "one\ntwo"], context),
      "ok: wrote 2 lines (7 bytes) to a.txt",
    );
    assertEquals(
      await writeFileTool.run(["b.txt", "x"], context),
      "ok: wrote 1 line (1 byte) to b.txt",
    );
  });
});

Deno.test("write_file() writes an empty file when content is empty", async () => {
  await withWorkspace(async (ws, context) => {
    assertEquals(
      await writeFileTool.run([{ path: "e.txt", content: "" }], context),
      "ok: wrote 0 lines (0 bytes) to e.txt",
    );
    assertEquals(await Deno.readTextFile(join(ws, "e.txt")), "");
  });
});

Deno.test("write_file() counts bytes of UTF-8 text when it is not ASCII", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(
      await writeFileTool.run(["u.txt", "é😀\n"], context),
      "ok: wrote 1 line (7 bytes) to u.txt",
    );
  });
});

Deno.test("write_file() replaces an existing file and keeps its mode", async () => {
  await withWorkspace(async (ws, context) => {
    const path = join(ws, "x.sh");
    await Deno.writeTextFile(path, "old old old\n");
    await Deno.chmod(path, 0o700);
    await writeFileTool.run(["x.sh", "new\n"], context);
    assertEquals(await Deno.readTextFile(path), "new\n");
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o700);
  });
});

Deno.test("write_file() throws when the path is a directory", async () => {
  await withWorkspace(async (ws, context) => {
    await Deno.mkdir(join(ws, "src"));
    await assertRejects(
      () => writeFileTool.run(["src", "x"], context),
      Error,
      'Cannot write "src": it is a directory',
    );
  });
});

Deno.test("write_file() throws TypeError when content is not a string", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => writeFileTool.run(["a.txt", 5], context),
      TypeError,
      "write_file(path, content): content must be a string",
    );
  });
});

Deno.test("countLines() counts lines like the tools report them", () => {
  assertEquals(countLines(""), 0);
  assertEquals(countLines("\n"), 1);
  assertEquals(countLines("a"), 1);
  assertEquals(countLines("a\nb"), 2);
  assertEquals(countLines("a\r\nb\r\n"), 2);
  assertEquals(plural(0, "line"), "0 lines");
  assertEquals(plural(1, "line"), "1 line");
});

Deno.test({
  name:
    "write_file() refuses a read-only file and leaves it when not running as root",
  ignore: Deno.build.os === "windows" || Deno.uid() === 0,
  fn: () =>
    withWorkspace(async (ws, context) => {
      const path = join(ws, "ro.txt");
      await Deno.writeTextFile(path, "keep");
      await Deno.chmod(path, 0o444);
      await assertRejects(
        () => writeFileTool.run(["ro.txt", "new"], context),
        Error,
      );
      assertEquals(await Deno.readTextFile(path), "keep");
    }),
});
