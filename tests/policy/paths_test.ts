import {
  assertEquals,
  assertRejects,
  assertThrows,
} from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { absolutePath, resolveForAccess } from "../../src/policy/paths.ts";

Deno.test("resolveForAccess() resolves relative paths against the workspace", async () => {
  await using ws = await tempDir({ "src/a.ts": "x" });
  const options = { workspace: ws.path, home: "/nonexistent-home" };
  const r = await resolveForAccess("src/../src/./a.ts", "read", options);
  assertEquals(r, {
    absolute: ws.file("src/a.ts"),
    real: ws.file("src/a.ts"),
    exists: true,
    hardLinks: 1,
  });
});

Deno.test("resolveForAccess() folds .. out of the workspace", async () => {
  await using ws = await tempDir({ "inner/x": "" });
  const options = { workspace: ws.file("inner"), home: "/h" };
  const parent = ws.path.slice(0, ws.path.lastIndexOf("/"));
  const r = await resolveForAccess("../../etc/passwd", "read", options);
  assertEquals(r.absolute, `${parent}/etc/passwd`);
  assertEquals(r.exists, false);
  const deep = await resolveForAccess("../x/../../y", "write", options);
  assertEquals(deep.real, `${parent}/y`);
});

Deno.test("resolveForAccess() follows symlinks for reads", async () => {
  await using ws = await tempDir({ "real/a.txt": "a" });
  await using out = await tempDir({ "secret.txt": "s" });
  await Deno.symlink(out.file("secret.txt"), ws.file("link.txt"));
  await Deno.symlink(ws.file("real"), ws.file("dirlink"));
  const options = { workspace: ws.path, home: "/h" };
  const r = await resolveForAccess("link.txt", "read", options);
  assertEquals(r.absolute, ws.file("link.txt"));
  assertEquals(r.real, out.file("secret.txt"));
  assertEquals(r.exists, true);
  const d = await resolveForAccess("dirlink/a.txt", "read", options);
  assertEquals(d.real, ws.file("real/a.txt"));
});

Deno.test("resolveForAccess() does not follow a final symlink for writes", async () => {
  await using ws = await tempDir({ "real/a.txt": "a" });
  await using out = await tempDir({ "target.txt": "t" });
  await Deno.symlink(out.file("target.txt"), ws.file("link.txt"));
  await Deno.symlink(out.path, ws.file("outdir"));
  const options = { workspace: ws.path, home: "/h" };
  const w = await resolveForAccess("link.txt", "write", options);
  assertEquals(w.real, ws.file("link.txt"));
  assertEquals(w.exists, true);
  const through = await resolveForAccess("outdir/target.txt", "write", options);
  assertEquals(through.real, out.file("target.txt"));
});

Deno.test("resolveForAccess() resolves /proc/self/root to the real path", async () => {
  const r = await resolveForAccess("/proc/self/root/etc/passwd", "read", {
    workspace: "/tmp",
    home: "/h",
  });
  assertEquals(r.real, "/etc/passwd");
  assertEquals(r.absolute, "/proc/self/root/etc/passwd");
  const w = await resolveForAccess("/proc/self/root/etc/new.conf", "write", {
    workspace: "/tmp",
    home: "/h",
  });
  assertEquals(w.real, "/etc/new.conf");
});

Deno.test("resolveForAccess() expands ~ to the home folder", async () => {
  await using home = await tempDir({ ".ssh/id_rsa": "k" });
  await using ws = await tempDir();
  const options = { workspace: ws.path, home: home.path };
  const r = await resolveForAccess("~/.ssh/id_rsa", "read", options);
  assertEquals(r.real, home.file(".ssh/id_rsa"));
  assertEquals((await resolveForAccess("~", "read", options)).real, home.path);
  const literal = await resolveForAccess("~user/x", "read", options);
  assertEquals(literal.absolute, ws.file("~user/x"));
});

Deno.test("resolveForAccess() rejects empty paths and NUL bytes", async () => {
  const options = { workspace: "/tmp", home: "/h" };
  await assertRejects(
    () => resolveForAccess("", "read", options),
    TypeError,
    "empty path",
  );
  await assertRejects(
    () => resolveForAccess("  ", "write", options),
    TypeError,
    "empty path",
  );
  await assertRejects(
    () => resolveForAccess("a\0b", "read", options),
    TypeError,
    "NUL byte",
  );
});

