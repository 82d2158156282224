import { assertEquals, assertMatch } from "../helpers/assert.ts";
import { isContextError, parseLimit } from "../../src/lm/limits.ts";
import {
  adaptationFor,
  adaptToFailure,
  observeUsage,
  requestMaxTokens,
} from "../../src/lm/adaptation.ts";
import { httpFailure } from "../../src/lm/errors.ts";
import { readErrorBody } from "../../src/lm/error_body.ts";
import { limitsOfEntry } from "../../src/lm/model_info.ts";
import {
  ANTHROPIC,
  DEEPSEEK,
  GROQ,
  LLAMACPP,
  OPENAI,
  OPENROUTER,
  VLLM,
} from "../helpers/emulator/errors.ts";

/** The message of a provider error body (OpenAI shape, vLLM's flat shape). */
function messageOf(body: unknown): string {
  const b = body as { error?: { message?: string }; message?: string };
  return b.error?.message ?? b.message ?? "";
}

Deno.test("parseLimit() reads every provider's stated limit when given its real error message", () => {
  assertEquals(
    parseLimit(messageOf(OPENAI.maxTokens(50000, 16384, "max_tokens").body)),
    {
      maxOutput: 16384,
    },
  );
  assertEquals(parseLimit(messageOf(DEEPSEEK.maxTokens(8192).body)), {
    maxOutput: 8192,
  });
  assertEquals(
    parseLimit(
      ANTHROPIC.maxTokens(50000, 32000, "claude-opus-4-20250514").error.message,
    ),
    {
      maxOutput: 32000,
    },
  );
  assertEquals(
    parseLimit(messageOf(GROQ.maxTokens("max_tokens", 32768).body)),
    {
      maxOutput: 32768,
    },
  );
  assertEquals(parseLimit(messageOf(OPENROUTER.credits(50000, 12837).body)), {
    affordable: 12837,
  });
  assertEquals(parseLimit(messageOf(VLLM.maxTokens(50000, 32768, 773).body)), {
    window: 32768,
    inputTokens: 773,
  });
  assertEquals(parseLimit(messageOf(VLLM.context(32768, 40000, 50000).body)), {
    window: 32768,
    inputTokens: 40000,
  });
  assertEquals(parseLimit(messageOf(OPENAI.context(8192, 64, 8192).body)), {
    window: 8192,
    inputTokens: 64,
  });
  assertEquals(
    parseLimit(
      messageOf(OPENROUTER.context(131072, 10535, 131072, "Chutes").body),
    ),
    {
      window: 131072,
      inputTokens: 10535,
    },
  );
  const llama = LLAMACPP.context(1407, 256).body as {
    error: Record<string, unknown>;
  };
  assertEquals(parseLimit(String(llama.error.message), llama.error), {
    window: 256,
    inputTokens: 1407,
  });
  assertEquals(parseLimit("Invalid model"), null);
});

Deno.test("isContextError() recognises each provider's context wording", () => {
  for (
    const text of [
      messageOf(OPENAI.context(8192, 64, 8192).body),
      messageOf(VLLM.context(32768, 40000, 50000).body),
      "the request exceeds the available context size, try increasing it",
      messageOf(OPENROUTER.context(1, 2, 3, "x").body),
    ]
  ) assertEquals(isContextError(text), true, text);
  assertEquals(isContextError("max_tokens is too large"), false);
});

Deno.test("readErrorBody() shows OpenRouter's upstream message and provider when the message is 'Provider returned error'", () => {
  const body = OPENROUTER.upstream(
    400,
    ANTHROPIC.maxTokens(50000, 32000, "claude-opus-4-20250514"),
    "Anthropic",
  ).body as { error: unknown };
  const info = readErrorBody(body.error, "");
  assertEquals(info.upstream, "Anthropic");
  assertMatch(info.detail, /^max_tokens: 50000 > 32000, which is the maximum/);
  assertEquals(info.code, "invalid_request_error");
});

