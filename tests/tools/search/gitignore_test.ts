import { join } from "node:path";
import { assertEquals } from "../_assert.ts";
import {
  isIgnored,
  matchRules,
  parseIgnoreFile,
} from "../../../src/tools/search/gitignore.ts";
import {
  loadAncestorRules,
  loadFolderRules,
} from "../../../src/tools/search/ignore_files.ts";
import { withWorkspace, writeTree } from "../_helpers.ts";

Deno.test("parseIgnoreFile() skips comments and blank lines and unescapes # and !", () => {
  const rules = parseIgnoreFile("# comment\n\n\\#hash\n\\!bang\n  \n");
  assertEquals(rules.length, 2);
  assertEquals(matchRules(rules, "#hash", false), "ignore");
  assertEquals(matchRules(rules, "!bang", false), "ignore");
});

Deno.test("matchRules() lets the last matching line decide", () => {
  const rules = parseIgnoreFile("*.log\n!keep.log\n");
  assertEquals(matchRules(rules, "a.log", false), "ignore");
  assertEquals(matchRules(rules, "x/keep.log", false), "whitelist");
  assertEquals(matchRules(rules, "a.txt", false), null);
});

Deno.test("matchRules() anchors patterns with a leading or middle slash", () => {
  const rules = parseIgnoreFile("/root.txt\ndoc/api\n");
  assertEquals(matchRules(rules, "root.txt", false), "ignore");
  assertEquals(matchRules(rules, "x/root.txt", false), null);
  assertEquals(matchRules(rules, "doc/api", true), "ignore");
  assertEquals(matchRules(rules, "x/doc/api", true), null);
});

Deno.test("matchRules() applies a trailing slash to folders only", () => {
  const rules = parseIgnoreFile("build/\n");
  assertEquals(matchRules(rules, "build", true), "ignore");
  assertEquals(matchRules(rules, "a/build", true), "ignore");
  assertEquals(matchRules(rules, "build", false), null);
});

Deno.test("matchRules() trims unescaped trailing spaces", () => {
  const rules = parseIgnoreFile("a.txt   \nb\\ \n");
  assertEquals(matchRules(rules, "a.txt", false), "ignore");
  assertEquals(matchRules(rules, "b ", false), "ignore");
});

Deno.test("matchRules() ignores everything inside with dir/**", () => {
  const rules = parseIgnoreFile("out/**\n");
  assertEquals(matchRules(rules, "out/a/b", false), "ignore");
  assertEquals(matchRules(rules, "out", true), null);
});

Deno.test("isIgnored() lets deeper folders and .ignore override .gitignore", async () => {
  await withWorkspace(async (ws) => {
    await writeTree(ws, {
      ".gitignore": "*.tmp\nsecret\n",
      ".ignore": "!secret\n",
      "sub/.gitignore": "!keep.tmp\n",
    });
    const root = await loadFolderRules(ws);
    const sub = await loadFolderRules(join(ws, "sub"));
    assertEquals(isIgnored([root], join(ws, "a.tmp"), false), "ignore");
    assertEquals(
      isIgnored([root, sub], join(ws, "sub/keep.tmp"), false),
      "whitelist",
    );
    assertEquals(
      isIgnored([root, sub], join(ws, "sub/other.tmp"), false),
      "ignore",
    );
    assertEquals(isIgnored([root], join(ws, "secret"), false), "whitelist");
  });
});

Deno.test("isIgnored() applies .git/info/exclude and stops git rules at the repository root", async () => {
  await withWorkspace(async (ws) => {
    await writeTree(ws, {
      ".gitignore": "*.txt\n",
      "repo/.git/info/exclude": "*.bak\n",
      "repo/a.txt": "",
    });
    const chain = [
      ...await loadAncestorRules(join(ws, "repo")),
      await loadFolderRules(join(ws, "repo")),
    ];
    assertEquals(chain.at(-1)?.hasGit, true);
    assertEquals(isIgnored(chain, join(ws, "repo/x.bak"), false), "ignore");
    assertEquals(isIgnored(chain, join(ws, "repo/a.txt"), false), null);
    const outside = [...await loadAncestorRules(ws), await loadFolderRules(ws)];
    assertEquals(isIgnored(outside, join(ws, "b.txt"), false), "ignore");
  });
});

Deno.test("loadFolderRules() follows a .git file to the common git folder", async () => {
  await withWorkspace(async (ws) => {
    await writeTree(ws, {
      "main/.git/info/exclude": "*.wt\n",
      "main/.git/worktrees/w/commondir": "../..\n",
      "wt/.git": `gitdir: ${join(ws, "main/.git/worktrees/w")}\n`,
    });
    const rules = await loadFolderRules(join(ws, "wt"));
    assertEquals(rules.hasGit, true);
    assertEquals(isIgnored([rules], join(ws, "wt/a.wt"), false), "ignore");
  });
});