Deno.test("resolveForAccess() resolves missing parents through the nearest existing ancestor", async () => {
  await using ws = await tempDir({ "src/a.ts": "" });
  await using out = await tempDir();
  await Deno.symlink(out.path, ws.file("escape"));
  const options = { workspace: ws.path, home: "/h" };
  const w = await resolveForAccess("new/deep/../file.ts", "write", options);
  assertEquals(w, {
    absolute: ws.file("new/file.ts"),
    real: ws.file("new/file.ts"),
    exists: false,
    hardLinks: 1,
  });
  const escaped = await resolveForAccess("escape/x/y.txt", "write", options);
  assertEquals(escaped.real, out.file("x/y.txt"));
  const read = await resolveForAccess("escape/missing.txt", "read", options);
  assertEquals(read.real, out.file("missing.txt"));
  assertEquals(read.exists, false);
});

Deno.test("resolveForAccess() follows dangling symlinks in missing paths", async () => {
  await using ws = await tempDir();
  await using out = await tempDir();
  await Deno.symlink(out.file("not-yet"), ws.file("dangling"));
  await Deno.symlink(
    "../" + out.path.split("/").pop() + "/rel",
    ws.file("rel"),
  );
  const options = { workspace: ws.path, home: "/h" };
  const w = await resolveForAccess("dangling/sub/f.txt", "write", options);
  assertEquals(w.real, out.file("not-yet/sub/f.txt"));
  const r = await resolveForAccess("dangling", "read", options);
  assertEquals(r.real, out.file("not-yet"));
  assertEquals(r.exists, false);
  const relative = await resolveForAccess("rel/x", "write", options);
  assertEquals(relative.real, out.file("rel/x"));
  const final = await resolveForAccess("dangling", "write", options);
  assertEquals(final.real, ws.file("dangling"));
  assertEquals(final.exists, true);
});

Deno.test("resolveForAccess() treats a path through a file as missing", async () => {
  await using ws = await tempDir({ "file.txt": "x" });
  const r = await resolveForAccess("file.txt/below", "write", {
    workspace: ws.path,
    home: "/h",
  });
  assertEquals(r.real, ws.file("file.txt/below"));
  assertEquals(r.exists, false);
});

Deno.test("resolveForAccess() reports a symlink loop clearly", async () => {
  await using ws = await tempDir();
  await Deno.symlink(ws.file("b"), ws.file("a"));
  await Deno.symlink(ws.file("a"), ws.file("b"));
  const options = { workspace: ws.path, home: "/h" };
  await assertRejects(
    () => resolveForAccess("a", "read", options),
    Error,
    "symlink loop",
  );
  await assertRejects(
    () => resolveForAccess("a/x/y", "write", options),
    Error,
    "symlink loop",
  );
  const replaced = await resolveForAccess("a", "write", options);
  assertEquals(replaced.real, ws.file("a"));
});

Deno.test("resolveForAccess() counts hard links of regular files", async () => {
  await using ws = await tempDir({ "a.txt": "a", "dir/x": "" });
  await using out = await tempDir();
  await Deno.link(ws.file("a.txt"), out.file("other-name.txt"));
  const options = { workspace: ws.path, home: "/h" };
  assertEquals(
    (await resolveForAccess("a.txt", "write", options)).hardLinks,
    2,
  );
  assertEquals((await resolveForAccess("a.txt", "read", options)).hardLinks, 2);
  assertEquals((await resolveForAccess("dir", "read", options)).hardLinks, 1);
  assertEquals((await resolveForAccess("nope", "write", options)).hardLinks, 1);
});

Deno.test("absolutePath() expands ~ and folds dots without the file system", () => {
  const options = { workspace: "/w", home: "/h" };
  assertEquals(absolutePath("~", options), "/h");
  assertEquals(absolutePath("~/a/../b", options), "/h/b");
  assertEquals(absolutePath("./x/", options), "/w/x");
  assertEquals(absolutePath("/a//b/./c", options), "/a/b/c");
  assertThrows(() => absolutePath("", options), TypeError, "empty path");
});
