import {
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../helpers/assert.ts";
import { isLoopbackUrl, PROVIDERS, resolveModel } from "../../src/lm/models.ts";

const noEnv = () => undefined;
const envOf = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("resolveModel() maps openrouter names to OpenRouter when the prefix is openrouter/", () => {
  const m = resolveModel("openrouter/openai/gpt-5.2-codex", {
    env: envOf({ OPENROUTER_API_KEY: "sk-or" }),
  });
  assertEquals(m, {
    provider: "openrouter",
    modelId: "openai/gpt-5.2-codex",
    baseURL: "https://openrouter.ai/api/v1",
    apiKey: "sk-or",
    keyVar: "OPENROUTER_API_KEY",
  });
});

Deno.test("resolveModel() maps openai names to OpenAI when the prefix is openai/", () => {
  const m = resolveModel("openai/gpt-4o", {
    env: envOf({ OPENAI_API_KEY: "sk-oa", OPENROUTER_API_KEY: "sk-or" }),
  });
  assertEquals(m, {
    provider: "openai",
    modelId: "gpt-4o",
    baseURL: "https://api.openai.com/v1",
    apiKey: "sk-oa",
    keyVar: "OPENAI_API_KEY",
  });
});

Deno.test("resolveModel() needs no key when the provider is ollama", () => {
  for (const name of ["ollama/llama3.2", "ollama_chat/llama3.2"]) {
    const m = resolveModel(name, { env: noEnv });
    assertEquals(m.modelId, "llama3.2");
    assertEquals(m.baseURL, "http://localhost:11434/v1");
    assertEquals(m.apiKey, "local");
    assertEquals(m.keyVar, null);
  }
});

Deno.test("resolveModel() returns a null key when the provider's variable is unset", () => {
  const m = resolveModel("openrouter/openai/gpt-5-mini", { env: noEnv });
  assertEquals(m.apiKey, null);
  assertEquals(m.keyVar, "OPENROUTER_API_KEY");
});

Deno.test("resolveModel() uses NANOCODE_API_KEY for any provider when it is set", () => {
  const m = resolveModel("openai/gpt-4o", {
    env: envOf({ NANOCODE_API_KEY: "nk", OPENAI_API_KEY: "sk-oa" }),
  });
  assertEquals(m.apiKey, "nk");
  assertEquals(m.keyVar, "NANOCODE_API_KEY");
});

Deno.test("resolveModel() lets apiBase override the provider's URL when given", () => {
  const m = resolveModel("openrouter/openai/gpt-5-mini", {
    apiBase: "https://proxy.example/v1",
    env: noEnv,
  });
  assertEquals(m.baseURL, "https://proxy.example/v1");
  assertEquals(m.modelId, "openai/gpt-5-mini");
  assertEquals(m.apiKey, null);
});

Deno.test("resolveModel() needs no key when apiBase is on loopback", () => {
  for (
    const base of [
      "http://127.0.0.1:8080/v1",
      "http://localhost:1234/v1",
      "http://[::1]:8000/v1",
    ]
  ) {
    const m = resolveModel("openai/qwen", { apiBase: base, env: noEnv });
    assertEquals(m.apiKey, "local", base);
    assertEquals(m.keyVar, null);
  }
});

Deno.test("resolveModel() sends a bare name as-is when apiBase is given", () => {
  const m = resolveModel("qwen2.5-coder:7b", {
    apiBase: "http://127.0.0.1:8080/v1",
    env: noEnv,
  });
  assertEquals(m, {
    provider: "custom",
    modelId: "qwen2.5-coder:7b",
    baseURL: "http://127.0.0.1:8080/v1",
    apiKey: "local",
    keyVar: null,
  });
  const unknownPrefix = resolveModel("acme/big-model", {
    apiBase: "https://llm.acme.example/v1",
    env: noEnv,
  });
  assertEquals(unknownPrefix.modelId, "acme/big-model");
  assertEquals(unknownPrefix.keyVar, "NANOCODE_API_KEY");
  assertEquals(unknownPrefix.apiKey, null);
});

Deno.test("resolveModel() throws a TypeError when a bare name has no apiBase", () => {
  const error = assertThrows(
    () => resolveModel("acme/big-model", { env: noEnv }),
    TypeError,
  );
  assertStringIncludes(error.message, "--api-base");
  assertStringIncludes(error.message, '"acme/big-model"');
});

Deno.test("resolveModel() throws a TypeError when apiBase is not an http URL", () => {
  assertThrows(
    () => resolveModel("openai/x", { apiBase: "127.0.0.1:8080", env: noEnv }),
    TypeError,
    "--api-base",
  );
});

Deno.test("resolveModel() throws a TypeError when the name is empty or has no model", () => {
  assertThrows(() => resolveModel("  ", { env: noEnv }), TypeError);
  assertThrows(() => resolveModel("openrouter/", { env: noEnv }), TypeError);
});

Deno.test("PROVIDERS lists openrouter, openai and ollama", () => {
  for (const name of ["openrouter", "openai", "ollama", "ollama_chat"]) {
    assertEquals(PROVIDERS[name].name, name);
  }
});

Deno.test("isLoopbackUrl() is true only when the host is this machine", () => {
  assertEquals(isLoopbackUrl("http://127.0.0.1:9/v1"), true);
  assertEquals(isLoopbackUrl("http://127.1.2.3/v1"), true);
  assertEquals(isLoopbackUrl("http://localhost/v1"), true);
  assertEquals(isLoopbackUrl("http://[::1]:80/v1"), true);
  assertEquals(isLoopbackUrl("https://openrouter.ai/api/v1"), false);
  assertEquals(isLoopbackUrl("http://127.0.0.1.example.com/v1"), false);
  assertEquals(isLoopbackUrl("not a url"), false);
});
