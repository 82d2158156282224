/**
 * The provider emulator itself: it refuses what the real providers refuse,
 * with their bodies, so that tests passing against it mean something.
 */

import { assertEquals } from "../helpers/assert.ts";
import { startEmulator } from "../helpers/emulator/server.ts";

async function post(url: string, body: unknown, key = "test-key") {
  const res = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${key}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const hello = [{ role: "user", content: "hello" }];

Deno.test("startEmulator() refuses max_tokens above gpt-4o's 16384 with OpenAI's body", async () => {
  await using emu = await startEmulator({ provider: "openai", script: [] });
  const { status, body } = await post(emu.url, {
    model: "gpt-4o",
    messages: hello,
    max_tokens: 50000,
  });
  assertEquals(status, 400);
  assertEquals(body.error, {
    message:
      "max_tokens is too large: 50000. This model supports at most 16384 completion tokens, whereas you provided 50000.",
    type: "invalid_request_error",
    param: "max_tokens",
    code: null,
  });
});

Deno.test("startEmulator() wraps Anthropic's refusal of an empty message in OpenRouter's metadata.raw", async () => {
  await using emu = await startEmulator({ provider: "openrouter", script: [] });
  const { status, body } = await post(emu.url, {
    model: "anthropic/claude-sonnet-4",
    max_tokens: 1000,
    messages: [...hello, { role: "assistant", content: "" }, {
      role: "user",
      content: "go on",
    }],
  });
  assertEquals(status, 400);
  assertEquals(body.error.message, "Provider returned error");
  assertEquals(body.error.metadata.provider_name, "Anthropic");
  assertEquals(
    JSON.parse(body.error.metadata.raw).error.message,
    "messages.1: all messages must have non-empty content except for the optional final assistant message",
  );
});

Deno.test("startEmulator() answers vLLM's flat error body when max_tokens does not fit the window", async () => {
  await using emu = await startEmulator({ provider: "vllm", script: [] });
  const { status, body } = await post(emu.url, {
    model: "Qwen/Qwen2.5-Coder-32B-Instruct",
    messages: hello,
    max_tokens: 50000,
  }, "anything");
  assertEquals(status, 400);
  assertEquals(body.object, "error");
  assertEquals(body.type, "BadRequestError");
  assertEquals(
    body.message,
    "'max_tokens' or 'max_completion_tokens' is too large: 50000. This model's maximum context length is 32768 tokens and your request has 6 input tokens (50000 > 32768 - 6).",
  );
});

Deno.test("startEmulator() refuses a prompt over llama.cpp's context with exceed_context_size_error", async () => {
  await using emu = await startEmulator({
    provider: "llamacpp",
    numCtx: 100,
    script: [],
  });
  const { status, body } = await post(emu.url, {
    model: "any",
    messages: [{ role: "user", content: "x".repeat(1000) }],
  });
  assertEquals(status, 400);
  assertEquals(body.error.type, "exceed_context_size_error");
  assertEquals([body.error.n_prompt_tokens, body.error.n_ctx], [254, 100]);
});

Deno.test("startEmulator() lets Ollama cut the prompt silently and report the cut count", async () => {
  await using emu = await startEmulator({
    provider: "ollama",
    numCtx: 100,
    script: [{ text: "ok" }],
  });
  const { status, body } = await post(emu.url, {
    model: "qwen2.5-coder:7b",
    messages: [{ role: "user", content: "x".repeat(1000) }],
  });
  assertEquals(status, 200);
  assertEquals(body.usage.prompt_tokens, 100);
});

Deno.test("startEmulator() answers OpenRouter's 402 when the credit cannot cover max_tokens", async () => {
  await using emu = await startEmulator({
    provider: "openrouter",
    affordableTokens: 12837,
    script: [],
  });
  const { status, body } = await post(emu.url, {
    model: "openai/gpt-5-mini",
    messages: hello,
    max_tokens: 50000,
  });
  assertEquals(status, 402);
  assertEquals(body.error.code, 402);
  assertEquals(
    body.error.message,
    "This request requires more credits, or fewer max_tokens. You requested up to 50000 tokens, but can only afford 12837. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account",
  );
});
