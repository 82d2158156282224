/**
 * Items 1-3 with more of the providers users bring: Gemini's
 * OpenAI-compatible endpoint, xAI, Mistral, Moonshot, Groq's reasoning
 * models, Novita through OpenRouter, and Hugging Face's TGI. Each refuses
 * the first request the way it really does; nanocode must adapt and
 * finish, or fail with one line naming the cause and the fix.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  answered,
  eventsOf,
  oneLine,
  runEmulated,
} from "../helpers/emulated_cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";
import type { EmuReply } from "../helpers/emulator/wire.ts";

const DONE: EmuReply[] = [{ text: "Done.\n```js\nSUBMIT('ok')\n```" }];

/** The output limit of each chat request, in order. */
function limits(emu: { chats(): { body: Record<string, unknown> }[] }) {
  return emu.chats().map((r) =>
    r.body.max_tokens ?? r.body.max_completion_tokens
  );
}

Deno.test("nanocode says GEMINI_API_KEY is wrong when Gemini answers a bad key with HTTP 400 in a list", async () => {
  await using emu = await startEmulator({ provider: "gemini", script: DONE });
  const run = await runEmulated(emu, "hi", {
    model: "gemini/gemini-2.5-flash",
    env: { GEMINI_API_KEY: "wrong-key" },
  });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(line, "rejected the API key");
  assertStringIncludes(line, "API key not valid");
  assertStringIncludes(line, "check GEMINI_API_KEY");
  assert(!line.includes('[{"error"'), line);
  assertEquals(emu.chats().length, 1, "a bad key is not retried");
});

Deno.test("nanocode says XAI_API_KEY is wrong when xAI answers a bad key with HTTP 400", async () => {
  await using emu = await startEmulator({ provider: "xai", script: DONE });
  const run = await runEmulated(emu, "hi", {
    model: "xai/grok-code-fast-1",
    env: { XAI_API_KEY: "xai-wrong" },
  });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(line, "Incorrect API key provided");
  assertStringIncludes(line, "check XAI_API_KEY");
  assert(!line.includes("check the model name"), line);
  assertEquals(emu.chats().length, 1);
});

Deno.test("nanocode calls a prompt over Gemini's window a prompt too long, not a bad model name", async () => {
  await using emu = await startEmulator({
    provider: "gemini",
    models: { "gemini-2.0-flash-lite": { window: 600, maxOutput: 8_192 } },
    script: DONE,
  });
  const run = await runEmulated(emu, "hi", {
    model: "gemini/gemini-2.0-flash-lite",
    env: { GEMINI_API_KEY: "test-key" },
  });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(line, "The prompt alone is too long");
  assertStringIncludes(line, "exceeds the maximum number of tokens allowed");
  assert(!line.includes("check the model name"), line);
});

Deno.test("nanocode lowers max_tokens to what Gemini's 'supported range' allows and finishes", async () => {
  await using emu = await startEmulator({ provider: "gemini", script: DONE });
  const run = await runEmulated(emu, "hi", {
    model: "gemini/gemini-2.0-flash",
    env: { GEMINI_API_KEY: "test-key" },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(limits(emu), [50_000, 8_192]);
  assertEquals(eventsOf(run, "notice").map((n) => n.code), [
    "max_tokens_lowered",
  ]);
});

Deno.test("nanocode lowers max_tokens when Novita (through OpenRouter) says it 'must be between 0 and 32768'", async () => {
  await using emu = await startEmulator({
    provider: "openrouter",
    listLimits: false,
    script: DONE,
  });
  const run = await runEmulated(emu, "hi", {
    model: "openrouter/deepseek/deepseek-v3.1-terminus:exacto",
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(limits(emu), [50_000, 32_768]);
});

Deno.test("nanocode lowers max_tokens when Moonshot expects 'a value <= 32768'", async () => {
  await using emu = await startEmulator({ provider: "moonshot", script: DONE });
  const run = await runEmulated(emu, "hi", {
    model: "openai/kimi-k2-0905-preview",
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(limits(emu), [50_000, 32_768]);
});

Deno.test("nanocode learns a TGI server's window from the validation error it sends inside a 200 stream", async () => {
  await using emu = await startEmulator({ provider: "tgi", script: DONE });
  const run = await runEmulated(emu, "hi", { model: "openai/tgi" });
  assertEquals(run.code, 0, run.stderr);
  const [first, second] = limits(emu) as number[];
  assertEquals(first, 50_000);
  assert(second < 8_192, `asked ${second} of an 8192-token window`);
  assertEquals(emu.chats().length, 2, "not retried as a server failure");
  assertEquals(eventsOf(run, "notice").map((n) => n.code), ["window_learnt"]);
});

Deno.test("nanocode drops stream_options when Mistral answers 422 'Extra inputs are not permitted'", async () => {
  await using emu = await startEmulator({ provider: "mistral", script: DONE });
  const run = await runEmulated(emu, "hi", {
    model: "mistral/mistral-large-latest",
    env: { MISTRAL_API_KEY: "test-key" },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(emu.chats().map((r) => r.status), [422, 200]);
  assertEquals(answered(emu)[0].body.stream_options, undefined);
  assertEquals(answered(emu)[0].body.max_completion_tokens, undefined);
});

Deno.test("nanocode drops reasoning_effort where Groq's and xAI's models refuse it, in their words", async () => {
  const cases: [Parameters<typeof startEmulator>[0]["provider"], string][] = [
    ["groq", "groq/llama-3.3-70b-versatile"],
    ["groq", "groq/qwen/qwen3-32b"],
    ["xai", "xai/grok-4"],
  ];
  for (const [provider, model] of cases) {
    await using emu = await startEmulator({ provider, script: DONE });
    const run = await runEmulated(emu, "hi", {
      model,
      args: ["--reasoning-effort", "high"],
      env: { XAI_API_KEY: "test-key" },
    });
    assertEquals(run.code, 0, `${model}: ${run.stderr}`);
    assertEquals(emu.chats().map((r) => r.status), [400, 200], model);
    assertEquals(emu.chats()[0].body.reasoning_effort, "high", model);
    assertEquals(answered(emu)[0].body.reasoning_effort, undefined, model);
    assertEquals(eventsOf(run, "notice").map((n) => n.code), [
      "dropped_reasoning_effort",
    ], model);
  }
});

Deno.test("nanocode retries OpenRouter's 200 reply that holds only an upstream error, instead of failing on it", async () => {
  let subCalls = 0;
  await using emu = await startEmulator({
    provider: "openrouter",
    script: (request) => {
      if (request.messages.length === 1) {
        // github.com/xyOz-dev/Saturn/pull/43: a provider failing after
        // OpenRouter accepted a non-streamed request comes back as a 200.
        return subCalls++ === 0
          ? {
            error: {
              status: 200,
              body: {
                id: "gen-emulator",
                error: { code: 502, message: "Upstream error from OpenAI" },
                user_id: "user_emulator",
              },
            },
          }
          : { text: "sub-answer" };
      }
      return request.messages.some((m) => m.role === "assistant")
        ? DONE[0]
        : { text: "```js\nprint(llm_query('say hi'))\n```" };
    },
  });
  const run = await runEmulated(emu, "hi", {
    model: "openrouter/openai/gpt-5-mini",
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(subCalls, 2);
  const shown = answered(emu).filter((r) => r.messages.length > 2).at(-1)!;
  assertStringIncludes(shown.messages.at(-1)!.content, "sub-answer");
});
