/**
 * The streaming reader of Python `SUBMIT` literals: every form a model
 * writes, checked against what Pyodide's `SUBMIT` actually returns, every
 * cut-off point, and hostile text.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { pythonSandbox } from "../helpers/python.ts";
import { SubmitLiteralStream } from "../../src/ui/answer_stream.ts";
import { AnswerView } from "../../src/ui/answer_view.ts";
import { createStyle } from "../../src/ui/style.ts";

/** Cells as models write them; `whole` says the literal is the whole answer. */
const CASES: { name: string; code: string; whole: boolean }[] = [
  {
    name: "escapes",
    code:
      'SUBMIT("It\'s \\"done\\"\\n\\tA\\x41 \\u00e9 \\U0001F600 \\101\\0 \\\\end \\d \\\nsame line")',
    whole: true,
  },
  {
    name: "single quotes",
    code: "SUBMIT('say \\'hi\\' and \"bye\"')",
    whole: true,
  },
  {
    name: "triple double quotes",
    code:
      'print("checked")\nSUBMIT("""\n## Findings\n\nSay "hi" and ""twice"".\n\n- `a.py` is fine\n- tabs\\there\n""")',
    whole: true,
  },
  {
    name: "triple single quotes, a line join",
    code: "SUBMIT('''First \\\nparagraph.\n\nIt's ''quoted''.''')",
    whole: true,
  },
  {
    name: "raw strings",
    code: "SUBMIT(r\"C:\\new\\table \\\"q\\\"\" + r'''\\d+\\n''')",
    whole: false,
  },
  {
    name: "raw triple quotes",
    code: "SUBMIT(R'''regex: \\d+\\s*\n\nnext''')",
    whole: true,
  },
  {
    name: "implicit concatenation across lines, with comments",
    code:
      'SUBMIT(\n    "First part, "  # the intro\n    \'second part, \' \'\'\n    u"""third\n\npart""" rf"\\raw {{braces}}"\n)',
    whole: true,
  },
  { name: "keyword", code: 'SUBMIT(answer="by keyword\\n\\nok")', whole: true },
  { name: "dict", code: "SUBMIT({'answer': 'in a dict'})", whole: true },
  {
    name: "f-string up to its first placeholder",
    code: 'SUBMIT(f"Found {{all}} {n} files\\n")',
    whole: false,
  },
  {
    name: "a method call after the literal",
    code: 'SUBMIT("""Total: {} files""".format(n))',
    whole: false,
  },
  {
    name: "a named escape ends the stream",
    code: 'SUBMIT("one \\N{EM DASH} two")',
    whole: false,
  },
];

function streamed(code: string, chunk = 1): SubmitLiteralStream {
  const stream = new SubmitLiteralStream("python");
  const reply = `Ready.\n\n\`\`\`python\n${code}\n\`\`\`\n`;
  for (let i = 0; i < reply.length; i += chunk) {
    stream.push(reply.slice(i, i + chunk));
  }
  return stream;
}

function submittedText(submitted: unknown[] | undefined): string {
  const value = submitted?.[0];
  return typeof value === "string"
    ? value
    : String((value as { answer: string }).answer);
}

Deno.test("SubmitLiteralStream reads Python literals as Pyodide's SUBMIT returns them", async () => {
  await using sb = pythonSandbox({ cellTimeout: 60 });
  await sb.run("n = 3");
  for (const { name, code, whole } of CASES) {
    const result = await sb.run(code);
    assertEquals(result.error, undefined, name);
    const answer = submittedText(result.submitted);
    const stream = streamed(code);
    assert(stream.found && stream.complete, name);
    if (whole) assertEquals(stream.text, answer, name);
    else if (!name.includes("method")) {
      assert(answer.startsWith(stream.text), `${name}: ${stream.text}`);
    }
    // Whatever the chunking, the same text.
    assertEquals(streamed(code, 7).text, stream.text, name);
  }
  assertEquals(streamed(CASES[4].code).text, 'C:\\new\\table \\"q\\"');
  assertEquals(streamed(CASES[9].code).text, "Found {all} ");
  assertEquals(streamed(CASES[10].code).text, "Total: {} files");
  assertEquals(streamed(CASES[11].code).text, "one ");
});

