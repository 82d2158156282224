/**
 * Item 10: Ollama cuts an over-long prompt to its context silently; nanocode
 * notices that the reported prompt is far shorter than what it sent and
 * says once how to raise the context.
 */

import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { eventsOf, runEmulated } from "../helpers/emulated_cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";

Deno.test("nanocode says once how to raise Ollama's context when Ollama silently cut the prompt", async () => {
  await using emu = await startEmulator({
    provider: "ollama",
    numCtx: 2_048,
    script: [
      { text: "```js\nprint(task.length)\n```" },
      { text: "```js\nSUBMIT('read it')\n```" },
    ],
  });
  const run = await runEmulated(
    emu,
    `Summarise this log:\n${
      "2026-01-01 INFO request served in 12 ms\n".repeat(800)
    }`,
    {
      model: "ollama/qwen2.5-coder:7b",
    },
  );
  assertEquals(run.code, 0, run.stderr);
  const notices = eventsOf(run, "notice").filter((n) =>
    n.code === "prompt_truncated"
  );
  assertEquals(notices.length, 1);
  const message = String(notices[0].message);
  assertStringIncludes(message, "Ollama cut the prompt to 2048 tokens");
  assertStringIncludes(message, "OLLAMA_CONTEXT_LENGTH=32768 ollama serve");
  assertStringIncludes(message, "num_ctx");
});

Deno.test("nanocode says nothing about truncation when Ollama's context holds the prompt", async () => {
  await using emu = await startEmulator({
    provider: "ollama",
    numCtx: 32_768,
    script: [{ text: "```js\nSUBMIT('ok')\n```" }],
  });
  const run = await runEmulated(emu, "hi", {
    model: "ollama/qwen2.5-coder:7b",
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(eventsOf(run, "notice"), []);
});
