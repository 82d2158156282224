/**
 * Item 7: long turns stay inside the context window the RLM way: every
 * cell's whole output stays in `_out[n]`, older observations become stubs
 * in large, rare steps, and the prefix between elisions stays the same.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { eventsOf, runEmulated } from "../helpers/emulated_cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";
import { ContextKeeper } from "../../src/rlm/context_keeper.ts";
import type { ChatMessage } from "../../src/lm/types.ts";

const CELLS = 200;

Deno.test("nanocode completes a 200-cell turn printing 50 KB per cell against a 32k-window vLLM", async () => {
  await using emu = await startEmulator({
    provider: "vllm",
    script: (request) => {
      const step = request.messages.filter((m) =>
        m.role === "assistant"
      ).length + 1;
      return step < CELLS
        ? {
          text:
            `Cell ${step}.\n\`\`\`js\nprint('${step}:' + 'x'.repeat(50000))\n\`\`\``,
        }
        : {
          text:
            "```js\nSUBMIT(`${_out.length - 1} ${_out[1].length} ${_out[150].slice(0, 4)}`)\n```",
        };
    },
  });
  const run = await runEmulated(emu, "make a lot of output", {
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
    args: ["--max-iters", String(CELLS)],
  });
  assertEquals(run.code, 0, run.stderr);
  // _out keeps every cell's whole output: 199 printing cells, 50003 characters each.
  assertEquals(run.result.answer, "199 50003 150:");
  const chats = emu.chats();
  assertEquals(chats.length, CELLS);
  // Every request fitted the window: the emulator refused none.
  assertEquals(chats.filter((r) => r.status !== 200).length, 0);
  const elisions = eventsOf(run, "context_elided");
  assert(
    elisions.length > 0 && elisions.length <= CELLS / 4,
    `${elisions.length} elisions`,
  );
  // Between elisions a request extends the one before it exactly (cacheable prefix).
  const elidedAt = new Set(elisions.map((e) => Number(e.step)));
  for (let i = 1; i < chats.length; i++) {
    if (elidedAt.has(i + 1)) continue;
    const before = chats[i - 1].messages;
    const after = chats[i].messages;
    assertEquals(
      after.slice(0, before.length).map((m) => m.content),
      before.map((m) => m.content),
      `request ${i + 1}`,
    );
  }
  const last = chats.at(-1)!.messages;
  assertStringIncludes(last[3].content, "all of it is in _out[1]");
});

Deno.test("ContextKeeper.fit() elides the oldest observations down to 40% of the room and leaves the newest", () => {
  const messages: ChatMessage[] = [
    { role: "system", content: "rules" },
    { role: "user", content: "task" },
  ];
  const keeper = new ContextKeeper(messages);
  for (let step = 1; step <= 6; step++) {
    messages.push({ role: "assistant", content: `cell ${step}` });
    keeper.track(messages.length - 1, step, "reply");
    messages.push({
      role: "user",
      content: `${"o".repeat(3000)}\n\nCell ${step + 1} of 50.`,
    });
    keeper.track(
      messages.length - 1,
      step,
      "observation",
      `\n\nCell ${step + 1} of 50.`,
    );
  }
  const budget = { window: 8000, maxOutput: 2000, charsPerToken: 3 };
  const elision = keeper.fit(budget)!;
  assertEquals(elision.cells, [1, 2, 3, 4]);
  assert(
    elision.tokensAfter <= (8000 - 2000) * 0.4,
    String(elision.tokensAfter),
  );
  assertStringIncludes(messages[3].content, "all of it is in _out[1]");
  assertStringIncludes(messages[3].content, "Cell 2 of 50.");
  assertEquals(messages.at(-1)!.content.startsWith("ooo"), true);
  // Right after an elision the chat fits: nothing more to do.
  assertEquals(keeper.fit(budget), null);
});
