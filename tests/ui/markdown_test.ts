import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { renderMarkdown } from "../../src/ui/markdown.ts";
import { createStyle } from "../../src/ui/style.ts";
import { displayWidth, stripSgr } from "../../src/ui/width.ts";

const plain = createStyle(false);
const color = createStyle(true);

function md(text: string, width = 80): string {
  return renderMarkdown(text, plain, width);
}

Deno.test("renderMarkdown() turns headings into their text when style is off", () => {
  assertEquals(md("# One\n## Two\n###### Six ##"), "One\nTwo\nSix");
  assertEquals(md("#hashtag"), "#hashtag");
});

Deno.test("renderMarkdown() makes headings bold and h1 underlined when styled", () => {
  const h1 = renderMarkdown("# Title", color, 80);
  assertStringIncludes(h1, "\x1b[1m");
  assertStringIncludes(h1, "\x1b[4m");
  const h2 = renderMarkdown("## Sub", color, 80);
  assertStringIncludes(h2, "\x1b[1mSub\x1b[22m");
  assert(!h2.includes("\x1b[4m"), "h2 is not underlined");
});

Deno.test("renderMarkdown() removes emphasis and code markers when style is off", () => {
  assertEquals(
    md("a **bold** b __strong__ c *it* d _em_ e `co*de*` f ***both***"),
    "a bold b strong c it d em e co*de* f both",
  );
});

Deno.test("renderMarkdown() styles bold, italic and inline code with SGR codes", () => {
  const out = renderMarkdown("**b** *i* `c`", color, 80);
  assertEquals(out, "\x1b[1mb\x1b[22m \x1b[3mi\x1b[23m \x1b[36mc\x1b[39m");
});

Deno.test("renderMarkdown() leaves intraword underscores and lone stars alone", () => {
  assertEquals(
    md("call snake_case_name with 2 * 3 * 4"),
    "call snake_case_name with 2 * 3 * 4",
  );
  assertEquals(md("escaped \\*not italic\\*"), "escaped *not italic*");
});

Deno.test("renderMarkdown() renders an unclosed bold or code span literally", () => {
  assertEquals(md("**never closed and `tick"), "**never closed and `tick");
  assertEquals(
    renderMarkdown("**open", color, 80),
    "**open",
  );
});

Deno.test("renderMarkdown() indents fenced code with a lang label and no markdown inside", () => {
  const text =
    "Before:\n\n```ts\nconst a = **1**;\n\tif (x) {}\n# not a heading\n```\nAfter.";
  assertEquals(
    md(text),
    "Before:\n\n  ts\n  const a = **1**;\n      if (x) {}\n  # not a heading\nAfter.",
  );
  assertEquals(md("```\nplain\n```"), "  plain");
});

Deno.test("renderMarkdown() dims the code block label when styled", () => {
  const out = renderMarkdown("```js\nx\n```", color, 80);
  assertEquals(out, "  \x1b[2mjs\x1b[22m\n  x");
});

Deno.test("renderMarkdown() renders the rest of an unclosed fence as code", () => {
  assertEquals(
    md("text\n```py\nprint(1)\n**not bold**"),
    "text\n  py\n  print(1)\n  **not bold**",
  );
});

Deno.test("renderMarkdown() does not wrap code block lines", () => {
  const long = "x".repeat(50);
  assertEquals(md("```\n" + long + "\n```", 20), "  " + long);
});

Deno.test("renderMarkdown() renders bullet lists with nesting", () => {
  assertEquals(
    md("- one\n* two\n  - nested\n    - deeper\n+ three"),
    "• one\n• two\n  • nested\n    • deeper\n• three",
  );
});

Deno.test("renderMarkdown() keeps numbered list markers", () => {
  assertEquals(
    md("1. first\n2. second\n   - sub\n10) tenth"),
    "1. first\n2. second\n   • sub\n10) tenth",
  );
});

Deno.test("renderMarkdown() indents wrapped list items under the item text", () => {
  assertEquals(
    md("- alpha beta gamma delta\n12. one two three four", 14),
    "• alpha beta\n  gamma delta\n12. one two\n    three four",
  );
});

Deno.test("renderMarkdown() joins lazy continuation lines into the list item", () => {
  assertEquals(
    md("- one\ncontinued\n\n  second paragraph"),
    "• one continued\n\n  second paragraph",
  );
});

Deno.test("renderMarkdown() renders block quotes with a bar", () => {
  assertEquals(
    md("> quoted **text**\n> more\n>\n> - item"),
    "│ quoted text more\n│\n│ • item",
  );
  assertEquals(md("> outer\n> > inner"), "│ outer\n│ │ inner");
});

Deno.test("renderMarkdown() dims the quote bar when styled", () => {
  assertEquals(renderMarkdown("> hi", color, 80), "\x1b[2m│ \x1b[22mhi");
});

Deno.test("renderMarkdown() draws horizontal rules to the width capped at 80", () => {
  assertEquals(md("a\n\n---\n\nb", 30), `a\n\n${"─".repeat(30)}\n\nb`);
  assertEquals(md("***", 200), "─".repeat(80));
  assertEquals(md("- - -", 5), "─────");
  assertEquals(renderMarkdown("___", color, 3), "\x1b[2m───\x1b[22m");
});

Deno.test("renderMarkdown() shows links as text and url", () => {
  assertEquals(
    md("see [the docs](https://x.dev/a_(b)) or <https://y.dev>"),
    "see the docs (https://x.dev/a_(b)) or https://y.dev",
  );
  assertEquals(md('[**bold** link](u "title")'), "bold link (u)");
  assertEquals(md("[https://z.dev](https://z.dev)"), "https://z.dev");
  assertEquals(md("[not a link] (x)"), "[not a link] (x)");
});

