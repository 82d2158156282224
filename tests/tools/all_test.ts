import { assert, assertEquals } from "./_assert.ts";
import { codingTools } from "../../src/tools/all.ts";

Deno.test("codingTools() lists the six tools in prompt order", () => {
  const tools = codingTools();
  assertEquals(tools.map((t) => t.name), [
    "read_file",
    "write_file",
    "edit_file",
    "glob_files",
    "grep_files",
    "run_bash",
  ]);
  for (const tool of tools) {
    assert(tool.description.length > 0, tool.name);
    assert(tool.params.length > 0, tool.name);
  }
});
