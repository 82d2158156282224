/**
 * Item 4: the right endpoint for every model — the Responses API for
 * OpenAI's codex family, LiteLLM-style prefixes, OpenRouter when only its
 * key is set, OPENAI_BASE_URL, and a sub-model that follows the main one.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { answered, eventsOf, runEmulated } from "../helpers/emulated_cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";
import type { EmuReply } from "../helpers/emulator/wire.ts";
import { resolveModel } from "../../src/lm/models.ts";
import { subLmFor } from "../../src/agent/model_base.ts";
import { DEFAULT_CONFIG } from "../../src/config/fields.ts";
import { ensureModel } from "../../src/cli/setup.ts";

const DONE: EmuReply[] = [{ text: "Done.\n```js\nSUBMIT('ok')\n```" }];

Deno.test("nanocode talks to openai/gpt-5.2-codex through the Responses API (OPENAI_BASE_URL honoured)", async () => {
  await using emu = await startEmulator({ provider: "openai", script: DONE });
  const run = await runEmulated(emu, "hi", {
    model: "openai/gpt-5.2-codex",
    apiBase: false,
    env: { OPENAI_BASE_URL: emu.url },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.result.answer, "ok");
  const [request] = emu.chats();
  assertEquals(request.path, "/v1/responses");
  assertEquals(request.status, 200);
  assert(typeof request.body.instructions === "string");
  assert(Array.isArray(request.body.input));
  assertEquals(request.body.messages, undefined);
  assertEquals(request.body.max_output_tokens, 50_000);
});

Deno.test("nanocode switches to the Responses API when the server says a model is only served there", async () => {
  await using emu = await startEmulator({
    provider: "openai",
    models: { "house-model": { window: 200_000, responsesOnly: true } },
    script: DONE,
  });
  const run = await runEmulated(emu, "hi", { model: "openai/house-model" });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(emu.chats().map((r) => [r.path, r.status]), [
    ["/v1/chat/completions", 404],
    ["/v1/responses", 200],
  ]);
  assertEquals(eventsOf(run, "notice").map((n) => n.code), ["responses_api"]);
});

Deno.test("resolveModel() maps LiteLLM-style prefixes to each provider's OpenAI-compatible endpoint and key", () => {
  const env = (name: string) =>
    name.endsWith("_KEY") && name !== "NANOCODE_API_KEY"
      ? `key-of-${name}`
      : undefined;
  const cases: [string, string, string, string][] = [
    [
      "anthropic/claude-sonnet-4-5",
      "https://api.anthropic.com/v1",
      "ANTHROPIC_API_KEY",
      "claude-sonnet-4-5",
    ],
    [
      "gemini/gemini-2.5-pro",
      "https://generativelanguage.googleapis.com/v1beta/openai",
      "GEMINI_API_KEY",
      "gemini-2.5-pro",
    ],
    [
      "deepseek/deepseek-chat",
      "https://api.deepseek.com/v1",
      "DEEPSEEK_API_KEY",
      "deepseek-chat",
    ],
    [
      "groq/llama-3.3-70b-versatile",
      "https://api.groq.com/openai/v1",
      "GROQ_API_KEY",
      "llama-3.3-70b-versatile",
    ],
    [
      "mistral/mistral-large-latest",
      "https://api.mistral.ai/v1",
      "MISTRAL_API_KEY",
      "mistral-large-latest",
    ],
    ["xai/grok-4", "https://api.x.ai/v1", "XAI_API_KEY", "grok-4"],
    [
      "together_ai/Qwen/Qwen3-Coder-480B",
      "https://api.together.xyz/v1",
      "TOGETHERAI_API_KEY",
      "Qwen/Qwen3-Coder-480B",
    ],
  ];
  for (const [name, baseURL, keyVar, modelId] of cases) {
    const m = resolveModel(name, { env });
    assertEquals(
      [m.baseURL, m.keyVar, m.modelId],
      [baseURL, keyVar, modelId],
      name,
    );
  }
  const together = resolveModel("together_ai/m", {
    env: (n) => n === "TOGETHER_API_KEY" ? "t" : undefined,
  });
  assertEquals([together.apiKey, together.keyVar], ["t", "TOGETHER_API_KEY"]);
});

Deno.test("resolveModel() routes MODEL=openai/gpt-4 through OpenRouter when only OPENROUTER_API_KEY is set", () => {
  const onlyRouter = (n: string) =>
    n === "OPENROUTER_API_KEY" ? "sk-or" : undefined;
  const m = resolveModel("openai/gpt-4", { env: onlyRouter });
  assertEquals(m.baseURL, "https://openrouter.ai/api/v1");
  assertEquals(m.modelId, "openai/gpt-4");
  assertEquals(m.apiKey, "sk-or");
  assertEquals(m.routedVia, "openrouter");
  // Its own key wins; so does an explicit api_base or OPENAI_BASE_URL.
  const both = (n: string) =>
    ({ OPENROUTER_API_KEY: "sk-or", OPENAI_API_KEY: "sk" } as Record<
      string,
      string
    >)[n];
  assertEquals(
    resolveModel("openai/gpt-4", { env: both }).baseURL,
    "https://api.openai.com/v1",
  );
  assertEquals(
    resolveModel("openai/gpt-4", {
      env: onlyRouter,
      apiBase: "http://127.0.0.1:1/v1",
    }).routedVia,
    undefined,
  );
  assertEquals(
    resolveModel("gemini/gemini-2.5-pro", { env: onlyRouter }).modelId,
    "google/gemini-2.5-pro",
  );
});

Deno.test("ensureModel() says that openai/gpt-4 goes through OpenRouter when only its key is set", async () => {
  const config = { ...DEFAULT_CONFIG, lm: "openai/gpt-4" };
  const notes = await ensureModel(
    config,
    {
      ...Object.fromEntries(Object.keys(config).map((k) => [k, "default"])),
      lm: "environment",
    } as never,
    (n) => n === "OPENROUTER_API_KEY" ? "sk-or" : undefined,
  );
  assertStringIncludes(
    notes.join("\n"),
    "openai/gpt-4 goes through OpenRouter",
  );
});

Deno.test("subLmFor() follows lm unless lm is an OpenRouter model on the default api_base", () => {
  assertEquals(subLmFor({ ...DEFAULT_CONFIG }), DEFAULT_CONFIG.sub_lm);
  assertEquals(
    subLmFor({ ...DEFAULT_CONFIG, lm: "ollama/qwen3" }),
    "ollama/qwen3",
  );
  assertEquals(
    subLmFor({ ...DEFAULT_CONFIG, lm: "openai/gpt-4o" }),
    "openai/gpt-4o",
  );
  assertEquals(
    subLmFor({ ...DEFAULT_CONFIG, api_base: "http://127.0.0.1:8000/v1" }),
    DEFAULT_CONFIG.lm,
  );
  assertEquals(
    subLmFor({ ...DEFAULT_CONFIG, lm: "ollama/q", sub_lm: "openai/x" }),
    "openai/x",
  );
});

Deno.test("nanocode's llm_query asks the local server for the local model, never openai/gpt-5-mini", async () => {
  await using emu = await startEmulator({
    provider: "vllm",
    script: (request) =>
      request.messages.length === 1
        ? { text: "a summary" }
        : request.messages.filter((m) => m.role === "assistant").length === 0
        ? { text: "```js\nprint(llm_query('summarise: hello'))\n```" }
        : { text: "```js\nSUBMIT('ok')\n```" },
  });
  const run = await runEmulated(emu, "summarise", {
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
  });
  assertEquals(run.code, 0, run.stderr);
  const models = answered(emu).map((r) => r.body.model);
  assertEquals(new Set(models), new Set(["Qwen/Qwen2.5-Coder-32B-Instruct"]));
  assertEquals(models.length, 3);
});
