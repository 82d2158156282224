/**
 * Item 4 with the names and variables users bring from LiteLLM (the Python
 * original's client), the OpenAI SDK and Ollama: Anthropic model names sent
 * through OpenRouter under OpenRouter's names, `OPENROUTER_API_BASE`,
 * `OPENAI_API_BASE`, `OLLAMA_HOST`, `hosted_vllm/`, and what a user is told
 * when a model is missing where it was sent. Also: with no key, a local
 * server's chat model is used, not the embedding model it lists first.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { answered, runEmulated } from "../helpers/emulated_cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";
import type { EmuReply } from "../helpers/emulator/wire.ts";
import { ensureModel } from "../../src/cli/setup.ts";
import { DEFAULT_CONFIG } from "../../src/config/fields.ts";

const DONE: EmuReply[] = [{ text: "Done.\n```js\nSUBMIT('ok')\n```" }];

/** Only OpenRouter's key: every other provider's key is unset. */
const ONLY_OPENROUTER = {
  OPENAI_API_KEY: "",
  DEEPSEEK_API_KEY: "",
  GROQ_API_KEY: "",
  ANTHROPIC_API_KEY: "",
  OPENROUTER_API_KEY: "test-key",
};

Deno.test("nanocode sends anthropic/claude-sonnet-4-5-20250929 through OpenRouter as anthropic/claude-sonnet-4.5 when only OPENROUTER_API_KEY is set", async () => {
  await using emu = await startEmulator({
    provider: "openrouter",
    script: DONE,
  });
  const run = await runEmulated(emu, "hi", {
    model: "anthropic/claude-sonnet-4-5-20250929",
    apiBase: false,
    env: { ...ONLY_OPENROUTER, OPENROUTER_API_BASE: emu.url },
  });
  assertEquals(run.code, 0, run.stderr);
  const [request] = answered(emu);
  assertEquals(request.body.model, "anthropic/claude-sonnet-4.5");
  assertEquals(request.headers["authorization"], "Bearer test-key");
});

Deno.test("nanocode names the provider's own key when OpenRouter has no model by the name it was routed under", async () => {
  await using emu = await startEmulator({
    provider: "openrouter",
    script: DONE,
  });
  const run = await runEmulated(emu, "hi", {
    model: "deepseek/deepseek-reasoner",
    apiBase: false,
    env: { ...ONLY_OPENROUTER, OPENROUTER_API_BASE: emu.url },
  });
  assertEquals(run.code, 1);
  const line = run.stderr.trim();
  assertStringIncludes(
    line,
    'OpenRouter has no model "deepseek/deepseek-reasoner"',
  );
  assertStringIncludes(line, "DEEPSEEK_API_KEY is not set");
  assertStringIncludes(line, "https://openrouter.ai/models");
  assertEquals(emu.chats().length, 1);
});

Deno.test("nanocode sends ollama/ models to OLLAMA_HOST (a bare host:port, as Ollama's CLI takes it)", async () => {
  await using emu = await startEmulator({ provider: "ollama", script: DONE });
  const hostPort = new URL(emu.url).host;
  const run = await runEmulated(emu, "hi", {
    model: "ollama/qwen2.5-coder:7b",
    apiBase: false,
    env: { OLLAMA_HOST: hostPort },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(answered(emu)[0].path, "/v1/chat/completions");
  assertEquals(answered(emu)[0].body.model, "qwen2.5-coder:7b");
});

Deno.test("nanocode honours LiteLLM's OPENAI_API_BASE and HOSTED_VLLM_API_BASE", async () => {
  {
    await using emu = await startEmulator({ provider: "openai", script: DONE });
    const run = await runEmulated(emu, "hi", {
      model: "openai/gpt-4o",
      apiBase: false,
      env: { OPENAI_API_BASE: emu.url },
    });
    assertEquals(run.code, 0, run.stderr);
    assertEquals(answered(emu)[0].body.model, "gpt-4o");
  }
  {
    await using emu = await startEmulator({ provider: "vllm", script: DONE });
    const run = await runEmulated(emu, "hi", {
      model: "hosted_vllm/Qwen/Qwen2.5-Coder-32B-Instruct",
      apiBase: false,
      env: { HOSTED_VLLM_API_BASE: emu.url },
    });
    assertEquals(run.code, 0, run.stderr);
    const models = new Set(answered(emu).map((r) => r.body.model));
    assertEquals(models, new Set(["Qwen/Qwen2.5-Coder-32B-Instruct"]));
  }
});

Deno.test("nanocode tells an Ollama user to pull a model Ollama does not have", async () => {
  await using emu = await startEmulator({ provider: "ollama", script: DONE });
  const run = await runEmulated(emu, "hi", { model: "ollama/llama3.1:8b" });
  assertEquals(run.code, 1);
  const line = run.stderr.trim();
  assertStringIncludes(line, "ollama pull llama3.1:8b");
  assert(!line.includes("--api-base"), line);
});

Deno.test("ensureModel() picks a local server's chat model, not the embedding model it lists first", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () =>
      Response.json({
        object: "list",
        data: [
          { id: "nomic-embed-text:latest", object: "model" },
          { id: "qwen2.5-coder:7b", object: "model" },
        ],
      }),
  );
  try {
    const config = { ...DEFAULT_CONFIG };
    const sources = Object.fromEntries(
      Object.keys(config).map((k) => [k, "default"]),
    ) as never;
    const url = `http://127.0.0.1:${server.addr.port}/v1`;
    const notes = await ensureModel(
      config,
      sources,
      (name) => name === "NANOCODE_LOCAL_SERVERS" ? url : undefined,
    );
    assertEquals(config.lm, "qwen2.5-coder:7b");
    assertEquals(config.sub_lm, "qwen2.5-coder:7b");
    assertStringIncludes(notes.join("\n"), "qwen2.5-coder:7b");
  } finally {
    await server.shutdown();
  }
});

Deno.test("nanocode runs the default model straight through OpenAI when only OPENAI_API_KEY is set", async () => {
  await using emu = await startEmulator({
    provider: "openai",
    models: { "gpt-5-mini": { window: 400_000, maxOutput: 128_000 } },
    script: (request) =>
      request.messages.length === 1
        ? { text: "sub-answer" }
        : request.messages.some((m) => m.role === "assistant")
        ? DONE[0]
        : { text: "```js\nprint(llm_query('hi'))\n```" },
  });
  const run = await runEmulated(emu, "hi", {
    model: "",
    apiBase: false,
    env: {
      NANOCODE_LM: "",
      OPENROUTER_API_KEY: "",
      OPENAI_BASE_URL: emu.url,
      NANOCODE_LOCAL_SERVERS: "",
    },
  });
  assertEquals(run.code, 0, run.stderr);
  const models = answered(emu).map((r) => `${r.path} ${r.body.model}`);
  assertEquals(models, [
    "/v1/responses gpt-5.2-codex",
    "/v1/chat/completions gpt-5-mini",
    "/v1/responses gpt-5.2-codex",
  ]);
});