Deno.test("renderMarkdown() dims link urls when styled", () => {
  assertEquals(
    renderMarkdown("[t](https://u)", color, 80),
    "t (\x1b[2mhttps://u\x1b[22m)",
  );
});

Deno.test("renderMarkdown() makes escape sequences in the input inert", () => {
  const evil = "\x1b]52;c;aGk=\x07";
  const text = `# ${evil}\n\npara ${evil} \`${evil}\` [l](${evil})\n\n` +
    "```\x1b[31m\n" + evil + "\n```\n\n- \x1b[2J\n> \u202eabc";
  for (const style of [plain, color]) {
    const out = renderMarkdown(text, style, 80);
    assertStringIncludes(out, "␛]52;c;aGk=␇");
    assertStringIncludes(out, "␛[2J");
    assertStringIncludes(out, "<U+202E>abc");
    assert(!out.includes("\x07") && !out.includes("\u202e"));
    // Only our own SGR codes remain.
    assertEquals(stripSgr(out).includes("\x1b"), false);
  }
  assert(!md(text).includes("\x1b"), "no escape codes when style is off");
});

Deno.test("renderMarkdown() wraps paragraphs at the width", () => {
  const text =
    "The quick brown fox jumps over the lazy dog and keeps running far away.";
  const out = md(text, 20);
  assertEquals(
    out,
    "The quick brown fox\njumps over the lazy\ndog and keeps\nrunning far away.",
  );
  for (const line of out.split("\n")) assert(displayWidth(line) <= 20);
});

Deno.test("renderMarkdown() wraps styled text by its visible width", () => {
  const out = renderMarkdown("**bold words** and `code spans` here", color, 12);
  const lines = out.split("\n").map(stripSgr);
  assertEquals(lines, ["bold words", "and code", "spans here"]);
});

Deno.test("renderMarkdown() counts wide characters as two columns when wrapping", () => {
  assertEquals(md("漢字漢字 漢字 ab", 8), "漢字漢字\n漢字 ab");
  assertEquals(md("x".repeat(25), 10), "xxxxxxxxxx\nxxxxxxxxxx\nxxxxx");
});

Deno.test("renderMarkdown() keeps hard line breaks and collapses blank lines", () => {
  assertEquals(
    md("one  \ntwo\\\nthree\nfour\n\n\n\nfive\n\n"),
    "one\ntwo\nthree four\n\nfive",
  );
});

Deno.test("renderMarkdown() lays a table out with aligned columns and box borders", () => {
  assertEquals(
    md("| name | n |\n|:---|--:|\n| **alpha** | 1 |\n| `b` | 22 |"),
    [
      "┌───────┬────┐",
      "│ name  │ n  │",
      "├───────┼────┤",
      "│ alpha │  1 │",
      "│ b     │ 22 │",
      "└───────┴────┘",
    ].join("\n"),
  );
});

Deno.test("renderMarkdown() centres, counts wide characters and keeps escaped pipes in tables", () => {
  const lines = md("a | b\n:-:|---\n漢字 | x \\| y\nz | `p|q`").split("\n");
  assertEquals(lines, [
    "┌──────┬───────┐",
    "│ a    │ b     │",
    "├──────┼───────┤",
    "│ 漢字 │ x | y │",
    "│  z   │ p|q   │",
    "└──────┴───────┘",
  ]);
});

Deno.test("renderMarkdown() wraps table cells at word boundaries when the table is wider than the width", () => {
  const text = md(
    "| key | description |\n|---|---|\n| a | the quick brown fox jumps over the lazy dog again and again |",
    40,
  );
  const lines = text.split("\n");
  for (const line of lines) assert(displayWidth(line) <= 40, line);
  // Every row of the table has its borders in the same columns.
  const bars = lines.map((line) =>
    [...line].flatMap((ch, i) => "│┼┬┴├┤┌┐└┘".includes(ch) ? [i] : [])
      .join(",")
  );
  assertEquals(new Set(bars).size, 1);
  assert(text.includes("the quick brown"), text);
  assert(!/\b(qu|bro|ju)\s*│\s*$/m.test(text), "no word is cut");
});

Deno.test("renderMarkdown() leaves lines with pipes but no delimiter row as text", () => {
  assertEquals(md("a | b\nc | d"), "a | b c | d");
});

Deno.test("displayWidth() counts wide, emoji, combining and styled text", () => {
  assertEquals(displayWidth("abc"), 3);
  assertEquals(displayWidth("漢字"), 4);
  assertEquals(displayWidth("ｆｕｌｌ"), 8);
  assertEquals(displayWidth("😀"), 2);
  assertEquals(displayWidth("👨‍👩‍👧"), 2);
  assertEquals(displayWidth("❤️"), 2);
  assertEquals(displayWidth("e\u0301"), 1);
  assertEquals(displayWidth("\x1b[1mbold\x1b[22m \x1b[36m漢\x1b[39m"), 7);
  assertEquals(displayWidth("한국어"), 6);
  assertEquals(displayWidth("─•│"), 3);
});

Deno.test("renderMarkdown() still finds emphasis after a delimiter that is not one", () => {
  assertEquals(
    md("2 * 3 is *six* and a_b is _em_"),
    "2 * 3 is six and a_b is em",
  );
  assertEquals(
    md("**open and *closed* then **bold**"),
    "**open and closed then bold",
  );
});

Deno.test("renderMarkdown() closes a fence only with a long enough fence of the same kind", () => {
  assertEquals(
    md("````md\n```js\nx\n~~~\n```\n````\nafter"),
    "  md\n  ```js\n  x\n  ~~~\n  ```\nafter",
  );
  assertEquals(md("~~~\n`a`\n~~~"), "  `a`");
});
