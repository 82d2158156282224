import { assert, assertEquals } from "../helpers/assert.ts";
import type { Key, KeyName } from "../../src/ui/keys.ts";
import { LineEditor, type LineEvent } from "../../src/ui/line_editor.ts";
import { MemoryOutput } from "../../src/ui/terminal.ts";
import { Screen } from "../helpers/screen.ts";

function setup(
  options: { columns?: number; prompt?: string; history?: string[] } = {},
) {
  const columns = options.columns ?? 40;
  const out = new MemoryOutput(true, columns);
  const editor = new LineEditor({
    out,
    prompt: options.prompt ?? "> ",
    history: options.history,
  });
  editor.start();
  const screen = () => {
    const s = new Screen(columns, { strict: true });
    s.feed(out.text);
    return s;
  };
  const press = (...keys: (KeyName | Key)[]): LineEvent | null => {
    let event: LineEvent | null = null;
    for (const k of keys) {
      event = editor.handle(
        typeof k === "string" ? { kind: "key", name: k } : k,
      );
    }
    return event;
  };
  return { out, editor, screen, press };
}

const type = (text: string): Key => ({ kind: "text", text });

Deno.test("LineEditor.start() draws the prompt", () => {
  const { screen } = setup({ prompt: "\x1b[36m>\x1b[39m " });
  assertEquals(screen().lines, [">"]);
  assertEquals(screen().cursor, [0, 2]);
});

Deno.test("LineEditor.handle() inserts typed text at the cursor", () => {
  const { editor, screen, press } = setup();
  press(type("helo"), "left", type("l"));
  assertEquals(editor.text, "hello");
  assertEquals(editor.cursor, 4);
  assertEquals(screen().lines, ["> hello"]);
  assertEquals(screen().cursor, [0, 6]);
  press("home", type("X"), "end", type("!"));
  assertEquals(editor.text, "Xhello!");
  press("ctrl-a", "right", "ctrl-f", "ctrl-b", type("_"), "ctrl-e", type("?"));
  assertEquals(editor.text, "X_hello!?");
  assertEquals(screen().lines, ["> X_hello!?"]);
});

Deno.test("LineEditor.handle() deletes with backspace, delete and ctrl-d", () => {
  const { editor, press } = setup();
  press(type("abcdef"), "backspace");
  assertEquals(editor.text, "abcde");
  press("home", "delete", "ctrl-d");
  assertEquals(editor.text, "cde");
  press("end", "delete", "ctrl-d");
  assertEquals(editor.text, "cde");
  press("home", "backspace");
  assertEquals(editor.text, "cde");
});

Deno.test("LineEditor.handle() kills to the start, the end and by word", () => {
  const { editor, press } = setup();
  press(type("one two three"), "left", "left", "ctrl-k");
  assertEquals(editor.text, "one two thr");
  press("ctrl-w");
  assertEquals(editor.text, "one two ");
  press("ctrl-w");
  assertEquals(editor.text, "one ");
  press(type("path/to-file"), "alt-backspace");
  assertEquals(editor.text, "one path/to-");
  press("ctrl-w");
  assertEquals(editor.text, "one ");
  press(type("x y"), "left", "ctrl-u");
  assertEquals(editor.text, "y");
  assertEquals(editor.cursor, 0);
});

Deno.test("LineEditor.handle() moves by word with alt-left and alt-right", () => {
  const { editor, press } = setup();
  press(type("foo bar.baz  qux"));
  press("alt-left");
  assertEquals(editor.cursor, 13);
  press("alt-left", "alt-left");
  assertEquals(editor.cursor, 4);
  press("alt-right");
  assertEquals(editor.cursor, 7);
  press("alt-right", "alt-right", "alt-right");
  assertEquals(editor.cursor, 16);
});

Deno.test("LineEditor.handle() walks history and restores the draft", () => {
  const { editor, press } = setup({ history: ["first", "second"] });
  press(type("draft"));
  press("up");
  assertEquals(editor.text, "second");
  press("up");
  assertEquals(editor.text, "first");
  press("up");
  assertEquals(editor.text, "first");
  press("down");
  assertEquals(editor.text, "second");
  press("down");
  assertEquals(editor.text, "draft");
  press("down");
  assertEquals(editor.text, "draft");
  assertEquals(editor.cursor, 5);
});

