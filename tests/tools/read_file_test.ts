import { join } from "node:path";
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { MAX_RESULT_BYTES, readFileTool } from "../../src/tools/read_file.ts";
import { FileStateTracker } from "../../src/safety/file_states.ts";
import { editFileTool } from "../../src/tools/edit_file.ts";
import { withContext, withWorkspace, writeTree } from "./_helpers.ts";

const numbered = (from: number, lines: string[]) =>
  lines.map((l, i) => `${String(from + i).padStart(4)}| ${l}`).join("\n");

Deno.test("read_file() numbers lines from 1 with a padded gutter", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "a.ts": "const a = 1;\n\n  indented\n" });
    assertEquals(
      await readFileTool.run(["a.ts"], context),
      "   1| const a = 1;\n   2| \n   3|   indented",
    );
  });
});

Deno.test("read_file() shows a last line without a newline", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "a.txt": "x\ny" });
    assertEquals(
      await readFileTool.run(["a.txt"], context),
      "   1| x\n   2| y",
    );
  });
});

Deno.test("read_file() pages with a 0-based offset and a limit and hints how to continue", async () => {
  await withWorkspace(async (ws, context) => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`);
    await writeTree(ws, { "a.txt": lines.join("\n") + "\n" });
    assertEquals(
      await readFileTool.run(["a.txt", 2, 3], context),
      numbered(3, lines.slice(2, 5)) +
        '\n... (showing lines 3-5; more follow: call read_file("a.txt", 5, 3) to continue)',
    );
    assertEquals(
      await readFileTool.run([{ path: "a.txt", offset: 8 }], context),
      numbered(9, lines.slice(8)),
    );
    // The last page: no hint, whether or not the file ends with a newline.
    assertEquals(
      await readFileTool.run(["a.txt", 7, 3], context),
      numbered(8, lines.slice(7)),
    );
  });
});

Deno.test("read_file() returns every line of a long file when no limit is given", async () => {
  await withWorkspace(async (ws, context) => {
    const lines = Array.from({ length: 5000 }, (_, i) => String(i));
    await writeTree(ws, { "big.txt": lines.join("\n") });
    const out = await readFileTool.run(["big.txt"], context);
    assertEquals(out, numbered(1, lines));
  });
});

Deno.test("read_file() returns a long line whole so code can parse it", async () => {
  await withWorkspace(async (ws, context) => {
    const data = {
      items: Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `n${i}` })),
    };
    const json = JSON.stringify(data);
    assert(json.length > 60_000);
    await writeTree(ws, { "data.json": json });
    const out = await readFileTool.run(["data.json"], context);
    assertEquals(JSON.parse(out.slice("   1| ".length)), data);
  });
});

Deno.test("read_file() throws a clear error past MAX_RESULT_BYTES and reads the file in parts", async () => {
  await withWorkspace(async (ws, context) => {
    const line = "z".repeat(99);
    const count = MAX_RESULT_BYTES / 100 + 500_000 / 100;
    await writeTree(ws, { "huge.log": `${line}\n`.repeat(count) });
    await assertRejects(
      () => readFileTool.run(["huge.log"], context),
      Error,
      'Cannot read "huge.log" whole: it is 8.5 MB, more than the 8 MB read_file returns at once; read it in parts with read_file("huge.log", offset, limit), e.g. read_file("huge.log", 0, 1000), or search it with grep_files',
    );
    await assertRejects(
      () => readFileTool.run(["huge.log", 1], context),
      Error,
      'Cannot read "huge.log" from line 2: the lines asked for come to more than the 8 MB read_file returns at once; pass a limit, e.g. read_file("huge.log", 1, 1000), or search it with grep_files',
    );
    assertEquals(
      await readFileTool.run(["huge.log", 0, 2], context),
      numbered(1, [line, line]) +
        '\n... (showing lines 1-2; more follow: call read_file("huge.log", 2, 2) to continue)',
    );
    assertEquals(
      await readFileTool.run(["huge.log", count - 1, 5], context),
      numbered(count, [line]),
    );
  });
});

Deno.test("read_file() with a limit records what it read by size and time, so a later change is caught", async () => {
  await withWorkspace(async (ws, base) => {
    const context = withContext(base, { files: new FileStateTracker() });
    await writeTree(ws, { "a.txt": "one\ntwo\nthree\n" });
    await readFileTool.run(["a.txt", 0, 1], context);
    assertEquals(
      await editFileTool.run(["a.txt", "one", "uno"], context),
      "ok: replaced 1 occurrence in a.txt",
    );
    await readFileTool.run(["a.txt", 0, 1], context);
    await Deno.writeTextFile(`${ws}/a.txt`, "four\n", { append: true });
    await assertRejects(
      () => editFileTool.run(["a.txt", "uno", "one"], context),
      Error,
      'Cannot change "a.txt": it changed on disk since you last read it; read it again first',
    );
  });
});

Deno.test("read_file() shows CRLF lines without the carriage return", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "w.txt": "a\r\nb\r\n" });
    assertEquals(
      await readFileTool.run(["w.txt"], context),
      "   1| a\n   2| b",
    );
  });
});

Deno.test("read_file() reports a binary file instead of dumping it", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, {
      "a.png": new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3, 4]),
      "latin1.txt": new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    });
    assertEquals(
      await readFileTool.run(["a.png"], context),
      "a.png is a binary file (10 bytes); not shown",
    );
    assertEquals(
      await readFileTool.run(["latin1.txt"], context),
      "latin1.txt is a binary file (5 bytes); not shown",
    );
  });
});

Deno.test("read_file() decodes UTF-8 with a BOM and UTF-16 with a BOM", async () => {
  await withWorkspace(async (ws, context) => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x68, 0, 0x69, 0, 0x0a, 0]);
    await writeTree(ws, {
      "bom.txt": new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69, 0x0a]),
      "u16.txt": utf16,
    });
    assertEquals(await readFileTool.run(["bom.txt"], context), "   1| hi");
    assertEquals(await readFileTool.run(["u16.txt"], context), "   1| hi");
  });
});

Deno.test("read_file() says (empty file) when the file is empty", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "e.txt": "" });
    assertEquals(await readFileTool.run(["e.txt"], context), "(empty file)");
  });
});

Deno.test("read_file() says so when offset is past the end", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "a.txt": "1\n2\n" });
    assertEquals(
      await readFileTool.run(["a.txt", 5], context),
      "(no lines at offset 5: the file has 2 lines)",
    );
  });
});

Deno.test("read_file() throws a hint when the path is a directory", async () => {
  await withWorkspace(async (ws, context) => {
    await Deno.mkdir(join(ws, "src"));
    await assertRejects(
      () => readFileTool.run(["src"], context),
      Error,
      'Cannot read "src": it is a directory; use glob_files("*", "src") to list it',
    );
  });
});

Deno.test("read_file() throws when the file does not exist", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => readFileTool.run(["x.ts"], context),
      Error,
      'Cannot read "x.ts": no such file',
    );
  });
});

Deno.test("read_file() throws TypeError when offset or limit is invalid", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => readFileTool.run(["a", -1], context),
      TypeError,
      "read_file(path, offset?, limit?): offset must be 0 or more",
    );
    await assertRejects(
      () => readFileTool.run(["a", 0, 0], context),
      TypeError,
      "read_file(path, offset?, limit?): limit must be 1 or more",
    );
    await assertRejects(
      () => readFileTool.run([1], context),
      TypeError,
      "read_file(path, offset?, limit?): path must be a string",
    );
  });
});

Deno.test("read_file() counts lines across chunk boundaries when the file is large", async () => {
  await withWorkspace(async (ws, context) => {
    const line = "y".repeat(99) + "\r";
    await writeTree(ws, { "big.txt": `${line}\n`.repeat(3000) });
    const out = await readFileTool.run(["big.txt", 2998], context);
    assertEquals(out, numbered(2999, ["y".repeat(99), "y".repeat(99)]));
  });
});

Deno.test("read_file() drops a carriage return split from its newline by a chunk boundary", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "edge.txt": "y".repeat(65535) + "\r\nnext\r\n" });
    assertEquals(
      await readFileTool.run(["edge.txt"], context),
      `   1| ${"y".repeat(65535)}\n   2| next`,
    );
  });
});

Deno.test({
  name: "read_file() throws when the path is a FIFO instead of blocking",
  ignore: Deno.build.os === "windows",
  fn: () =>
    withWorkspace(async (ws, context) => {
      const made = await new Deno.Command("mkfifo", {
        args: [join(ws, "pipe")],
      }).output();
      assert(made.success);
      await assertRejects(
        () => readFileTool.run(["pipe"], context),
        Error,
        'Cannot read "pipe": it is not a regular file',
      );
    }),
});
