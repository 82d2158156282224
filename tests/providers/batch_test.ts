/**
 * Item 9: llm_query_batched uses the concurrency the provider allows: it
 * starts at the sub_lm_concurrency setting, backs off on 429 and
 * Retry-After, and a batch beyond the budget says how many prompts remain.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  answered,
  eventsOf,
  lastUser,
  runEmulated,
} from "../helpers/emulated_cli.ts";
import {
  type EmulatorOptions,
  startEmulator,
} from "../helpers/emulator/server.ts";

const BATCH =
  "const answers = llm_query_batched(Array.from({ length: 48 }, (_, i) => 'question ' + i));\nprint(answers.filter((a) => a.startsWith('[ERROR]')).length, answers.length, answers[47])";

function batchServer(options: Partial<EmulatorOptions>) {
  return startEmulator({
    provider: "vllm",
    ...options,
    script: (request) => {
      if (request.messages.length === 1) {
        return { text: `answer to ${request.messages[0].content}` };
      }
      return request.messages.length === 2
        ? { text: `Ask them all.\n\`\`\`js\n${BATCH}\n\`\`\`` }
        : { text: "```js\nSUBMIT('done')\n```" };
    },
  });
}

const MODEL = "openai/Qwen/Qwen2.5-Coder-32B-Instruct";

Deno.test("llm_query_batched keeps 32 of 48 prompts in flight by default (not 8)", async () => {
  await using emu = await batchServer({ latencyMs: 200 });
  const run = await runEmulated(emu, "ask 48 questions", { model: MODEL });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(emu.peakInFlight, 32);
  const shown = lastUser(answered(emu).filter((r) => r.messages.length > 1)[1]);
  assertStringIncludes(shown, "0 48 answer to question 47");
});

Deno.test("--sub-lm-concurrency sets how many prompts are in flight", async () => {
  await using emu = await batchServer({ latencyMs: 50 });
  const run = await runEmulated(emu, "ask 48 questions", {
    model: MODEL,
    args: ["--sub-lm-concurrency", "5"],
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(emu.peakInFlight, 5);
});

Deno.test("llm_query_batched backs off on 429 with Retry-After and still answers all 48 prompts", async () => {
  await using emu = await batchServer({
    latencyMs: 60,
    maxConcurrent: 8,
    retryAfterMs: 80,
  });
  const run = await runEmulated(emu, "ask 48 questions", { model: MODEL });
  assertEquals(run.code, 0, run.stderr);
  const shown = lastUser(answered(emu).filter((r) => r.messages.length > 1)[1]);
  assertStringIncludes(shown, "0 48 answer to question 47");
  const limited = eventsOf(run, "retry").filter((e) => e.rateLimited);
  assert(limited.length > 0);
  assert(limited.every((e) => e.source === "sub_lm" && e.retryAfterMs === 80));
  const lowered = eventsOf(run, "notice").filter((n) =>
    n.code === "concurrency_lowered"
  );
  assert(lowered.length > 0);
  assert(/(\d+) prompts in flight/.test(String(lowered.at(-1)!.message)));
});

Deno.test("llm_query_batched beyond the budget says how many prompts remain and sends none", async () => {
  await using emu = await startEmulator({
    provider: "vllm",
    script: (request) =>
      request.messages.length === 1
        ? { text: "a" }
        : request.messages.length === 2
        ? {
          text:
            "```js\nllm_query('one');\ntry { llm_query_batched(Array(60).fill('q')) } catch (e) { print(e.message) }\n```",
        }
        : { text: "```js\nSUBMIT('done')\n```" },
  });
  const run = await runEmulated(emu, "ask", { model: MODEL });
  assertEquals(run.code, 0, run.stderr);
  const shown = lastUser(answered(emu).filter((r) => r.messages.length > 1)[1]);
  assertStringIncludes(
    shown,
    "llm_query_batched: 60 prompts requested but only 49 of the turn's 50 sub-model prompts remain; send at most 49",
  );
  assertEquals(answered(emu).filter((r) => r.messages.length === 1).length, 1);
});
