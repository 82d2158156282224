import { assertOneSentence, lmFor, messages } from "./_client.ts";
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { OpenAiLm, type RetryInfo } from "../../src/lm/client.ts";
import { LmError } from "../../src/lm/errors.ts";
import { startLmServer } from "../helpers/lm_server.ts";

Deno.test("OpenAiLm.complete() returns the text and usage when not streaming", async () => {
  await using server = await startLmServer([{
    text: "Hello there.",
    usage: { prompt_tokens: 120, completion_tokens: 7, cached_tokens: 100 },
  }]);
  const reply = await lmFor(server, { maxTokens: 500 }).complete({ messages });
  assertEquals(reply.text, "Hello there.");
  assertEquals(reply.usage, {
    promptTokens: 120,
    completionTokens: 7,
    cachedTokens: 100,
  });
  assertEquals(reply.model, "test-model");
  assertEquals(reply.finishReason, "stop");
  const body = server.requests[0].body;
  assertEquals(body.model, "test-model");
  assertEquals(body.messages, messages);
  assertEquals(body.stream, false);
  assertEquals(body.max_tokens, 500);
  assertEquals(body.usage, undefined);
});

Deno.test("OpenAiLm.complete() streams deltas in order when onDelta is set", async () => {
  await using server = await startLmServer([{
    chunks: ["Hel", "lo ", "the", "re."],
    usage: {
      prompt_tokens: 50,
      completion_tokens: 4,
      cached_tokens: 32,
      cost: 0.0012,
    },
  }]);
  const deltas: string[] = [];
  const reply = await lmFor(server).complete({
    messages,
    onDelta: (d) => deltas.push(d),
    maxTokens: 64,
  });
  assertEquals(deltas, ["Hel", "lo ", "the", "re."]);
  assertEquals(reply.text, "Hello there.");
  assertEquals(reply.usage, {
    promptTokens: 50,
    completionTokens: 4,
    cachedTokens: 32,
    cost: 0.0012,
  });
  assertEquals(reply.finishReason, "stop");
  const body = server.requests[0].body;
  assertEquals(body.stream, true);
  assertEquals(body.stream_options, { include_usage: true });
  assertEquals(body.max_tokens, 64);
});

Deno.test("OpenAiLm.complete() reports usage with cost when the server reports it", async () => {
  await using server = await startLmServer([{
    text: "ok",
    usage: {
      prompt_tokens: 10,
      completion_tokens: 2,
      cached_tokens: 8,
      cost: 0.25,
    },
  }]);
  const reply = await lmFor(server).complete({ messages });
  assertEquals(reply.usage, {
    promptTokens: 10,
    completionTokens: 2,
    cachedTokens: 8,
    cost: 0.25,
  });
});

Deno.test("OpenAiLm.complete() reports zero usage when the server reports none", async () => {
  await using server = await startLmServer([{ text: "a", usage: null }, {
    text: "b",
    usage: null,
  }]);
  const lm = lmFor(server);
  const plain = await lm.complete({ messages });
  const streamed = await lm.complete({ messages, onDelta: () => {} });
  assertEquals(plain.usage, {
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
  });
  assertEquals(streamed.usage, {
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
  });
  assertEquals(streamed.text, "b");
});

Deno.test("OpenAiLm.complete() asks OpenRouter for the cost and sends its key when the provider is openrouter", async () => {
  await using server = await startLmServer([{ text: "ok" }]);
  const lm = new OpenAiLm({
    model: "openrouter/openai/gpt-5.2-codex",
    apiBase: server.url,
    env: (name) => name === "OPENROUTER_API_KEY" ? "sk-or-test" : undefined,
    headers: { "X-Title": "nanocode" },
    discoverLimits: false,
  });
  await lm.complete({ messages });
  const [request] = server.requests;
  assertEquals(request.body.model, "openai/gpt-5.2-codex");
  assertEquals(request.body.usage, { include: true });
  assertEquals(request.headers["authorization"], "Bearer sk-or-test");
  assertEquals(request.headers["x-title"], "nanocode");
});

