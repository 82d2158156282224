/**
 * Item 8: prompt caching where a provider must be asked (Anthropic via
 * OpenRouter), cached tokens in the usage line, OpenRouter's attribution
 * headers, and the reasoning-effort setting where it is supported.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { answered, runEmulated } from "../helpers/emulated_cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";
import type { EmuReply } from "../helpers/emulator/wire.ts";
import { usageLine } from "../../src/ui/render.ts";
import { chatBody } from "../../src/lm/request_body.ts";
import { resolveModel } from "../../src/lm/models.ts";

const THREE_STEPS: EmuReply[] = [
  { text: "```js\nprint(read_file('a.txt'))\n```" },
  { text: "```js\nprint(read_file('a.txt').length)\n```" },
  { text: "```js\nSUBMIT('alpha')\n```" },
];

function breakpoints(body: Record<string, unknown>): string[] {
  const messages = body.messages as { role: string; content: unknown }[];
  return messages.flatMap((m) =>
    Array.isArray(m.content) &&
      m.content.some((p) => p.cache_control?.type === "ephemeral")
      ? [m.role]
      : []
  );
}

Deno.test("nanocode marks cache breakpoints for Claude via OpenRouter and shows the cached tokens", async () => {
  await using emu = await startEmulator({
    provider: "openrouter",
    script: THREE_STEPS,
  });
  const run = await runEmulated(emu, "what is in a.txt?", {
    model: "openrouter/anthropic/claude-sonnet-4",
    files: { "a.txt": "alpha\n" },
  });
  assertEquals(run.code, 0, run.stderr);
  const chats = answered(emu);
  assertEquals(chats.length, 3);
  // The system prompt and the last two user messages: each request reads what the one before wrote.
  assertEquals(breakpoints(chats[0].body), ["system", "user"]);
  assertEquals(breakpoints(chats[2].body), ["system", "user", "user"]);
  const usage = run.result.usage as Parameters<typeof usageLine>[0];
  assert(usage.cachedTokens > 0, JSON.stringify(usage));
  assertStringIncludes(usageLine(usage, 1000), "cached");
});

Deno.test("nanocode sends plain messages (no cache_control) to OpenRouter models that cache on their own", async () => {
  await using emu = await startEmulator({
    provider: "openrouter",
    script: THREE_STEPS,
  });
  const run = await runEmulated(emu, "what is in a.txt?", {
    model: "openrouter/openai/gpt-5-mini",
    files: { "a.txt": "alpha\n" },
  });
  assertEquals(run.code, 0, run.stderr);
  for (const r of answered(emu)) assertEquals(breakpoints(r.body), []);
});

Deno.test("nanocode sends OpenRouter's app attribution headers", async () => {
  await using emu = await startEmulator({
    provider: "openrouter",
    script: THREE_STEPS,
  });
  await runEmulated(emu, "hi", {
    model: "openrouter/openai/gpt-5-mini",
    files: { "a.txt": "a" },
  });
  const headers = answered(emu)[0].headers;
  assertEquals(headers["x-openrouter-title"], "nanocode");
  assertEquals(headers["x-title"], "nanocode");
  assert(headers["http-referer"]?.startsWith("https://"));
});

Deno.test("--reasoning-effort is passed in each provider's form, and not to providers without it", async () => {
  const cases: [
    string,
    string,
    (body: Record<string, unknown>) => unknown,
    unknown,
  ][] = [
    ["openrouter", "openrouter/openai/gpt-5-mini", (b) => b.reasoning, {
      effort: "high",
    }],
    ["openai", "openai/gpt-4o", (b) => b.reasoning_effort, "high"],
    ["openai", "openai/gpt-5.2-codex", (b) => b.reasoning, { effort: "high" }],
    [
      "vllm",
      "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
      (b) => b.reasoning_effort,
      "high",
    ],
  ];
  for (const [provider, model, read, expected] of cases) {
    await using emu = await startEmulator({
      provider: provider as "openai",
      script: [{ text: "```js\nSUBMIT('ok')\n```" }],
    });
    const run = await runEmulated(emu, "hi", {
      model,
      args: ["--reasoning-effort", "high", "--max-tokens", "4000"],
    });
    assertEquals(run.code, 0, `${model}: ${run.stderr}`);
    assertEquals(read(answered(emu)[0].body), expected, model);
  }
});

Deno.test("nanocode sends again without reasoning_effort, once, when a server refuses it", async () => {
  await using emu = await startEmulator({
    provider: "vllm",
    unknownParams: ["reasoning_effort"],
    script: [{ text: "```js\nprint(1)\n```" }, {
      text: "```js\nSUBMIT('ok')\n```",
    }],
  });
  const run = await runEmulated(emu, "hi", {
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
    args: ["--reasoning-effort", "low"],
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(emu.chats().map((r) => r.status), [400, 200, 200]);
  assertEquals(answered(emu).map((r) => r.body.reasoning_effort), [
    undefined,
    undefined,
  ]);
});

Deno.test("chatBody() leaves reasoning effort out for providers that do not take it (DeepSeek, Mistral)", () => {
  for (
    const name of ["deepseek/deepseek-chat", "mistral/mistral-large-latest"]
  ) {
    const resolved = resolveModel(name, { env: () => "k" });
    const body = chatBody([{ role: "user", content: "hi" }], {
      resolved,
      maxTokens: 100,
      stream: false,
      streamOptions: false,
      limitField: "max_tokens",
      effort: "high",
      dropped: new Set(),
    });
    assertEquals([body.reasoning_effort, body.reasoning], [
      undefined,
      undefined,
    ], name);
  }
});
