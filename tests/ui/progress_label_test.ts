import { assertEquals } from "../helpers/assert.ts";
import { progressLabel } from "../../src/ui/progress_label.ts";

Deno.test("progressLabel() shows the count after the call's label, with the tool's message when there is one", () => {
  assertEquals(
    progressLabel("mcp.ci.build()", { progress: 3, total: 10 }),
    "mcp.ci.build() · 3/10",
  );
  assertEquals(
    progressLabel("mcp.ci.build()", { progress: 3, message: "Linking" }),
    "mcp.ci.build() · 3 Linking",
  );
  assertEquals(
    progressLabel("mcp.ci.build()", { progress: 0.3333333, total: 1 }),
    "mcp.ci.build() · 0.33/1",
  );
});

Deno.test("progressLabel() keeps a server's message inert and on one line", () => {
  const label = progressLabel("mcp.evil.run()", {
    progress: 1,
    total: 2,
    // A title change (OSC 0), a clipboard write (OSC 52), a cursor move and a newline.
    message:
      "step\x1b]0;owned\x07 one\x1b]52;c;ZWNobyBvd25lZA==\x07\x1b[2J\nnext line\r",
  });
  const controls = [...label].filter((c) => {
    const code = c.codePointAt(0)!;
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
  });
  assertEquals(controls, [], JSON.stringify(label));
  assertEquals(label.startsWith("mcp.evil.run() · 1/2 step"), true, label);
  assertEquals(label.includes("next line"), true, label);
});

Deno.test("progressLabel() fits its width: the message is cut first, then the label; the count always shows", () => {
  const long = "x".repeat(80);
  const cutMessage = progressLabel("mcp.a.b()", {
    progress: 2,
    total: 3,
    message: long,
  }, 40);
  assertEquals(cutMessage.length, 40);
  assertEquals(cutMessage, `mcp.a.b() · 2/3 ${"x".repeat(23)}…`);
  const cutLabel = progressLabel(`mcp.a.${long}()`, {
    progress: 20,
    total: 300,
    message: "Indexing",
  }, 40);
  assertEquals(cutLabel.length, 40);
  assertEquals(cutLabel.endsWith("… · 20/300"), true, cutLabel);
});