Deno.test("OpenAiLm.complete() retries after Retry-After when the server answers 429", async () => {
  await using server = await startLmServer([
    { status: 429, headers: { "retry-after": "0" } },
    { text: "finally" },
  ]);
  const retries: RetryInfo[] = [];
  const reply = await lmFor(server, { onRetry: (info) => retries.push(info) })
    .complete({ messages });
  assertEquals(reply.text, "finally");
  assertEquals(server.requests.length, 2);
  assertEquals(retries.length, 1);
  assertEquals(retries[0].attempt, 1);
  assertEquals(retries[0].delayMs, 0);
  assertStringIncludes(retries[0].reason, "429");
});

Deno.test("OpenAiLm.complete() caps Retry-After at retryMaxMs when the server asks for a long wait", async () => {
  await using server = await startLmServer([
    { status: 503, headers: { "retry-after": "3600" } },
    { status: 429, headers: { "retry-after-ms": "5" } },
    { text: "ok", chunks: ["o", "k"] },
  ]);
  const retries: RetryInfo[] = [];
  const reply = await lmFor(server, {
    retryMaxMs: 10,
    onRetry: (info) => retries.push(info),
  })
    .complete({ messages, onDelta: () => {} });
  assertEquals(reply.text, "ok");
  assertEquals(retries.map((r) => [r.attempt, r.delayMs]), [[1, 10], [2, 5]]);
});

Deno.test("OpenAiLm.complete() fails naming HTTP 500 and the attempts when retries run out", async () => {
  await using server = await startLmServer(() => ({ status: 500 }));
  const retries: RetryInfo[] = [];
  const error = await assertRejects(
    () =>
      lmFor(server, { maxRetries: 3, onRetry: (info) => retries.push(info) })
        .complete({ messages }),
    LmError,
  );
  assertEquals(error.kind, "server");
  assertEquals(error.status, 500);
  assertStringIncludes(error.message, "HTTP 500 after 4 attempts");
  assertStringIncludes(error.message, server.url);
  assertOneSentence(error.message);
  assertEquals(server.requests.length, 4);
  assertEquals(retries.map((r) => r.attempt), [1, 2, 3]);
});

Deno.test("OpenAiLm.complete() passes the error through when onDelta throws", async () => {
  await using server = await startLmServer([{ chunks: ["a", "b"] }, {
    text: "unused",
  }]);
  const boom = new RangeError("ui broke");
  const error = await assertRejects(
    () =>
      lmFor(server).complete({
        messages,
        onDelta: () => {
          throw boom;
        },
      }),
    RangeError,
  );
  assertEquals(error, boom);
  assertEquals(server.requests.length, 1);
});

Deno.test("new OpenAiLm() does not throw when the key is missing", () => {
  const lm = new OpenAiLm({ model: "openai/gpt-4o", env: () => undefined });
  assertEquals(lm.model, "openai/gpt-4o");
});

Deno.test("OpenAiLm.complete() keeps concurrent calls apart when they share a client", async () => {
  await using server = await startLmServer((request) => ({
    text: `echo: ${request.body.messages?.at(-1)?.content}`,
    chunkDelayMs: 5,
  }));
  const lm = lmFor(server);
  const prompts = Array.from({ length: 8 }, (_, i) => `prompt ${i}`);
  const replies = await Promise.all(prompts.map((content, i) => {
    const deltas: string[] = [];
    const onDelta = i % 2 === 0
      ? (d: string) => void deltas.push(d)
      : undefined;
    return lm.complete({ messages: [{ role: "user", content }], onDelta }).then(
      (r) => {
        if (onDelta) assertEquals(deltas.join(""), r.text);
        return r.text;
      },
    );
  }));
  assertEquals(replies, prompts.map((p) => `echo: ${p}`));
  assertEquals(server.requests.length, 8);
});
