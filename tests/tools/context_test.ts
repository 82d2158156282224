import { join } from "node:path";
import { assert, assertEquals } from "./_assert.ts";
import {
  createToolContext,
  findExecutable,
  findRipgrep,
} from "../../src/tools/context.ts";
import { withWorkspace } from "./_helpers.ts";

Deno.test("createToolContext() resolves relative paths against the workspace", async () => {
  await withWorkspace(async (ws) => {
    const context = createToolContext({ workspace: ws, rgPath: null });
    assertEquals(
      await context.resolvePath("src/a.ts", "read"),
      join(ws, "src/a.ts"),
    );
    assertEquals(
      await context.resolvePath("/etc/hosts", "write"),
      "/etc/hosts",
    );
    assertEquals(await context.resolvePath("../x", "read"), join(ws, "../x"));
  });
});

Deno.test("createToolContext() makes the workspace absolute and real", async () => {
  await withWorkspace(async (ws) => {
    await Deno.mkdir(join(ws, "real"));
    await Deno.symlink(join(ws, "real"), join(ws, "link"));
    const context = createToolContext({
      workspace: join(ws, "link"),
      rgPath: null,
    });
    assertEquals(context.workspace, join(ws, "real"));
    assert(!context.signal.aborted);
    assertEquals(context.rgPath, null);
  });
});

Deno.test("createToolContext() defaults env to the process environment", async () => {
  await withWorkspace((ws) => {
    const context = createToolContext({ workspace: ws });
    assertEquals(context.env.PATH, Deno.env.get("PATH"));
    assertEquals(context.rgPath, findRipgrep());
    return Promise.resolve();
  });
});

Deno.test("findRipgrep() finds an executable rg on PATH and returns null when absent", async () => {
  await withWorkspace(async (ws) => {
    const bin = join(ws, "bin");
    await Deno.mkdir(bin);
    assertEquals(findRipgrep(bin), null);
    await Deno.writeTextFile(join(bin, "rg"), "#!/bin/sh\n");
    assertEquals(findRipgrep(bin), null, "not executable yet");
    await Deno.chmod(join(bin, "rg"), 0o755);
    assertEquals(findRipgrep(`/nonexistent:${bin}`), join(bin, "rg"));
  });
});

Deno.test("findExecutable() ignores relative PATH entries", () => {
  assertEquals(findExecutable("sh", ".:bin"), null);
  assertEquals(findExecutable("sh", ""), null);
});
