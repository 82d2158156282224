import { join } from "node:path";
import { assertEquals, assertRejects } from "./_assert.ts";
import { editFileTool } from "../../src/tools/edit_file.ts";
import { withWorkspace, writeTree } from "./_helpers.ts";

const bytesOf = (s: string) => new TextEncoder().encode(s);

async function assertUnchanged(path: string, before: Uint8Array) {
  assertEquals(await Deno.readFile(path), before);
}

Deno.test("edit_file() replaces a unique exact match", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "a.ts": "let x = 1;\nlet y = 2;\n" });
    assertEquals(
      await editFileTool.run(["a.ts", "let x = 1;", "let x = 10;"], context),
      "ok: replaced 1 occurrence in a.ts",
    );
    assertEquals(
      await Deno.readTextFile(join(ws, "a.ts")),
      "let x = 10;\nlet y = 2;\n",
    );
  });
});

Deno.test("edit_file() inserts replacement text literally when it contains $ patterns", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "a.ts": "price\n" });
    await editFileTool.run(["a.ts", "price", "$& $1 $$"], context);
    assertEquals(await Deno.readTextFile(join(ws, "a.ts")), "$& $1 $$\n");
  });
});

Deno.test("edit_file() throws with the count when text appears several times", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "a.ts": "x\nx\nx\n" });
    const before = await Deno.readFile(join(ws, "a.ts"));
    await assertRejects(
      () => editFileTool.run(["a.ts", "x", "y"], context),
      Error,
      'Cannot edit file "a.ts": text appears 3 times; add surrounding lines to make it unique, or pass replace_all=true',
    );
    await assertUnchanged(join(ws, "a.ts"), before);
  });
});

Deno.test("edit_file() replaces every occurrence when replace_all is true", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "a.ts": "x\nx\nx\n" });
    assertEquals(
      await editFileTool.run([{
        path: "a.ts",
        old: "x",
        new: "yy",
        replace_all: true,
      }], context),
      "ok: replaced 3 occurrences in a.ts",
    );
    assertEquals(await Deno.readTextFile(join(ws, "a.ts")), "yy\nyy\nyy\n");
  });
});

Deno.test("edit_file() throws and leaves the file when the text is not found", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "a.ts": "let x = 1;\n" });
    const before = await Deno.readFile(join(ws, "a.ts"));
    await assertRejects(
      () => editFileTool.run(["a.ts", "let  x = 1;", "z"], context),
      Error,
      'Cannot edit file "a.ts": the text to replace was not found; read the file again and copy the text exactly, whitespace included',
    );
    await assertRejects(
      () => editFileTool.run(["a.ts", "nope", "z", true], context),
      Error,
      'Cannot edit file "a.ts": the text to replace was not found; read the file again and copy the text exactly, whitespace included',
    );
    await assertUnchanged(join(ws, "a.ts"), before);
  });
});

Deno.test("edit_file() throws when old is empty or equal to new", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "a.ts": "a\n" });
    await assertRejects(
      () => editFileTool.run(["a.ts", "", "b"], context),
      Error,
      'Cannot edit file "a.ts": the text to replace is empty; pass the exact text to change, or use write_file to replace the whole file',
    );
    await assertRejects(
      () => editFileTool.run(["a.ts", "a", "a"], context),
      Error,
      'Cannot edit file "a.ts": the old and new text are identical; nothing to change',
    );
    assertEquals(await Deno.readTextFile(join(ws, "a.ts")), "a\n");
  });
});

Deno.test("edit_file() throws when the file is missing or a directory", async () => {
  await withWorkspace(async (ws, context) => {
    await Deno.mkdir(join(ws, "src"));
    await assertRejects(
      () => editFileTool.run(["nope.ts", "a", "b"], context),
      Error,
      'Cannot edit file "nope.ts": no such file; use write_file to create it',
    );
    await assertRejects(
      () => editFileTool.run(["src", "a", "b"], context),
      Error,
      'Cannot edit file "src": it is a directory',
    );
  });
});

Deno.test("edit_file() matches \\n text in a CRLF file and writes \\r\\n", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "w.txt": "one\r\ntwo\r\nthree\r\n" });
    await editFileTool.run(["w.txt", "one\ntwo\n", "uno\ndos\nmas\n"], context);
    assertEquals(
      await Deno.readTextFile(join(ws, "w.txt")),
      "uno\r\ndos\r\nmas\r\nthree\r\n",
    );
  });
});

Deno.test("edit_file() keeps \\n endings in an LF file when old uses \\r\\n", async () => {
  await withWorkspace(async (ws, context) => {
    await writeTree(ws, { "u.txt": "one\ntwo\n" });
    await editFileTool.run(["u.txt", "one\r\ntwo", "1\r\n2"], context);
    assertEquals(await Deno.readTextFile(join(ws, "u.txt")), "1\n2\n");
  });
});

Deno.test("edit_file() keeps a UTF-8 BOM byte for byte", async () => {
  await withWorkspace(async (ws, context) => {
    const path = join(ws, "bom.txt");
    await Deno.writeFile(
      path,
      new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf("héllo\n")]),
    );
    await editFileTool.run(["bom.txt", "héllo", "wörld"], context);
    assertEquals(
      await Deno.readFile(path),
      new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf("wörld\n")]),
    );
  });
});

Deno.test("edit_file() refuses UTF-16 and invalid UTF-8 files and leaves them", async () => {
  await withWorkspace(async (ws, context) => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x61, 0, 0x0a, 0]);
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]);
    await writeTree(ws, { "u16.txt": utf16, "l1.txt": latin1 });
    await assertRejects(
      () => editFileTool.run(["u16.txt", "a", "b"], context),
      Error,
      'Cannot edit file "u16.txt": it is UTF-16 text; only UTF-8 files can be edited (convert it with run_bash, e.g. iconv)',
    );
    await assertRejects(
      () => editFileTool.run(["l1.txt", "caf", "x"], context),
      Error,
      'Cannot edit file "l1.txt": it is not valid UTF-8 text; only UTF-8 files can be edited (use run_bash for other encodings)',
    );
    await assertUnchanged(join(ws, "u16.txt"), utf16);
    await assertUnchanged(join(ws, "l1.txt"), latin1);
  });
});

Deno.test("edit_file() keeps the file mode when it edits", async () => {
  await withWorkspace(async (ws, context) => {
    const path = join(ws, "x.sh");
    await Deno.writeTextFile(path, "echo a\n");
    await Deno.chmod(path, 0o755);
    await editFileTool.run(["x.sh", "a", "b"], context);
    assertEquals((await Deno.stat(path)).mode! & 0o777, 0o755);
    assertEquals(await Deno.readTextFile(path), "echo b\n");
  });
});

Deno.test("edit_file() throws TypeError when replace_all is not a boolean", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => editFileTool.run(["a", "b", "c", "yes"], context),
      TypeError,
      "edit_file(path, old, new, replace_all?): replace_all must be a boolean",
    );
  });
});