Deno.test("httpFailure() classes insufficient_quota and 402 as quota, not a retryable rate limit", () => {
  const quota = OPENAI.quota().body as { error: unknown };
  assertEquals(httpFailure(429, readErrorBody(quota.error, "")).kind, "quota");
  assertEquals(httpFailure(402, "can only afford 10").kind, "quota");
  assertEquals(httpFailure(429, "slow down").kind, "rate_limited");
});

Deno.test("adaptToFailure() lowers max_tokens once and says so once when the provider states its cap", () => {
  const state = adaptationFor("http://emulated.test/v1", "cap-test");
  const sent = {
    model: "openai/gpt-4o",
    maxTokens: 50000,
    stream: true,
    streamOptions: true,
    optional: [],
    promptTokens: 900,
  };
  const failure = httpFailure(
    400,
    messageOf(OPENAI.maxTokens(50000, 16384, "max_tokens").body),
  );
  const notices = adaptToFailure(state, failure, sent);
  assertEquals(state.maxOutput, 16384);
  assertEquals(notices?.map((n) => n.code), ["max_tokens_lowered"]);
  // The same error again (a cap not lower than what was sent) teaches nothing.
  assertEquals(
    adaptToFailure(state, failure, { ...sent, maxTokens: 16384 }),
    null,
  );
});

Deno.test("adaptToFailure() turns streaming off when OpenAI requires a verified organisation to stream", () => {
  const state = adaptationFor("http://emulated.test/v1", "stream-test");
  const body = OPENAI.streamUnverified().body as { error: unknown };
  const failure = httpFailure(400, readErrorBody(body.error, ""));
  const notices = adaptToFailure(state, failure, {
    model: "openai/o3",
    maxTokens: 100,
    stream: true,
    streamOptions: true,
    optional: [],
    promptTokens: 10,
  });
  assertEquals(state.noStream, true);
  assertEquals(notices?.[0].code, "stream_off");
});

Deno.test("requestMaxTokens() fits the output to the window left after the prompt and gives null when none is left", () => {
  const state = adaptationFor("http://emulated.test/v1", "window-test");
  state.window = 8192;
  const messages = [{ role: "user" as const, content: "x".repeat(6000) }];
  const fitted = requestMaxTokens(state, 50000, messages)!;
  assertEquals(fitted < 8192 - 2000 && fitted > 5000, true, String(fitted));
  assertEquals(
    requestMaxTokens(state, 50000, [{
      role: "user",
      content: "x".repeat(30000),
    }]),
    null,
  );
});

Deno.test("observeUsage() spots Ollama cutting the prompt and names OLLAMA_CONTEXT_LENGTH once", () => {
  const state = adaptationFor("http://localhost:11434/v1", "trunc-test");
  const small = [{ role: "user" as const, content: "word ".repeat(400) }];
  assertEquals(
    observeUsage(
      state,
      { promptTokens: 500, completionTokens: 1, cachedTokens: 0 },
      small,
      true,
    ),
    null,
  );
  const big = [{ role: "user" as const, content: "word ".repeat(20000) }];
  const notice = observeUsage(
    state,
    { promptTokens: 2048, completionTokens: 1, cachedTokens: 0 },
    big,
    true,
  );
  assertMatch(notice!.message, /OLLAMA_CONTEXT_LENGTH=32768 ollama serve/);
  assertMatch(notice!.message, /num_ctx/);
  assertEquals(
    observeUsage(
      state,
      { promptTokens: 2048, completionTokens: 1, cachedTokens: 0 },
      big,
      true,
    ),
    null,
  );
});

Deno.test("limitsOfEntry() reads OpenRouter, vLLM and Groq listings", () => {
  assertEquals(
    limitsOfEntry({
      id: "a",
      context_length: 200000,
      top_provider: { context_length: 200000, max_completion_tokens: 32000 },
    }),
    { window: 200000, maxOutput: 32000 },
  );
  assertEquals(limitsOfEntry({ id: "q", max_model_len: 32768 }), {
    window: 32768,
  });
  assertEquals(
    limitsOfEntry({
      id: "g",
      context_window: 131072,
      max_completion_tokens: 32768,
    }),
    {
      window: 131072,
      maxOutput: 32768,
    },
  );
});
