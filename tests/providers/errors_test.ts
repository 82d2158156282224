/**
 * Item 2: errors name the real cause and the fix, in one line, and are not
 * retried when retrying cannot help.
 */

import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { eventsOf, oneLine, runEmulated } from "../helpers/emulated_cli.ts";
import { OPENAI, OPENROUTER } from "../helpers/emulator/errors.ts";
import { startEmulator } from "../helpers/emulator/server.ts";

Deno.test("nanocode shows OpenRouter's upstream message and provider when OpenRouter says 'Provider returned error'", async () => {
  const raw = OPENAI.unknownParameter("x").body as {
    error: Record<string, unknown>;
  };
  raw.error.message =
    "Invalid 'messages[1].content': string too long. Expected a string with maximum length 10485760, but got a string with length 12000000 instead.";
  await using emu = await startEmulator({
    provider: "openrouter",
    script: [{ error: OPENROUTER.upstream(400, raw, "OpenAI") }],
  });
  const run = await runEmulated(emu, "hi", {
    model: "openrouter/openai/gpt-5-mini",
  });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(line, "OpenAI via OpenRouter");
  assertStringIncludes(line, "string too long");
  assert(!line.includes("Provider returned error"), line);
});

Deno.test("nanocode names --max-tokens when the OpenRouter credit cannot cover even a short reply", async () => {
  await using emu = await startEmulator({
    provider: "openrouter",
    affordableTokens: 300,
    script: [],
  });
  const run = await runEmulated(emu, "hi", {
    model: "openrouter/openai/gpt-5-mini",
  });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertMatch(line, /credit cannot pay for this request \(HTTP 402/);
  assertStringIncludes(line, "--max-tokens");
  assertEquals(emu.chats().length, 1);
});

Deno.test("nanocode says the prompt alone is too long, naming llama.cpp's --ctx-size, when the server runs a tiny context", async () => {
  await using emu = await startEmulator({
    provider: "llamacpp",
    numCtx: 512,
    script: [],
  });
  const run = await runEmulated(emu, "hi", {
    model: "openai/qwen2.5-coder-7b-instruct-q4_k_m.gguf",
  });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(line, "The prompt alone is too long");
  assertStringIncludes(line, "--ctx-size");
  assert(!/conversation/.test(line), line);
});

Deno.test("nanocode names vLLM's --max-model-len when its window cannot hold the prompt", async () => {
  await using emu = await startEmulator({
    provider: "vllm",
    models: { "Qwen/Qwen2.5-Coder-32B-Instruct": { window: 1_024 } },
    listLimits: false,
    script: [],
  });
  const run = await runEmulated(emu, "hi", {
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
  });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(line, "The prompt alone is too long");
  assertStringIncludes(line, "--max-model-len");
});

Deno.test("nanocode says a web page is not an OpenAI-compatible API and does not retry", async () => {
  await using emu = await startEmulator({
    provider: "vllm",
    html: true,
    script: [],
  });
  const run = await runEmulated(emu, "hi", { model: "openai/any" });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(
    line,
    "is not an OpenAI-compatible API (got text/html 'Welcome to nginx!'): check --api-base",
  );
  assertEquals(emu.chats().length, 1);
  assertEquals(eventsOf(run, "retry"), []);
});

Deno.test("nanocode does not retry when the account has no quota (insufficient_quota)", async () => {
  await using emu = await startEmulator({
    provider: "openai",
    quotaExhausted: true,
    script: [],
  });
  const run = await runEmulated(emu, "hi", { model: "openai/gpt-4o" });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(line, "has no quota left");
  assertStringIncludes(line, "exceeded your current quota");
  assertEquals(emu.chats().length, 1);
  assertEquals(eventsOf(run, "retry"), []);
});

Deno.test("nanocode does not retry a rejected key (401)", async () => {
  await using emu = await startEmulator({ provider: "openai", script: [] });
  const run = await runEmulated(emu, "hi", {
    model: "openai/gpt-4o",
    env: { OPENAI_API_KEY: "sk-wrong-1234" },
  });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(line, "rejected the API key (HTTP 401");
  assertStringIncludes(line, "OPENAI_API_KEY");
  assertEquals(emu.chats().length, 1);
});

Deno.test("nanocode fails at once, without retries, when nothing listens on a loopback --api-base", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${listener.addr.port}/v1`;
  listener.close();
  await using emu = await startEmulator({ provider: "vllm", script: [] });
  const run = await runEmulated(emu, "hi", {
    model: "openai/m",
    env: { NANOCODE_API_BASE: url },
  });
  assertEquals(run.code, 1);
  const line = oneLine(run.stderr);
  assertStringIncludes(
    line,
    `Cannot reach the model server at ${url} (connection refused)`,
  );
  assertEquals(eventsOf(run, "retry"), []);
});
