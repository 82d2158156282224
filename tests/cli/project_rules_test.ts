import { assertEquals, assertRejects } from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import {
  exactCommandRule,
  loadProjectRules,
  projectRulesPath,
  rememberProjectRule,
} from "../../src/cli/project_rules.ts";
import { Policy } from "../../src/policy/policy.ts";

Deno.test("rememberProjectRule() keeps rules per project in nanocode's config folder, owner-only", async () => {
  await using home = await tempDir();
  const env = (name: string) => name === "HOME" ? home.path : undefined;
  await rememberProjectRule(env, "/work/a", "run_bash(npm test)");
  await rememberProjectRule(env, "/work/a", "run_bash(npm test)");
  await rememberProjectRule(env, "/work/b", "run_bash(make)");
  assertEquals(await loadProjectRules(env, "/work/a"), ["run_bash(npm test)"]);
  assertEquals(await loadProjectRules(env, "/work/b"), ["run_bash(make)"]);
  assertEquals(await loadProjectRules(env, "/work/c"), []);
  const path = projectRulesPath(env);
  assertEquals(path, `${home.path}/.config/nanocode/approvals.json`);
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);
});

Deno.test("loadProjectRules() reports a broken file instead of guessing", async () => {
  await using home = await tempDir({
    ".config/nanocode/approvals.json": "{ not json",
  });
  const env = (name: string) => name === "HOME" ? home.path : undefined;
  await assertRejects(() => loadProjectRules(env, "/w"));
});

Deno.test("exactCommandRule() allows that command only: not compound lines, other arguments or wildcards", () => {
  const rule = exactCommandRule("npm   test")!;
  assertEquals(rule, "run_bash(npm test)");
  assertEquals(exactCommandRule("ls *.ts"), null);
  assertEquals(exactCommandRule("echo a\necho b"), null);
  const policy = new Policy({
    roots: ["/w"],
    home: "/h",
    protectedDirs: [],
    mode: "ask",
    allow: [rule],
  });
  assertEquals(policy.decideCommand("npm test").verdict, "allow");
  assertEquals(policy.decideCommand("npm test -- --evil").verdict, "ask");
  assertEquals(policy.decideCommand("npm test; rm -rf x").verdict, "ask");
  assertEquals(policy.decideCommand("npm test && curl x").verdict, "ask");
});
