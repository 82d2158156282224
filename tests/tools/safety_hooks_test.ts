import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "./_assert.ts";
import { FileStateTracker } from "../../src/safety/file_states.ts";
import { editFileTool } from "../../src/tools/edit_file.ts";
import { grepFilesTool } from "../../src/tools/grep_files.ts";
import { globFilesTool } from "../../src/tools/glob_files.ts";
import { readFileTool } from "../../src/tools/read_file.ts";
import { runBashTool } from "../../src/tools/run_bash.ts";
import type { ToolContext, WriteChange } from "../../src/tools/types.ts";
import { writeFileTool } from "../../src/tools/write_file.ts";
import { RG_PATH, withContext, withWorkspace, writeTree } from "./_helpers.ts";

const CHANGED =
  'Cannot change "a.ts": it changed on disk since you last read it; read it again first';

function tracked(context: ToolContext): ToolContext {
  return withContext(context, { files: new FileStateTracker() });
}

Deno.test("edit_file() refuses and leaves the file untouched when it changed on disk since read_file", async () => {
  await withWorkspace(async (ws, base) => {
    const context = tracked(base);
    await writeTree(ws, { "a.ts": "let x = 1;\n" });
    await readFileTool.run(["a.ts"], context);
    await Deno.writeTextFile(join(ws, "a.ts"), "let x = 1; // outside\n");
    await assertRejects(
      () => editFileTool.run(["a.ts", "let x = 1;", "let x = 2;"], context),
      Error,
      CHANGED,
    );
    assertEquals(
      await Deno.readTextFile(join(ws, "a.ts")),
      "let x = 1; // outside\n",
    );
    await readFileTool.run(["a.ts"], context);
    await editFileTool.run(["a.ts", "let x = 1;", "let x = 2;"], context);
    assertEquals(
      await Deno.readTextFile(join(ws, "a.ts")),
      "let x = 2; // outside\n",
    );
  });
});

Deno.test("write_file() refuses an existing file that changed on disk since it was read", async () => {
  await withWorkspace(async (ws, base) => {
    const context = tracked(base);
    await writeTree(ws, { "a.ts": "one\n" });
    await readFileTool.run(["a.ts"], context);
    await Deno.writeTextFile(join(ws, "a.ts"), "two\n");
    await assertRejects(
      () => writeFileTool.run(["a.ts", "three\n"], context),
      Error,
      CHANGED,
    );
    assertEquals(await Deno.readTextFile(join(ws, "a.ts")), "two\n");
  });
});

Deno.test("write_file() creates a file again when it was deleted since it was read", async () => {
  await withWorkspace(async (ws, base) => {
    const context = tracked(base);
    await writeTree(ws, { "a.ts": "one\n" });
    await readFileTool.run(["a.ts"], context);
    await Deno.remove(join(ws, "a.ts"));
    await writeFileTool.run(["a.ts", "new\n"], context);
    assertEquals(await Deno.readTextFile(join(ws, "a.ts")), "new\n");
  });
});

Deno.test("read_file() records binary files too, so a changed binary cannot be overwritten", async () => {
  await withWorkspace(async (ws, base) => {
    const context = tracked(base);
    await writeTree(ws, { "a.ts": new Uint8Array([0, 1, 2, 3]) });
    assertStringIncludes(
      await readFileTool.run(["a.ts"], context),
      "is a binary file",
    );
    await Deno.writeFile(join(ws, "a.ts"), new Uint8Array([0, 1, 2, 4]));
    await assertRejects(
      () => writeFileTool.run(["a.ts", "text\n"], context),
      Error,
      CHANGED,
    );
  });
});

Deno.test("edit_file() lands both edits when two edits to one file run at once", async () => {
  await withWorkspace(async (ws, base) => {
    const context = tracked(base);
    await writeTree(ws, { "a.ts": "alpha\nbeta\ngamma\n" });
    await readFileTool.run(["a.ts"], context);
    const results = await Promise.all([
      editFileTool.run(["a.ts", "alpha", "ALPHA"], context),
      editFileTool.run(["a.ts", "gamma", "GAMMA"], context),
      writeFileTool.run(["b.ts", "b\n"], context),
    ]);
    assertEquals(results.slice(0, 2), [
      "ok: replaced 1 occurrence in a.ts",
      "ok: replaced 1 occurrence in a.ts",
    ]);
    assertEquals(
      await Deno.readTextFile(join(ws, "a.ts")),
      "ALPHA\nbeta\nGAMMA\n",
    );
    assertEquals((context.files as FileStateTracker).lockedPaths, 0);
  });
});

