/**
 * Item 6: the prompt tells the model the working directory, the platform,
 * what each function returns and what its failures look like.
 */

import { assert, assertStringIncludes } from "../helpers/assert.ts";
import { runEmulated } from "../helpers/emulated_cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";

Deno.test("nanocode's system prompt gives the working directory, platform, return types and failure looks", async () => {
  await using emu = await startEmulator({
    provider: "vllm",
    script: [{ text: "```js\nSUBMIT('ok')\n```" }],
  });
  let workspace = "";
  await runEmulated(emu, "hi", {
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
    inspect: (dir) => {
      workspace = Deno.realPathSync(dir);
    },
  });
  const system = emu.chats()[0].messages[0].content;
  assertStringIncludes(system, `working directory ${workspace}`);
  assertStringIncludes(system, "Deno.cwd() and process.cwd() return it");
  assertStringIncludes(system, `platform ${Deno.build.os} ${Deno.build.arch}`);
  for (
    const line of [
      "glob_files(pattern, path?) → string[] of paths",
      'grep_files(pattern, path?, glob?, max_results?) → string[] of "file:line:text" lines',
      'read_file(path, offset?, limit?) → string of numbered lines ("   1| first line")',
      "run_bash(cmd, timeout_s?, sandbox?) → string",
      "llm_query(prompt) → string",
      "llm_query_batched(prompts) → string[]",
    ]
  ) assertStringIncludes(system, line);
  assertStringIncludes(system, "a failing command is not an exception");
  assertStringIncludes(system, "the text to replace was not found");
  assertStringIncludes(system, "_out[n]");
  assert(system.split("Fails:").length > 6, "each tool says how it fails");
});
