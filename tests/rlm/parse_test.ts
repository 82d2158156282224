import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { parseReply } from "../../src/rlm/parse.ts";

Deno.test("parseReply() splits reasoning from a js block", () => {
  const parsed = parseReply(
    "Let me look.\n\n```js\nprint(glob_files('*'))\n```\n",
    "stop",
  );
  assertEquals(parsed.reasoning, "Let me look.");
  assertEquals(parsed.code, "print(glob_files('*'))");
  assertEquals(parsed.problem, undefined);
  assertEquals(parsed.note, undefined);
});

Deno.test("parseReply() accepts javascript, ts, typescript and bare fences", () => {
  for (const lang of ["javascript", "ts", "typescript", "", "JS"]) {
    assertEquals(
      parseReply(`x\n\`\`\`${lang}\n1 + 1\n\`\`\``, "stop").code,
      "1 + 1",
    );
  }
});

Deno.test("parseReply() reports a reply without a code block and runs nothing", () => {
  const parsed = parseReply("I think the answer is 4.", "stop");
  assertEquals(parsed.code, undefined);
  assertStringIncludes(parsed.problem!, "no code block");
  assertStringIncludes(parsed.problem!, "```js");
});

Deno.test("parseReply() runs only the first block when there are several and says so", () => {
  const parsed = parseReply(
    "a\n```js\nconst a = 1\n```\nthen\n```js\nconst b = 2\n```",
    "stop",
  );
  assertEquals(parsed.code, "const a = 1");
  assertStringIncludes(parsed.note!, "1 more was ignored");
});

Deno.test("parseReply() ignores prose after the block", () => {
  const parsed = parseReply(
    "go\n```js\nprint(1)\n```\nThis will print 1.",
    "stop",
  );
  assertEquals(parsed.code, "print(1)");
  assertEquals(parsed.note, undefined);
});

Deno.test("parseReply() does not run a block cut off by the output limit", () => {
  const parsed = parseReply(
    "writing\n```js\nwrite_file('a.ts', `line 1\nline 2",
    "length",
  );
  assertEquals(parsed.code, undefined);
  assertStringIncludes(parsed.problem!, "cut off");
});

Deno.test("parseReply() runs an unclosed block when the reply ended normally", () => {
  assertEquals(parseReply("go\n```js\nprint(1)", "stop").code, "print(1)");
});

Deno.test("parseReply() refuses other languages and points at run_bash", () => {
  const parsed = parseReply("run it\n```bash\nls -la\n```", "stop");
  assertEquals(parsed.code, undefined);
  assertStringIncludes(parsed.problem!, "Only JavaScript runs here");
  assertStringIncludes(parsed.problem!, "run_bash");
});

Deno.test("parseReply() skips a bash block and runs the js block after it", () => {
  const parsed = parseReply(
    "```bash\nls\n```\n```js\nrun_bash('ls')\n```",
    "stop",
  );
  assertEquals(parsed.code, "run_bash('ls')");
});

Deno.test("parseReply() keeps a longer fence open across inner triple backticks", () => {
  const parsed = parseReply(
    "````js\nconst md = `\n```\ninner\n```\n`\n````",
    "stop",
  );
  assert(parsed.code?.includes("inner"));
  assertEquals(parsed.code!.split("\n").length, 5);
});

Deno.test("parseReply() reports an empty block", () => {
  assertStringIncludes(parseReply("```js\n\n```", "stop").problem!, "empty");
});