Deno.test("LineEditor.handle() submits on enter and grows the history", () => {
  const { editor, out, press } = setup({ history: ["old"] });
  assertEquals(press(type("do it"), "enter"), {
    type: "submit",
    text: "do it",
  });
  assert(out.text.endsWith("\r\n"), "the line ends with a newline");
  assertEquals(editor.text, "");
  editor.start();
  press(type("do it"), "enter");
  editor.start();
  assertEquals(press("enter"), { type: "submit", text: "" });
  assertEquals(editor.history, ["old", "do it"]);
  editor.start();
  press("up");
  assertEquals(editor.text, "do it");
});

Deno.test("LineEditor.handle() reports eof for ctrl-d on an empty line only", () => {
  const { editor, press } = setup();
  assertEquals(press("ctrl-d"), { type: "eof" });
  assertEquals(press(type("a"), "left", "ctrl-d"), null);
  assertEquals(editor.text, "");
  assertEquals(press("ctrl-d"), { type: "eof" });
});

Deno.test("LineEditor.handle() keeps pasted newlines and shows them as ⏎", () => {
  const { editor, screen, press } = setup();
  press({ kind: "paste", text: "line 1\nline 2\r\nline 3" });
  assertEquals(editor.text, "line 1\nline 2\nline 3");
  assertEquals(screen().lines, ["> line 1⏎line 2⏎line 3"]);
  press("tab", "alt-enter");
  assertEquals(
    press("enter"),
    { type: "submit", text: "line 1\nline 2\nline 3  \n" },
  );
});

Deno.test("LineEditor.handle() shows escape sequences in typed text inertly", () => {
  const { editor, out, screen, press } = setup();
  press({ kind: "paste", text: "\x1b[2J\x1b]52;c;aGk=\x07" });
  assertEquals(editor.text, "\x1b[2J\x1b]52;c;aGk=\x07");
  assertEquals(screen().lines, ["> ␛[2J␛]52;c;aGk=␇"]);
  assert(!out.text.includes("\x1b]") && !out.text.includes("\x07"));
});

Deno.test("LineEditor.redraw() wraps a line wider than the terminal", () => {
  const { editor, screen, press } = setup({ columns: 10 });
  const text = "abcdefghijklmnopqrstuvwxy"; // 2 + 25 = 27 columns
  press(type(text));
  assertEquals(screen().lines, ["> abcdefgh", "ijklmnopqr", "stuvwxy"]);
  assertEquals(screen().cursor, [2, 7]);
  press("home");
  assertEquals(screen().cursor, [0, 2]);
  press(type("12"), "right");
  assertEquals(screen().lines, ["> 12abcdef", "ghijklmnop", "qrstuvwxy"]);
  assertEquals(screen().cursor, [0, 5]);
  press("ctrl-k");
  assertEquals(screen().lines, ["> 12a"]);
  press(type("x".repeat(20)), "backspace");
  assertEquals(editor.text.length, 22);
  assertEquals(screen().lines, ["> 12axxxxx", "xxxxxxxxxx", "xxxx"]);
});

Deno.test("LineEditor.redraw() moves to the next row when text ends at the edge", () => {
  const { screen, press, out } = setup({ columns: 10 });
  press(type("12345678"));
  assertEquals(screen().lines, ["> 12345678", ""]);
  assertEquals(screen().cursor, [1, 0]);
  press("left");
  assertEquals(screen().cursor, [0, 9]);
  press("enter");
  assertEquals(screen().lines, ["> 12345678", ""]);
  assertEquals(screen().cursor, [1, 0]);
  assert(out.text.endsWith("\r\n") && !out.text.endsWith("\r\n\r\n"));
});

Deno.test("LineEditor.redraw() counts wide characters as two columns", () => {
  const { editor, screen, press } = setup({ columns: 7 });
  press(type("漢字"));
  assertEquals(screen().cursor, [0, 6]);
  press("left");
  assertEquals(editor.cursor, 1);
  assertEquals(screen().cursor, [0, 4]);
  press("end", type("😀"));
  // "> 漢字" fills 6 of 7 columns: the emoji wraps to the next row.
  assertEquals(screen().lines, ["> 漢字", "😀"]);
  assertEquals(screen().cursor, [1, 2]);
  press("backspace");
  assertEquals(editor.text, "漢字");
  press(type("e\u0301"), "backspace");
  assertEquals(editor.text, "漢字");
});

