import { assert, assertEquals } from "../helpers/assert.ts";
import { Screen } from "../helpers/screen.ts";
import { LineEditor } from "../../src/ui/line_editor.ts";
import { LiveRegion } from "../../src/ui/live_region.ts";
import { MemoryOutput } from "../../src/ui/terminal.ts";

function setup(columns = 40) {
  const out = new MemoryOutput(true, columns);
  const region = new LiveRegion(out, {
    above: ["activity", "spinner"],
    below: ["footer"],
  });
  const screen = () => {
    const s = new Screen(columns, { strict: true });
    s.feed(out.text);
    return s;
  };
  return { out, region, screen };
}

Deno.test("LiveRegion.print() writes above the region, which is drawn again below it", () => {
  const { region, screen } = setup();
  region.set("spinner", ["⠋ Thinking…"]);
  region.set("footer", ["  ask · model"]);
  region.print("⏺ Read(a.ts)");
  region.print("  ⎿ 3 lines\n");
  region.set("spinner", ["⠙ Thinking…"]);
  assertEquals(screen().lines, [
    "⏺ Read(a.ts)",
    "  ⎿ 3 lines",
    "⠙ Thinking…",
    "  ask · model",
  ]);
});

Deno.test("LiveRegion keeps the cursor in the editor, between the sections", () => {
  const { out, region, screen } = setup();
  const editor = new LineEditor({
    out,
    prompt: "> ",
    onChange: () => region.render(),
  });
  region.set("spinner", ["spin"]);
  region.set("footer", ["foot"]);
  region.editor = editor;
  editor.start();
  editor.handle({ kind: "text", text: "hello" });
  const s = screen();
  assertEquals(s.lines, ["spin", "> hello", "foot"]);
  assertEquals(s.cursor, [1, 7]);
  region.print("committed");
  assertEquals(screen().lines, ["committed", "spin", "> hello", "foot"]);
});

Deno.test("LiveRegion cuts section lines to the width so nothing wraps", () => {
  const { region, screen } = setup(20);
  region.set("spinner", ["x".repeat(50)]);
  const lines = screen().lines;
  assertEquals(lines.length, 1);
  assertEquals(lines[0], `${"x".repeat(18)}…`);
});

Deno.test("LiveRegion.hide() keeps what is printed until show()", () => {
  const { out, region, screen } = setup();
  region.set("spinner", ["spin"]);
  region.hide();
  const before = out.text.length;
  region.print("while hidden");
  region.set("spinner", ["spin 2"]);
  assertEquals(out.text.length, before);
  region.show();
  assertEquals(screen().lines, ["while hidden", "spin 2"]);
});

Deno.test("LiveRegion redraws without duplicate rows after the terminal reflowed to a narrower width", () => {
  const { out, region } = setup(60);
  const editor = new LineEditor({
    out,
    prompt: "> ",
    onChange: () => region.render(),
  });
  region.set("footer", ["footer line"]);
  region.editor = editor;
  editor.start();
  editor.handle({
    kind: "text",
    text: "a sentence that is long enough to wrap",
  });
  const screen = new Screen(60, { strict: true });
  screen.feed(out.text);
  const mark = out.text.length;
  screen.resize(20);
  out.width = 20;
  region.resized();
  screen.feed(out.text.slice(mark));
  assertEquals(screen.lines.filter((l) => l.startsWith("> ")).length, 1);
  assertEquals(
    screen.lines.slice(0, -1).join(""),
    "> a sentence that is long enough to wrap",
  );
  assertEquals(screen.lines.at(-1), "footer line");
});

Deno.test("LiveRegion.batch() draws once for many changes, and a non-terminal gets only printed text", () => {
  const { out, region } = setup();
  region.batch(() => {
    region.set("spinner", ["a"]);
    region.set("activity", ["b"]);
    region.set("footer", ["c"]);
  });
  assertEquals(out.text.split("\x1b[?2026h").length, 2);
  const plain = new MemoryOutput(false);
  const quiet = new LiveRegion(plain);
  quiet.set("spinner", ["spin"]);
  quiet.print("text");
  assertEquals(plain.text, "text\n");
  assert(!plain.text.includes("\x1b"));
});
