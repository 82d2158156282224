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

Deno.test("displayPath() gives the same answer on its fast path as node:path would", () => {
  const cases: [string, string, string][] = [
    ["/ws/src/a.ts", "/ws", "src/a.ts"],
    ["/ws/./a.ts", "/ws", "a.ts"],
    ["/ws/src/../b.ts", "/ws", "b.ts"],
    ["/ws//c.ts", "/ws", "c.ts"],
    ["/wsx/a.ts", "/ws", "/wsx/a.ts"],
    ["/ws", "/ws", "."],
    ["/ws/", "/ws", "."],
    ["/ws/../etc/hosts", "/ws", "/ws/../etc/hosts"],
  ];
  for (const [path, ws, expected] of cases) {
    assertEquals(displayPath(path, ws), expected, path);
  }
});