Deno.test("LineEditor.handle() inserts two spaces for tab", () => {
  const { editor, press } = setup();
  press(type("a"), "tab", type("b"));
  assertEquals(editor.text, "a  b");
});

Deno.test("LineEditor.handle() clears the screen and redraws on ctrl-l", () => {
  const { out, screen, press } = setup();
  press(type("keep"));
  out.text = "noise\r\n" + out.text;
  press("ctrl-l");
  assert(out.text.includes("\x1b[2J\x1b[H"));
  assertEquals(screen().lines, ["> keep"]);
});

Deno.test("LineEditor.clear() empties the line and redraws the prompt", () => {
  const { editor, screen, press } = setup({ columns: 10 });
  press(type("a long line of text"));
  editor.clear();
  assertEquals(editor.text, "");
  assertEquals(screen().lines, ["> "].map((l) => l.trimEnd()));
  assertEquals(screen().cursor, [0, 2]);
  assertEquals(press("ctrl-c", "escape"), null);
  assertEquals(editor.text, "");
});

Deno.test("LineEditor.redraw() writes only the prompt, text and cursor sequences", () => {
  const { out, press } = setup({ prompt: "\x1b[1m>\x1b[22m " });
  press(type("hi"), "left", "up", { kind: "paste", text: "x\ny" }, "ctrl-u");
  // deno-lint-ignore no-control-regex
  const sequences = out.text.match(/\x1b\[[0-9;]*[A-Za-z]/g) ?? [];
  for (const s of sequences) {
    assert(
      /^.\[(\d*[ACJ]|1m|22m)$/.test(s),
      `unexpected ${JSON.stringify(s)}`,
    );
  }
});

Deno.test("LineEditor.handle() collapses a large paste to one placeholder and submits it whole", () => {
  const { editor, screen, press } = setup({ columns: 60 });
  const pasted = Array.from({ length: 400 }, (_, i) => `line ${i + 1}`).join(
    "\n",
  );
  press(type("review "), { kind: "paste", text: pasted }, type(" please"));
  assertEquals(screen().lines, ["> review [pasted 400 lines] please"]);
  // The placeholder is one character: backspace over " please" then once more removes the paste.
  assertEquals(editor.value, `review ${pasted} please`);
  const event = press("enter");
  assertEquals(event, { type: "submit", text: `review ${pasted} please` });
});

Deno.test("LineEditor.handle() keeps a small paste as text, and a backspace removes a collapsed paste whole", () => {
  const { editor, press } = setup();
  press({ kind: "paste", text: "a\nb" });
  assertEquals(editor.text, "a\nb");
  editor.setText("");
  press({ kind: "paste", text: "x".repeat(2500) });
  assertEquals(editor.value.length, 2500);
  press("backspace");
  assertEquals(editor.value, "");
});

Deno.test("LineEditor.handle() turns backslash-Enter and Shift-Enter into a newline", () => {
  const { editor, press } = setup();
  press(type("first\\"), "enter", type("second"), "shift-enter", type("x"));
  assertEquals(editor.text, "first\nsecond\nx");
  assertEquals(press("enter"), { type: "submit", text: "first\nsecond\nx" });
});

Deno.test("LineEditor.layout() reports rows and the cursor without writing, and onChange replaces drawing", () => {
  const out = new MemoryOutput(true, 10);
  let changes = 0;
  const editor = new LineEditor({
    out,
    prompt: "> ",
    onChange: () => changes++,
  });
  editor.start();
  editor.handle({ kind: "text", text: "abcdefghijk" });
  assertEquals(out.text, "");
  assert(changes >= 2);
  const layout = editor.layout(10);
  assertEquals(layout.rows, 2);
  assertEquals([layout.cursorRow, layout.cursorCol], [1, 3]);
  editor.handle({ kind: "key", name: "home" });
  const home = editor.layout(10);
  assertEquals([home.cursorRow, home.cursorCol], [0, 2]);
  assertEquals(editor.handle({ kind: "key", name: "enter" }), {
    type: "submit",
    text: "abcdefghijk",
  });
  assertEquals(out.text, "");
});