Deno.test("SubmitLiteralStream never shows half an escape or a quote that may close a literal", () => {
  for (const { name, code } of CASES) {
    const full = streamed(code).text;
    const reply = `\`\`\`py\n${code}`;
    for (let cut = 0; cut <= reply.length; cut++) {
      const stream = new SubmitLiteralStream("python");
      stream.push(reply.slice(0, cut));
      assert(
        full.startsWith(stream.text),
        `${name} cut at ${cut}: ${JSON.stringify(stream.text)}`,
      );
    }
  }
  const cut = new SubmitLiteralStream("python");
  cut.push('```python\nSUBMIT("""# Title\n\ntext \\x4');
  assertEquals(cut.text, "# Title\n\ntext ");
  assert(!cut.complete, "a cut-off stream waits for more");
  cut.push('1 ""');
  assertEquals(cut.text, "# Title\n\ntext A ");
});

Deno.test("SubmitLiteralStream streams only a runnable block's SUBMIT of a literal", () => {
  const texts = (repl: "js" | "python", reply: string) => {
    const stream = new SubmitLiteralStream(repl);
    for (const ch of reply) stream.push(ch);
    return [stream.found, stream.text];
  };
  // A variable is not streamed, in any form.
  for (
    const code of [
      "SUBMIT(answer)",
      "SUBMIT(answer=result)",
      "SUBMIT(report + '!')",
    ]
  ) {
    assertEquals(texts("python", `\`\`\`python\n${code}\n\`\`\``), [false, ""]);
  }
  // Blocks that do not run in the REPL are skipped, as the reply parser skips them.
  assertEquals(
    texts(
      "python",
      '```bash\nSUBMIT("no")\n```\n```js\nSUBMIT("no")\n```\n```py\nSUBMIT("yes")\n```',
    ),
    [true, "yes"],
  );
  assertEquals(texts("js", '```python\nSUBMIT("""no""")\n```\n'), [false, ""]);
  assertEquals(texts("python", '```\nSUBMIT("""bare""")\n```\n'), [
    true,
    "bare",
  ]);
  // A fence line inside the literal closes the block: the cell will not run as written.
  assertEquals(
    texts(
      "python",
      'Done.\n```python\nSUBMIT("""Run:\n\n```\nnpm test\n```\n""")\n```\n',
    ),
    [true, "Run:\n\n"],
  );
  // Fences within the literal that do not close the block are text.
  assertEquals(
    texts("python", '````python\nSUBMIT("""a\n```sh\nls\n```\nb""")\n````\n'),
    [true, "a\n```sh\nls\n```\nb"],
  );
});

Deno.test("AnswerView streams a Python answer with its escapes sanitized, and prints only the rest at the end", () => {
  const printed: string[] = [];
  const view = new AnswerView({
    print: (lines) => printed.push(...lines),
    style: createStyle(false),
    columns: () => 80,
    repl: () => "python",
  });
  view.step();
  const answer =
    "Hostile \x1b[2J\x1b]52;c;aGk=\x07 text \u202e end.\n\nRaw \x1b[31mred.\n\nLast.";
  const code =
    'SUBMIT(answer="""Hostile \\x1b[2J\\033]52;c;aGk=\\a text \\u202e end.\n\nRaw \x1b[31mred.\n\nLast.""")';
  for (const ch of `Done.\n\n\`\`\`python\n${code}\n\`\`\``) view.delta(ch);
  const screen = printed.join("\n");
  for (const raw of ["\x1b", "\x07", "\u202e"]) {
    assert(!screen.includes(raw), JSON.stringify(screen));
  }
  assert(
    screen.includes("Hostile ␛[2J␛]52;c;aGk=␇ text <U+202E> end."),
    screen,
  );
  assert(screen.includes("Raw ␛[31mred."), screen);
  assert(!screen.includes("Last."), "the last block waits for SUBMIT");
  view.finish(answer);
  assertEquals(printed.filter((l) => l.includes("Hostile")).length, 1);
  assertEquals(printed.at(-1), "  Last.");
  // `.format(...)` changed the text: the answer is printed whole, after a note.
  const other: string[] = [];
  const changed = new AnswerView({
    print: (lines) => other.push(...lines),
    style: createStyle(false),
    columns: () => 80,
    repl: () => "python",
  });
  for (
    const ch
      of '```python\nSUBMIT("""Found {} files.\n\nDone.""".format(n))\n```'
  ) {
    changed.delta(ch);
  }
  assertEquals(other, ["", "⏺ Found {} files."]);
  changed.finish("Found 3 files.\n\nDone.");
  assertEquals(other.slice(2), [
    "⏺ The submitted answer differs from the draft above:",
    "",
    "⏺ Found 3 files.",
    "  ",
    "  Done.",
  ]);
});
