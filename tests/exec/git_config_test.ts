import { assertEquals } from "../helpers/assert.ts";
import {
  gitConfigFiles,
  GitConfigShield,
  redactGitConfig,
} from "../../src/exec/git_config.ts";
import { tempDir } from "../helpers/temp.ts";

Deno.test("redactGitConfig() hides tokens in URLs, extraheaders and token keys, and leaves the rest", () => {
  const config = [
    "[core]",
    "\tbare = false",
    '[remote "origin"]',
    "\turl = https://x-access-token:ghp_abc@github.com/o/r.git",
    '[remote "fork"]',
    "\turl = https://ghp_only@github.com/me/r.git",
    '[remote "ssh"]',
    "\turl = ssh://git@github.com/o/r.git",
    '[http "https://github.com/"]',
    "\textraheader = AUTHORIZATION: basic eC1hY2Nlc3M=",
    "[github]",
    "\ttoken = gho_secret",
    "[user]",
    "\tsigningkey = ABCD1234",
    "",
  ].join("\n");
  assertEquals(
    redactGitConfig(config),
    [
      "[core]",
      "\tbare = false",
      '[remote "origin"]',
      "\turl = https://***@github.com/o/r.git",
      '[remote "fork"]',
      "\turl = https://***@github.com/me/r.git",
      '[remote "ssh"]',
      "\turl = ssh://git@github.com/o/r.git",
      '[http "https://github.com/"]',
      "\textraheader = ***",
      "[github]",
      "\ttoken = ***",
      "[user]",
      "\tsigningkey = ABCD1234",
      "",
    ].join("\n"),
  );
  assertEquals(redactGitConfig("[core]\n\tbare = false\n"), null);
  assertEquals(
    redactGitConfig("\turl = ftp://me:pw@host/x\n\turl = git://host/x\n"),
    "\turl = ftp://***@host/x\n\turl = git://host/x\n",
  );
  assertEquals(
    redactGitConfig("\turl = svn+ssh://me:pw@host/x\n"),
    "\turl = svn+ssh://me:***@host/x\n",
  );
});

Deno.test("gitConfigFiles() follows a worktree's .git file to the main repository's config", async () => {
  await using dir = await tempDir({
    "main/.git/config": "[core]\n",
    "main/.git/worktrees/wt/commondir": "../..\n",
    "wt/.git": "gitdir: ../main/.git/worktrees/wt\n",
  });
  assertEquals(gitConfigFiles(dir.file("main/.git")), [
    dir.file("main/.git/config"),
  ]);
  assertEquals(gitConfigFiles(dir.file("wt/.git")), [
    dir.file("main/.git/config"),
    dir.file("main/.git/worktrees/wt/config.worktree"),
  ]);
});

Deno.test("GitConfigShield.binds() writes a redacted copy once per version, and shows an oversized config empty", async () => {
  await using dir = await tempDir({
    "plain/config": "[core]\n\tbare = false\n",
    "token/config": '[remote "o"]\n\turl = https://t0k@h/r\n',
  });
  await Deno.mkdir(dir.file("big"));
  const big = await Deno.open(dir.file("big/config"), {
    create: true,
    write: true,
  });
  await big.truncate(2 * 1024 * 1024);
  big.close();
  const shield = new GitConfigShield(dir.file("copies"));
  const paths = ["plain/config", "token/config", "big/config", "none/config"]
    .map((p) => dir.file(p));
  const binds = shield.binds(paths);
  assertEquals(binds.map((b) => b.path), [
    dir.file("token/config"),
    dir.file("big/config"),
  ]);
  assertEquals(
    await Deno.readTextFile(binds[0].source),
    '[remote "o"]\n\turl = https://***@h/r\n',
  );
  assertEquals(await Deno.readTextFile(binds[1].source), "");
  assertEquals(shield.binds(paths), binds);
  // The token goes: its copy is removed.
  await Deno.writeTextFile(dir.file("token/config"), "[core]\n");
  assertEquals(shield.binds(paths).map((b) => b.path), [
    dir.file("big/config"),
  ]);
  let gone = false;
  await Deno.stat(binds[0].source).catch(() => gone = true);
  assertEquals(gone, true);
});
