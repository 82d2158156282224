/**
 * Hostile commands against the OS sandbox: the text checks' known bypasses
 * now run (auto-edit lets sandboxed commands through without asking) and
 * must read or change nothing they should not.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { NO_BWRAP } from "../helpers/bwrap.ts";
import { countingListener } from "../helpers/listener.ts";
import { tempDir } from "../helpers/temp.ts";
import { exists, hostile, ScriptedApprover } from "./_harness.ts";

const SECRET = "sk-live-sandbox-0123456789";
const FILES = {
  ".env": `OPENAI_API_KEY=${SECRET}\n`,
  "public.txt": "public\n",
  "README.md": "# demo\n",
};
const HOME_FILES = { ".ssh/id_ed25519": `-----BEGIN ${SECRET}\n` };
const HAS_PYTHON = new Deno.Command("sh", {
  args: ["-c", "command -v python3"],
  stdout: "null",
}).outputSync().success;

async function gitRepo(dir: string): Promise<void> {
  const git = (...args: string[]) =>
    new Deno.Command("git", {
      args: ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", ...args],
      stdout: "null",
      stderr: "null",
    }).output();
  await git("init", "-q");
  await git("add", "README.md");
  await git("commit", "-qm", "init");
}

for (const mode of ["auto-edit", "yolo"] as const) {
  Deno.test({
    name:
      `hostile sandbox: secret bypasses read nothing in ${mode} (cat ~/.ss?/*, cat .*, base64 | xargs cat, \${f}v)`,
    ignore: NO_BWRAP,
    fn: async () => {
      await using h = await hostile({
        mode,
        files: FILES,
        homeFiles: HOME_FILES,
      });
      const seen = await h.turn(
        "print(run_bash('cat ~/.ss?/*'))",
        "print(run_bash('cat .*'))",
        "print(run_bash('echo LmVudg== | base64 -d | xargs cat'))",
        "print(run_bash('f=.en; cat ${f}v'))",
        "print(run_bash('for f in $(ls -A); do cat \"$f\"; done'))",
      );
      for (const [i, text] of seen.entries()) {
        assert(!text.includes(SECRET), `case ${i}: ${text}`);
        assertStringIncludes(text, "[exit code", `case ${i} ran`);
      }
      assertStringIncludes(seen[4], "public");
    },
  });
}

Deno.test({
  name: "hostile sandbox: python -c with a split file name reads .env as empty",
  ignore: NO_BWRAP || !HAS_PYTHON,
  fn: async () => {
    await using h = await hostile({ mode: "auto-edit", files: FILES });
    const [seen] = await h.turn(
      `print(run_bash("python3 -c \\"print(repr(open('.e'+'nv').read()))\\""))`,
    );
    assertStringIncludes(seen, "''\n[exit code 0]");
    assert(!seen.includes(SECRET));
  },
});

Deno.test({
  name:
    "hostile sandbox: /bin/rm past a run_bash(rm *) deny rule is denied, and what text misses cannot leave the workspace",
  ignore: NO_BWRAP,
  fn: async () => {
    await using outside = await tempDir({ "keep.txt": "keep\n" });
    await using h = await hostile({
      mode: "auto-edit",
      files: FILES,
      permissions: { deny: ["run_bash(rm *)"] },
    });
    const [spelled, wrapped, built] = await h.turn(
      "print(run_bash('/bin/rm -f public.txt'))",
      "print(run_bash('command rm -f public.txt'))",
      `print(run_bash('f=/bin/rm; $f -f ${outside.file("keep.txt")}'))`,
    );
    assertStringIncludes(spelled, "Permission denied");
    assertStringIncludes(wrapped, "Permission denied");
    assert(await exists(h.ws.file("public.txt")));
    // The folder outside lies under /tmp, which the sandbox shows empty:
    // `rm -f` finds nothing there to remove.
    assertStringIncludes(built, "[exit code 0]");
    assertEquals(await outside.read("keep.txt"), "keep\n");
  },
});

Deno.test({
  name:
    "hostile sandbox: find -exec sh past a run_bash(find *) allow rule reads no secret and writes nothing outside",
  ignore: NO_BWRAP,
  fn: async () => {
    await using outside = await tempDir();
    const approver = new ScriptedApprover();
    await using h = await hostile({
      approver,
      files: FILES,
      homeFiles: HOME_FILES,
      permissions: { allow: ["run_bash(find *)"] },
    });
    const [seen] = await h.turn(
      `print(run_bash("find . -maxdepth 1 -name README.md -exec sh -c 'f=.en; cat \${f}v ~/.ss?/*; touch ${outside.path}/pwned; echo ran' \\\\;"))`,
    );
    assertEquals(approver.asked, []);
    assertStringIncludes(seen, "ran");
    assert(!seen.includes(SECRET), seen);
    assert(!await exists(`${outside.path}/pwned`));
  },
});

Deno.test({
  name:
    "hostile sandbox: git diff --output=/outside past a run_bash(git diff*) allow rule writes nothing outside",
  ignore: NO_BWRAP,
  fn: async () => {
    await using outside = await tempDir();
    const approver = new ScriptedApprover();
    await using h = await hostile({
      approver,
      files: FILES,
      permissions: { allow: ["run_bash(git diff*)"] },
    });
    await gitRepo(h.ws.path);
    await Deno.writeTextFile(h.ws.file("README.md"), "# changed\n");
    const [seen] = await h.turn(
      `print(run_bash('git diff --output=${outside.path}/stolen.diff'))`,
    );
    assertEquals(approver.asked, []);
    assertStringIncludes(seen, "[sandbox:");
    assert(!await exists(`${outside.path}/stolen.diff`));
  },
});

Deno.test({
  name:
    "hostile sandbox: in auto-edit a command cannot write outside the workspace or into .git, nor reach 127.0.0.1",
  ignore: NO_BWRAP,
  fn: async () => {
    await using outside = await tempDir();
    await using listener = countingListener();
    await using h = await hostile({ mode: "auto-edit", files: FILES });
    await gitRepo(h.ws.path);
    const head = await h.ws.read(".git/HEAD");
    const seen = await h.turn(
      `print(run_bash('echo x > ${outside.path}/out.txt'))`,
      "print(run_bash('d=.g; d=${d}it; echo ref: refs/heads/evil > $d/HEAD; printf \"#!/bin/sh\\\\necho pwned\" > $d/hooks/pre-commit; rm -rf $d'))",
      `print(run_bash('echo GET / > /dev/tcp/127.0.0.1/${listener.port}'))`,
      "print(run_bash('echo fine > inside.txt && cat inside.txt'))",
    );
    assert(!await exists(`${outside.path}/out.txt`));
    assertEquals(await h.ws.read(".git/HEAD"), head);
    assert(!await exists(h.ws.file(".git/hooks/pre-commit")));
    assertStringIncludes(seen[2], "Connection refused");
    assertStringIncludes(seen[2], "[sandbox:");
    assertEquals(listener.accepted(), 0);
    assertStringIncludes(seen[0], "[sandbox:");
    assertStringIncludes(seen[1], "Read-only file system");
    assertStringIncludes(seen[3], "fine\n[exit code 0]");
  },
});
