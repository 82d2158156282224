import { assert, assertEquals } from "../helpers/assert.ts";
import {
  stableMarkdown,
  SubmitLiteralStream,
} from "../../src/ui/answer_stream.ts";
import { AnswerView } from "../../src/ui/answer_view.ts";
import { isFailingLine, summarizeOutput } from "../../src/ui/output_summary.ts";
import { EventRenderer } from "../../src/ui/render.ts";
import { createStyle } from "../../src/ui/style.ts";
import { MemoryOutput } from "../../src/ui/terminal.ts";
import { ToolView } from "../../src/ui/tool_view.ts";

const plain = createStyle(false);

function view() {
  const printed: string[] = [];
  let live: string[] = [];
  const tools = new ToolView({
    print: (lines) => printed.push(...lines),
    live: (lines) => live = lines,
    style: plain,
    columns: () => 80,
  });
  return { tools, printed, live: () => live };
}

Deno.test("ToolView groups one cell's reads into one line that grows in place, then commits it", () => {
  const { tools, printed, live } = view();
  for (const [id, path] of [[1, "a.ts"], [2, "b.ts"], [3, "c.ts"]] as const) {
    tools.call({
      type: "tool_call",
      step: 1,
      id,
      name: "read_file",
      args: [path],
    });
    tools.result({
      type: "tool_result",
      step: 1,
      id,
      name: "read_file",
      ok: id !== 2,
      output: id === 2 ? "Cannot read b.ts" : "   1| x",
      durationMs: 1,
    });
  }
  assertEquals(printed, []);
  assertEquals(live()[0], "⏺ Read 3 files");
  tools.flush();
  assertEquals(printed, [
    "⏺ Read 3 files",
    "  ⎿ a.ts, b.ts, c.ts",
    "  ⎿ 1 failed",
  ]);
  assertEquals(live(), []);
});

Deno.test("ToolView shows a single read as before, with its line count in words", () => {
  const { tools, printed } = view();
  tools.call({
    type: "tool_call",
    step: 1,
    id: 1,
    name: "read_file",
    args: ["a.ts"],
  });
  tools.result({
    type: "tool_result",
    step: 1,
    id: 1,
    name: "read_file",
    ok: true,
    output: "   1| x",
    durationMs: 1,
  });
  tools.call({
    type: "tool_call",
    step: 1,
    id: 2,
    name: "grep_files",
    args: ["TODO"],
  });
  tools.call({
    type: "tool_call",
    step: 1,
    id: 3,
    name: "glob_files",
    args: ["*.ts", "src"],
  });
  tools.flush();
  assertEquals(printed, [
    "⏺ Read(a.ts)",
    "  ⎿ 1 line",
    "⏺ Searched 2 patterns",
    "  ⎿ TODO, *.ts",
  ]);
});

Deno.test("ToolView streams a command's output live and summarises it when it ends", () => {
  const { tools, printed, live } = view();
  tools.call({
    type: "tool_call",
    step: 1,
    id: 7,
    name: "run_bash",
    args: ["make"],
  });
  tools.output({ type: "tool_output", step: 1, id: 7, text: "building\n" });
  assertEquals(live(), ["  │ building"]);
  const output = [
    ...Array.from({ length: 30 }, (_, i) => `ok ${i}`),
    "FAIL src/a.test.ts",
    ...Array.from({ length: 30 }, (_, i) => `ok ${i + 30}`),
    "[exit code 1]",
  ].join("\n");
  tools.result({
    type: "tool_result",
    step: 1,
    id: 7,
    name: "run_bash",
    ok: true,
    output,
    durationMs: 1,
  });
  assertEquals(live(), []);
  assertEquals(printed, [
    "⏺ Bash(make)",
    "  │ ok 0",
    "  │ ok 1",
    "  │ ok 2",
    "  │ … 27 lines …",
    "  │ FAIL src/a.test.ts",
    "  │ … 26 lines …",
    "  │ ok 56",
    "  │ ok 57",
    "  │ ok 58",
    "  │ ok 59",
    "  │ [exit code 1]",
  ]);
});

