/** Nothing lost: stale edits, encodings, full disks, undo. */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { exists, hostile } from "./_harness.ts";

Deno.test("hostile: a file the user edits between the model's read and its edit is not overwritten", async () => {
  let file = "";
  await using h = await hostile({
    mode: "yolo",
    files: { "a.txt": "version one\n" },
    sub: () => {
      Deno.writeTextFileSync(file, "user's version\n");
      return { text: "saved" };
    },
  });
  file = h.ws.file("a.txt");
  const [read, , edit] = await h.turn(
    "print(read_file('a.txt'))",
    // The user saves their own change while the model works.
    "print(llm_query('the user edits the file now'))",
    "print(edit_file('a.txt', 'one', 'model'))",
  );
  assertStringIncludes(read, "version one");
  assertStringIncludes(edit, "changed on disk since you last read it");
  assertEquals(await h.ws.read("a.txt"), "user's version\n");
});

Deno.test("hostile: two edits to one file in one cell both land", async () => {
  await using h = await hostile({
    mode: "yolo",
    files: { "a.txt": "alpha\nbeta\n" },
  });
  const [seen] = await h.turn(
    "read_file('a.txt')\nprint(edit_file('a.txt', 'alpha', 'ALPHA'))\nprint(edit_file('a.txt', 'beta', 'BETA'))",
  );
  assertStringIncludes(
    seen,
    "ok: replaced 1 occurrence in a.txt\nok: replaced 1 occurrence in a.txt",
  );
  assertEquals(await h.ws.read("a.txt"), "ALPHA\nBETA\n");
});

Deno.test("hostile: non-UTF-8 and UTF-16 files are refused for editing and left byte for byte", async () => {
  const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n" in Latin-1
  const utf16 = new Uint8Array([
    0xff,
    0xfe,
    0x68,
    0x00,
    0x69,
    0x00,
    0x0a,
    0x00,
  ]); // BOM + "hi\n"
  await using h = await hostile({
    mode: "yolo",
    files: { "latin1.txt": latin1, "utf16.txt": utf16 },
  });
  const [a, b] = await h.turn(
    "print(edit_file('latin1.txt', 'caf', 'CAF'))",
    "print(edit_file('utf16.txt', 'hi', 'HI'))",
  );
  assertStringIncludes(a, "not valid UTF-8");
  assertStringIncludes(b, "UTF-16");
  assertEquals(await Deno.readFile(h.ws.file("latin1.txt")), latin1);
  assertEquals(await Deno.readFile(h.ws.file("utf16.txt")), utf16);
});

Deno.test("hostile: CRLF line endings and a UTF-8 BOM survive an edit byte for byte", async () => {
  const bom = "\ufeff";
  await using h = await hostile({
    mode: "yolo",
    files: { "win.txt": `${bom}one\r\ntwo\r\nthree\r\n` },
  });
  await h.turn("print(edit_file('win.txt', 'two\\nthree', 'TWO\\nTHREE'))");
  const bytes = await Deno.readFile(h.ws.file("win.txt"));
  assertEquals(
    new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes),
    `${bom}one\r\nTWO\r\nTHREE\r\n`,
  );
  assertEquals([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
});

Deno.test("hostile: a full disk leaves the original file intact", {
  ignore: !(await canMountTmpfs()),
}, async () => {
  await using h = await hostile({ mode: "yolo" });
  const mount = h.ws.file("small");
  await Deno.mkdir(mount);
  await run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount]);
  try {
    await Deno.writeTextFile(`${mount}/keep.txt`, "original\n");
    await Deno.writeFile(`${mount}/filler`, new Uint8Array(52 * 1024));
    const [seen] = await h.turn(
      `read_file('small/keep.txt')\nprint(write_file('small/keep.txt', 'x'.repeat(40000)))`,
    );
    assertStringIncludes(
      seen,
      "no space left on the device; the file was left unchanged",
    );
    assertEquals(await Deno.readTextFile(`${mount}/keep.txt`), "original\n");
    const leftovers = [...Deno.readDirSync(mount)].map((e) => e.name).filter((
      n,
    ) => n.includes("nanocode"));
    assertEquals(leftovers, []);
  } finally {
    await run("umount", [mount]);
  }
});

Deno.test("hostile: /undo restores files edited and written in the last turn and removes new ones", async () => {
  await using h = await hostile({
    mode: "yolo",
    files: { "a.txt": "a\n", "keep.txt": "keep\n" },
  });
  await h.turn(
    "read_file('a.txt')\nprint(edit_file('a.txt', 'a', 'changed'))",
    "print(write_file('new/created.txt', 'new\\n'))",
  );
  assertEquals(await h.ws.read("a.txt"), "changed\n");
  const result = await h.agent.undo();
  assertEquals(result?.restored, ["a.txt"]);
  assertEquals(result?.removed, ["new/created.txt"]);
  assertEquals(await h.ws.read("a.txt"), "a\n");
  assert(!(await exists(h.ws.file("new/created.txt"))));
  assertEquals(await h.ws.read("keep.txt"), "keep\n");
});

Deno.test("hostile: /undo brings back files a run_bash command deleted", async () => {
  await using h = await hostile({
    mode: "yolo",
    files: { "src/a.ts": "a\n", "src/b.ts": "b\n", "docs/c.md": "c\n" },
  });
  const [seen] = await h.turn(
    "print(run_bash('rm -rf src docs && echo gone'))",
  );
  assertStringIncludes(seen, "gone");
  assert(!(await exists(h.ws.file("src"))));
  const result = await h.agent.undo();
  assertEquals(result?.restored, ["docs/c.md", "src/a.ts", "src/b.ts"]);
  assertEquals(await h.ws.read("src/a.ts"), "a\n");
  assertEquals(await h.ws.read("docs/c.md"), "c\n");
});

Deno.test("hostile: /undo only goes back one turn at a time", async () => {
  await using h = await hostile({ mode: "yolo", files: { "a.txt": "0\n" } });
  await h.turn("read_file('a.txt')\nedit_file('a.txt', '0', '1')");
  await h.turn("read_file('a.txt')\nedit_file('a.txt', '1', '2')");
  await h.agent.undo();
  assertEquals(await h.ws.read("a.txt"), "1\n");
  await h.agent.undo();
  assertEquals(await h.ws.read("a.txt"), "0\n");
  assertEquals(await h.agent.undo(), null);
});

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`${cmd} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function canMountTmpfs(): Promise<boolean> {
  const dir = await Deno.makeTempDir();
  try {
    const out = await new Deno.Command("mount", {
      args: ["-t", "tmpfs", "-o", "size=16k", "tmpfs", dir],
      stderr: "null",
    })
      .output();
    if (!out.success) return false;
    await new Deno.Command("umount", { args: [dir] }).output();
    return true;
  } catch {
    return false;
  } finally {
    await Deno.remove(dir).catch(() => {});
  }
}
