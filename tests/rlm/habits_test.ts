import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { parseReply, splitThinking } from "../../src/rlm/parse.ts";
import {
  findTextToolCall,
  isRefusalText,
  ModelRefusal,
  noCodeOutcome,
  storedReply,
} from "../../src/rlm/habits.ts";
import { explainCellError } from "../../src/rlm/error_hints.ts";
import { JAVASCRIPT, looksLikePython } from "../../src/rlm/repl_language.ts";
import { AdaptiveLimiter } from "../../src/rlm/limiter.ts";
import { linesOf, listResult, resultText } from "../../src/rlm/list_result.ts";

Deno.test("splitThinking() takes leading <think> blocks, a lone </think>, and an unclosed <think>", () => {
  assertEquals(splitThinking("<think>a</think><think>b</think>\nrest"), {
    thinking: "a\nb",
    rest: "\nrest",
    unclosed: false,
  });
  assertEquals(splitThinking("mid-thought\n</think>\nrest").rest, "\nrest");
  assertEquals(splitThinking("<think>never closed").unclosed, true);
  assertEquals(splitThinking("no tags at all").rest, "no tags at all");
});

Deno.test("parseReply() runs only the code after the thinking", () => {
  const parsed = parseReply(
    "<think>```js\nbad()\n```</think>\n```js\ngood()\n```",
    "stop",
  );
  assertEquals(parsed.code, "good()");
});

Deno.test("findTextToolCall() reads the JSON and XML forms models write", () => {
  assertEquals(
    findTextToolCall(
      '[TOOL_CALLS][{"name": "read_file", "arguments": {"path": "a"}}]',
    ),
    { name: "read_file", args: { path: "a" } },
  );
  assertEquals(
    findTextToolCall(
      "<function=run_bash><parameter=cmd>ls</parameter></function>",
    ),
    { name: "run_bash", args: { cmd: "ls" } },
  );
  assertEquals(findTextToolCall("Just prose, no call."), null);
});

Deno.test("isRefusalText() tells refusals from replies that merely say can't", () => {
  assert(isRefusalText("I'm sorry, but I can't help with that."));
  assert(isRefusalText("I cannot assist with creating malware."));
  assert(!isRefusalText("I can't find the config; let me search for it."));
  assert(!isRefusalText("Sorry for the confusion: the answer is 42."));
});

Deno.test("storedReply() never stores an empty assistant message", () => {
  assertEquals(storedReply({ text: "" }), "(empty reply)");
  assertEquals(storedReply({ text: "  \n" }), "(empty reply)");
  assertEquals(storedReply({ text: "", refusal: "No." }), "No.");
  assertEquals(storedReply({ text: "hi" }), "hi");
});

Deno.test("noCodeOutcome() makes a refusal end the turn and words the others as problems", () => {
  const refusal = noCodeOutcome(
    { text: "", finishReason: "stop", refusal: "I can't do that." },
    parseReply("", "stop"),
    [],
  );
  assertEquals(refusal.kind, "refusal");
  assertStringIncludes(
    new ModelRefusal(refusal.text).message,
    "The model refused",
  );
  const empty = noCodeOutcome(
    { text: "", finishReason: "stop" },
    parseReply("", "stop"),
    [],
  );
  assertEquals(empty.kind, "problem");
  assertStringIncludes(empty.text, "Your reply was empty");
});

Deno.test("explainCellError() replaces Deno's --allow-* advice with the function to use", () => {
  const e = explainCellError({
    name: "NotCapable",
    message:
      'Requires net access to "x.com:443", run again with the --allow-net flag',
  }, "fetch('x')");
  assertStringIncludes(e.message, "run_bash");
  assert(!e.message.includes("--allow-net"));
  const py = explainCellError(
    { name: "SyntaxError", message: "Unexpected token" },
    "def f():\n  pass",
    JAVASCRIPT,
  );
  assertStringIncludes(py.message, "the REPL runs JavaScript, not Python");
  const js = explainCellError(
    { name: "SyntaxError", message: "Unexpected token" },
    "const = 1",
    JAVASCRIPT,
  );
  assertEquals(js.message, "Unexpected token");
});

Deno.test("looksLikePython() spots Python-only lines", () => {
  assert(looksLikePython("from pathlib import Path"));
  assert(looksLikePython("for f in files:\n    print(f)"));
  assert(!looksLikePython("for (const f of files) print(f)"));
});

Deno.test("AdaptiveLimiter halves on a burst of 429s once and grows back after successes", async () => {
  const limiter = new AdaptiveLimiter(8);
  assertEquals(limiter.backoff(0), true);
  assertEquals(limiter.backoff(0), false); // same burst
  assertEquals(limiter.limit, 4);
  for (let i = 0; i < 4; i++) limiter.success();
  assertEquals(limiter.limit, 5);
  const releases = await Promise.all(
    [1, 2, 3, 4, 5].map(() => limiter.acquire()),
  );
  assertEquals(limiter.inFlight, 5);
  let sixth = false;
  const waiting = limiter.acquire().then((r) => {
    sixth = true;
    return r;
  });
  await new Promise((r) => setTimeout(r, 10));
  assertEquals(sixth, false);
  releases[0]();
  (await waiting)();
  assertEquals(sixth, true);
  for (const r of releases.slice(1)) r();
});

Deno.test("list results carry items and the tool's text", () => {
  const list = listResult(
    linesOf(
      "b.ts\na.ts\n... (3 more files not shown, 5 in all; narrow the pattern or path)",
    ),
    "b.ts\na.ts\n...",
    "glob_files",
    "paths",
  );
  assertEquals(list.__nanocode_list__, ["b.ts", "a.ts"]);
  assertEquals(resultText(list), "b.ts\na.ts\n...");
  assertEquals(linesOf("no matches found"), []);
});