Deno.test("ToolView shows an edit as the unified diff of the change it reported", () => {
  const { tools, printed } = view();
  tools.call({
    type: "tool_call",
    step: 1,
    id: 4,
    name: "edit_file",
    args: ["a.ts", "b", "c"],
  });
  tools.change({
    type: "file_change",
    step: 1,
    id: 4,
    path: "a.ts",
    before: "a\nb\n",
    after: "a\nc\n",
  });
  tools.result({
    type: "tool_result",
    step: 1,
    id: 4,
    name: "edit_file",
    ok: true,
    output: "ok",
    durationMs: 1,
  });
  assertEquals(printed, [
    "⏺ Edit(a.ts)",
    "  ⎿ Added 1 line, removed 1 line",
    "    @@ -1,2 +1,2 @@",
    "     a",
    "    -b",
    "    +c",
  ]);
});

Deno.test("summarizeOutput() keeps short output whole and marks failing lines; isFailingLine() skips '0 failed'", () => {
  assertEquals(summarizeOutput("a\nerror: x\n[exit code 0]"), [
    { kind: "line", text: "a", failing: false },
    { kind: "line", text: "error: x", failing: true },
  ]);
  assert(isFailingLine("Traceback (most recent call last):"));
  assert(isFailingLine("src/a.ts(3,5): error TS2322"));
  assert(!isFailingLine("ok | 40 passed | 0 failed"));
  assert(!isFailingLine("found 0 errors"));
});

Deno.test("SubmitLiteralStream decodes escapes split across chunks and stops at the closing quote or ${", () => {
  const stream = new SubmitLiteralStream();
  const reply =
    "Done.\n```js\nconst x = 1\nSUBMIT({ answer: 'it\\'s \\u00e9\\n\\x41' })\n```";
  let out = "";
  for (const ch of reply) out += stream.push(ch);
  assertEquals(out, "it's é\nA");
  assert(stream.complete);
  const template = new SubmitLiteralStream();
  template.push("```js\nSUBMIT(`Found ${n} files`)\n```");
  assertEquals(template.text, "Found ");
  assert(template.complete);
  const none = new SubmitLiteralStream();
  none.push("```js\nSUBMIT(answer)\n```");
  assert(!none.found);
  assertEquals(stableMarkdown("a\n\n```\nx\n\ny\n"), "a\n\n");
});

Deno.test("AnswerView prints whole blocks as they stream and only the rest at the end", () => {
  const printed: string[] = [];
  const answer = new AnswerView({
    print: (l) => printed.push(...l),
    style: plain,
    columns: () => 80,
  });
  const text = "First paragraph.\n\nSecond one.";
  for (const ch of `\`\`\`js\nSUBMIT(${JSON.stringify(text)})\n\`\`\``) {
    answer.delta(ch);
  }
  assertEquals(printed, ["", "⏺ First paragraph."]);
  answer.finish(text);
  assertEquals(printed, ["", "⏺ First paragraph.", "", "  Second one."]);
  // When the submitted answer differs, it is printed whole.
  const other: string[] = [];
  const view2 = new AnswerView({
    print: (l) => other.push(...l),
    style: plain,
    columns: () => 80,
  });
  for (const ch of '```js\nSUBMIT("Draft\\n\\nmore" + x)\n```') view2.delta(ch);
  view2.finish("Something else");
  assertEquals(other.slice(-2), ["", "⏺ Something else"]);
});

Deno.test("EventRenderer renders reasoning with inline markdown, dim, wrapped at words", () => {
  const out = new MemoryOutput(true, 30);
  const style = createStyle(true);
  const renderer = new EventRenderer({
    out,
    style,
    verbose: false,
    streamReasoning: true,
  });
  renderer.handle({ type: "step_start", step: 1, maxSteps: 5 });
  renderer.handle({
    type: "model_delta",
    step: 1,
    text: "I will **carefully** refactor the `parser` module today.\n```js\n",
  });
  assert(
    out.text.includes("\x1b[1mcarefully\x1b[22m\x1b[2m"),
    "bold, then dim again",
  );
  const lines = out.text.trim().split("\n");
  assert(lines.length >= 2, "wrapped");
  assert(!out.text.includes("**"), "markers are rendered");
});
