import { assertEquals } from "./_assert.ts";
import { displayPath } from "../../src/tools/display_path.ts";

Deno.test("displayPath() is relative to the workspace when the path is inside", () => {
  assertEquals(displayPath("/ws/src/a.ts", "/ws"), "src/a.ts");
  assertEquals(displayPath("/ws", "/ws"), ".");
  assertEquals(displayPath("/ws/..x", "/ws"), "..x");
});

Deno.test("displayPath() stays absolute when the path is outside the workspace", () => {
  assertEquals(displayPath("/etc/hosts", "/ws"), "/etc/hosts");
  assertEquals(displayPath("/wsx/a", "/ws"), "/wsx/a");
});
