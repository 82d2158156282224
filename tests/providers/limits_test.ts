/**
 * Item 1: the configured max_tokens (50000) never makes the first request
 * fail; the provider's limit is read from its error (or its /models
 * listing), used from then on, and said once.
 */

import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import {
  answered,
  EMULATOR_KEYS,
  eventsOf,
  runEmulated,
} from "../helpers/emulated_cli.ts";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/temp.ts";
import { startEmulator } from "../helpers/emulator/server.ts";
import type { EmulatorOptions } from "../helpers/emulator/server.ts";
import type { EmuReply } from "../helpers/emulator/wire.ts";

const TWO_STEPS: EmuReply[] = [
  { text: "Let me read it first.\n\n```js\nprint(read_file('a.txt'))\n```" },
  { text: "It says alpha.\n\n```js\nSUBMIT('It says alpha.')\n```" },
];

interface Case {
  what: string;
  options: Omit<EmulatorOptions, "script">;
  model: string;
  /** max_tokens of the accepted requests. */
  accepted: number | ((n: number) => boolean);
  /** Requests refused before the limit was known. */
  refused: number;
  notice?: RegExp;
}

const field = (body: Record<string, unknown>) =>
  Number(body.max_tokens ?? body.max_completion_tokens);

const CASES: Case[] = [
  {
    what: "openai/gpt-4o caps output at 16384",
    options: { provider: "openai" },
    model: "openai/gpt-4o",
    accepted: 16_384,
    refused: 1,
    notice: /max_tokens lowered to 16384/,
  },
  {
    what: "deepseek-chat takes max_tokens in [1, 8192]",
    options: { provider: "deepseek" },
    model: "deepseek/deepseek-chat",
    accepted: 8_192,
    refused: 1,
    notice: /max_tokens lowered to 8192/,
  },
  {
    what: "Groq lists its output limit in /models",
    options: { provider: "groq" },
    model: "groq/llama-3.3-70b-versatile",
    accepted: 32_768,
    refused: 0,
  },
  {
    what: "Claude Opus through OpenRouter says '> 32000' in metadata.raw",
    options: { provider: "openrouter", listLimits: false },
    model: "openrouter/anthropic/claude-opus-4",
    accepted: 32_000,
    refused: 1,
    notice: /max_tokens lowered to 32000/,
  },
  {
    what: "OpenRouter lists Claude Opus's limit in /models",
    options: { provider: "openrouter" },
    model: "openrouter/anthropic/claude-opus-4",
    accepted: 32_000,
    refused: 0,
  },
  {
    what: "an OpenRouter credit that can only afford 12837 tokens (HTTP 402)",
    options: { provider: "openrouter", affordableTokens: 12_837 },
    model: "openrouter/openai/gpt-5-mini",
    accepted: 12_837,
    refused: 1,
    notice: /max_tokens lowered to 12837 \(what the account's credit covers/,
  },
  {
    what:
      "vLLM with a 32k window says 'context length is 32768 … input tokens'",
    options: { provider: "vllm", listLimits: false },
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
    accepted: (n) => n > 20_000 && n < 32_768,
    refused: 1,
    notice: /32768-token context window/,
  },
  {
    what: "vLLM lists max_model_len 32768 in /models",
    options: { provider: "vllm" },
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
    accepted: (n) => n > 20_000 && n < 32_768,
    refused: 0,
  },
  {
    what: "llama.cpp runs an 8192-token context (/props)",
    options: { provider: "llamacpp", numCtx: 8_192 },
    model: "openai/qwen2.5-coder-7b-instruct-q4_k_m.gguf",
    accepted: (n) => n > 4_000 && n < 8_192,
    refused: 0,
  },
];

for (const c of CASES) {
  Deno.test(`nanocode's first request works when ${c.what}`, async () => {
    await using emu = await startEmulator({ ...c.options, script: TWO_STEPS });
    const run = await runEmulated(emu, "what does a.txt say?", {
      model: c.model,
      files: { "a.txt": "alpha\n" },
    });
    assertEquals(run.code, 0, run.stderr);
    assertEquals(run.result.answer, "It says alpha.");
    const chats = emu.chats();
    const refused = chats.filter((r) => r.status !== 200);
    assertEquals(
      refused.length,
      c.refused,
      JSON.stringify(refused.map((r) => r.status)),
    );
    const ok = answered(emu);
    assertEquals(ok.length, 2);
    for (const r of ok) {
      const n = field(r.body);
      assert(
        typeof c.accepted === "number" ? n === c.accepted : c.accepted(n),
        `max_tokens ${n}`,
      );
    }
    // The second step did not have to be refused again: the limit was remembered.
    assertEquals(chats.at(-1)!.status, 200);
    const notices = eventsOf(run, "notice").filter((n) =>
      n.code === "max_tokens_lowered" || n.code === "window_learnt"
    );
    if (c.notice) {
      assertEquals(notices.length, 1, JSON.stringify(notices));
      assertMatch(String(notices[0].message), c.notice);
    } else assertEquals(notices, []);
  });
}

Deno.test("nanocode's text output says a lowered limit once on stderr when stderr is not a terminal", async () => {
  await using emu = await startEmulator({
    provider: "openai",
    script: TWO_STEPS,
  });
  await using dir = await tempDir({ "a.txt": "alpha\n" });
  const run = await runCli(["-y", "what does a.txt say?"], {
    cwd: dir.path,
    env: {
      NANOCODE_API_BASE: emu.url,
      NANOCODE_LM: "openai/gpt-4o",
      ...EMULATOR_KEYS,
    },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout, "It says alpha.\n");
  const lines = run.stderr.split("\n").filter((l) =>
    /max_tokens lowered/.test(l)
  );
  assertEquals(lines.length, 1, run.stderr);
  assertMatch(lines[0], /^nanocode: .*16384/);
});
