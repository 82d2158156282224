import { assertEquals } from "../helpers/assert.ts";
import { OpenAiLm } from "../../src/lm/client.ts";
import { RLM } from "../../src/rlm/rlm.ts";
import { Sandbox } from "../../src/sandbox/sandbox.ts";
import { startEmulator } from "../helpers/emulator/server.ts";

Deno.test("RLM.run() keeps the whole chat, unshortened, when elision is off", async () => {
  await using emu = await startEmulator({
    provider: "vllm",
    script: (r) =>
      r.messages.length < 6
        ? { text: "```js\nprint('x'.repeat(1000))\n```" }
        : { text: "```js\nSUBMIT('done')\n```" },
  });
  await using sandbox = new Sandbox();
  const lm = new OpenAiLm({
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
    apiBase: emu.url,
    env: () => undefined,
    maxTokens: 500,
  });
  const rlm = new RLM({
    signature: {
      instructions: "x",
      inputs: [{ name: "task", type: "string" }],
      outputs: [{ name: "answer", type: "string" }],
    },
    lm,
    sandbox,
    elision: false,
  });
  const result = await rlm.run({ task: "t" });
  assertEquals(result.outputs.answer, "done");
  assertEquals(emu.chats().map((r) => r.messages.length), [2, 4, 6]);
});