Deno.test("edit_file() and write_file() pass the path, text before and text after to confirmWrite", async () => {
  await withWorkspace(async (ws, base) => {
    const changes: WriteChange[] = [];
    const context = withContext(tracked(base), {
      confirmWrite(change: WriteChange) {
        changes.push(change);
        return Promise.resolve();
      },
    });
    await writeTree(ws, {
      "a.ts": "\ufeffone\ntwo\n",
      "bin.dat": new Uint8Array([0, 159, 146]),
    });
    await editFileTool.run(["a.ts", "two", "2"], context);
    await writeFileTool.run(["new/b.ts", "b\n"], context);
    await readFileTool.run(["bin.dat"], context);
    await writeFileTool.run(["a.ts", "whole\n"], context);
    await writeFileTool.run(["bin.dat", "now text\n"], context);
    assertEquals(changes, [
      {
        tool: "edit_file",
        path: join(ws, "a.ts"),
        display: "a.ts",
        before: "one\ntwo\n",
        after: "one\n2\n",
      },
      {
        tool: "write_file",
        path: join(ws, "new/b.ts"),
        display: "new/b.ts",
        before: null,
        after: "b\n",
      },
      {
        tool: "write_file",
        path: join(ws, "a.ts"),
        display: "a.ts",
        before: "\ufeffone\n2\n",
        after: "whole\n",
      },
      {
        tool: "write_file",
        path: join(ws, "bin.dat"),
        display: "bin.dat",
        before: null,
        after: "now text\n",
      },
    ]);
  });
});

Deno.test("edit_file() and write_file() leave files untouched when confirmWrite throws", async () => {
  await withWorkspace(async (ws, base) => {
    const context = withContext(tracked(base), {
      confirmWrite: () =>
        Promise.reject(new Error("The user declined the change to a.ts")),
    });
    await writeTree(ws, { "a.ts": "one\n" });
    await readFileTool.run(["a.ts"], context);
    const before = await Deno.readFile(join(ws, "a.ts"));
    await assertRejects(
      () => editFileTool.run(["a.ts", "one", "two"], context),
      Error,
      "The user declined the change to a.ts",
    );
    await assertRejects(
      () => writeFileTool.run(["a.ts", "three\n"], context),
      Error,
      "The user declined the change to a.ts",
    );
    await assertRejects(
      () => writeFileTool.run(["sub/new.ts", "x\n"], context),
      Error,
    );
    assertEquals(await Deno.readFile(join(ws, "a.ts")), before);
    const names: string[] = [];
    for await (const entry of Deno.readDir(ws)) names.push(entry.name);
    assertEquals(names, ["a.ts"]);
  });
});

Deno.test("write_file() does not ask confirmWrite when the path is a directory", async () => {
  await withWorkspace(async (ws, base) => {
    let asked = false;
    const context = withContext(base, {
      confirmWrite: () => {
        asked = true;
        return Promise.resolve();
      },
    });
    await Deno.mkdir(join(ws, "d"));
    await assertRejects(
      () => writeFileTool.run(["d", "x"], context),
      Error,
      'Cannot write "d": it is a directory',
    );
    assert(!asked);
  });
});

Deno.test("run_bash() never starts the command when confirmCommand throws", async () => {
  await withWorkspace(async (ws, base) => {
    const asked: string[] = [];
    const context = withContext(base, {
      confirmCommand(command: string) {
        asked.push(command);
        return Promise.reject(new Error("The user declined the command"));
      },
    });
    await assertRejects(
      () => runBashTool.run(["touch marker.txt"], context),
      Error,
      "The user declined the command",
    );
    assertEquals(asked, ["touch marker.txt"]);
    await assertRejects(
      () => Deno.stat(join(ws, "marker.txt")),
      Deno.errors.NotFound,
    );
  });
});

Deno.test("run_bash() runs the command when confirmCommand resolves", async () => {
  await withWorkspace(async (ws, base) => {
    const context = withContext(base, {
      confirmCommand: () => Promise.resolve(),
    });
    assertEquals(
      await runBashTool.run(["touch marker.txt && echo done"], context),
      "done\n[exit code 0]",
    );
    assert((await Deno.stat(join(ws, "marker.txt"))).isFile);
  });
});

for (
  const backend of [{ name: "builtin", rgPath: null }, {
    name: "ripgrep",
    rgPath: RG_PATH,
  }]
) {
  Deno.test({
    name:
      `grep_files() leaves out excluded files (names and lines) with the ${backend.name} back end`,
    ignore: backend.name === "ripgrep" && RG_PATH === null,
    async fn() {
      await withWorkspace(async (ws, base) => {
        await writeTree(ws, {
          "a.ts": "token = 1\n",
          "secrets/.env.local": "token = secret\n",
          "config.env": "token = hidden\n",
          "sub/b.ts": "token = 2\n",
        });
        const context = withContext(base, {
          rgPath: backend.rgPath,
          excluded: (path: string) =>
            path.endsWith(".env") ||
            path.startsWith(join(ws, "secrets")),
        });
        assertEquals(
          await grepFilesTool.run(["token"], context),
          "a.ts:1:token = 1\nsub/b.ts:1:token = 2",
        );
        assertEquals(
          await grepFilesTool.run(["token", "config.env"], context),
          "no matches found",
        );
        assertEquals(
          await grepFilesTool.run(["token", ".", "*.env"], context),
          "no matches found",
        );
        assertStringIncludes(
          await globFilesTool.run(["*.env"], context),
          "config.env",
        );
      });
    },
  });
}
