import { assertOneSentence, lmFor, messages } from "./_client.ts";
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { LmError } from "../../src/lm/errors.ts";
import type { RetryNotice } from "../../src/lm/types.ts";
import { startLmServer } from "../helpers/lm_server.ts";

Deno.test("OpenAiLm.complete() sends the request again, saying the partial reply is void, when the stream is cut after text was delivered", async () => {
  await using server = await startLmServer([
    { chunks: ["one ", "two ", "three"], cutAfterChunks: 2 },
    { chunks: ["one ", "two ", "three"] },
  ]);
  const deltas: string[] = [];
  const retries: RetryNotice[] = [];
  const reply = await lmFor(server).complete({
    messages,
    onDelta: (d) => deltas.push(d),
    onRetry: (info) => retries.push(info),
  });
  assertEquals(reply.text, "one two three");
  assertEquals(deltas, ["one ", "two ", "one ", "two ", "three"]);
  assertEquals(retries.length, 1);
  assertEquals(retries[0].discarded, true);
  assertMatch(retries[0].reason, /broke off/);
  assertEquals(server.requests.length, 2);
});

Deno.test("OpenAiLm.complete() retries when the stream is cut before any text", async () => {
  await using server = await startLmServer([
    { text: "lost", cutAfterChunks: 0 },
    { text: "kept" },
  ]);
  const deltas: string[] = [];
  const reply = await lmFor(server).complete({
    messages,
    onDelta: (d) => deltas.push(d),
  });
  assertEquals(reply.text, "kept");
  assertEquals(deltas.join(""), "kept");
  assertEquals(server.requests.length, 2);
});

Deno.test("OpenAiLm.complete() fails with bad_response when a stream chunk is malformed", async () => {
  await using server = await startLmServer([{
    chunks: ["a", "b", "c"],
    malformedChunkAt: 1,
  }]);
  const deltas: string[] = [];
  const error = await assertRejects(
    () => lmFor(server).complete({ messages, onDelta: (d) => deltas.push(d) }),
    LmError,
  );
  assertEquals(error.kind, "bad_response");
  assertEquals(deltas, ["a"]);
  assertEquals(server.requests.length, 1);
  assertOneSentence(error.message);
});

Deno.test("OpenAiLm.complete() fails with bad_response when the body is not JSON", async () => {
  await using server = await startLmServer([{
    text: "x",
    malformedChunkAt: 0,
  }]);
  const error = await assertRejects(
    () => lmFor(server).complete({ messages }),
    LmError,
  );
  assertEquals(error.kind, "bad_response");
  assertStringIncludes(error.message, "OpenAI-compatible");
  assertOneSentence(error.message);
});

Deno.test("OpenAiLm.complete() fails with timeout when the server sends nothing for timeoutMs", async () => {
  await using server = await startLmServer([{
    text: "too late",
    delayMs: 30_000,
  }]);
  const error = await assertRejects(
    () => lmFor(server, { timeoutMs: 100 }).complete({ messages }),
    LmError,
  );
  assertEquals(error.kind, "timeout");
  assertStringIncludes(error.message, "sent nothing for 100 ms");
  assertOneSentence(error.message);
  assertEquals(server.requests.length, 1);
});

Deno.test("OpenAiLm.complete() fails with timeout when a stream stalls", async () => {
  await using server = await startLmServer([{
    chunks: ["a", "b"],
    hangAfterChunks: 1,
  }]);
  const deltas: string[] = [];
  const error = await assertRejects(
    () =>
      lmFor(server, { timeoutMs: 100 }).complete({
        messages,
        onDelta: (d) => deltas.push(d),
      }),
    LmError,
  );
  assertEquals(error.kind, "timeout");
  assertEquals(deltas, ["a"]);
});

Deno.test("OpenAiLm.complete() does not time out when chunks keep arriving", async () => {
  await using server = await startLmServer([{
    chunks: ["a", "b", "c", "d"],
    chunkDelayMs: 20,
  }]);
  const reply = await lmFor(server, { timeoutMs: 2_000 }).complete({
    messages,
    onDelta: () => {},
  });
  assertEquals(reply.text, "abcd");
});

Deno.test("OpenAiLm.complete() rejects with aborted when the signal aborts mid-stream", async () => {
  await using server = await startLmServer([{
    chunks: ["a", "b"],
    hangAfterChunks: 1,
  }]);
  const controller = new AbortController();
  const error = await assertRejects(
    () =>
      lmFor(server).complete({
        messages,
        signal: controller.signal,
        onDelta: () => controller.abort(),
      }),
    LmError,
  );
  assertEquals(error.kind, "aborted");
  assertEquals(error.name, "AbortError");
});

Deno.test("OpenAiLm.complete() rejects with aborted when the signal aborts while waiting for headers", async () => {
  const controller = new AbortController();
  await using server = await startLmServer(() => {
    controller.abort();
    return { text: "late", delayMs: 30_000 };
  });
  const error = await assertRejects(
    () => lmFor(server).complete({ messages, signal: controller.signal }),
    LmError,
  );
  assertEquals(error.kind, "aborted");
  assertEquals(server.requests.length, 1);
});

Deno.test("OpenAiLm.complete() rejects with aborted when the signal aborts during a backoff wait", async () => {
  await using server = await startLmServer(() => ({ status: 503 }));
  const controller = new AbortController();
  const lm = lmFor(server, {
    retryBaseMs: 30_000,
    retryMaxMs: 30_000,
    onRetry: () => queueMicrotask(() => controller.abort()),
  });
  const started = performance.now();
  const error = await assertRejects(
    () => lm.complete({ messages, signal: controller.signal }),
    LmError,
  );
  assertEquals(error.kind, "aborted");
  assertEquals(error.name, "AbortError");
  assertEquals(server.requests.length, 1);
  assert(
    performance.now() - started < 20_000,
    "rejected before the 30 s backoff ended",
  );
});

Deno.test("OpenAiLm.complete() rejects at once when the signal is already aborted", async () => {
  await using server = await startLmServer([{ text: "unused" }]);
  const error = await assertRejects(
    () => lmFor(server).complete({ messages, signal: AbortSignal.abort() }),
    LmError,
  );
  assertEquals(error.kind, "aborted");
  assertEquals(server.requests.length, 0);
});

Deno.test("OpenAiLm.complete() fails with stream_cut when every stream ends without a finish reason", async () => {
  await using server = await startLmServer([
    { chunks: ["a", "b", "c"], endAfterChunks: 2 },
    { chunks: ["a", "b", "c"], endAfterChunks: 2 },
  ]);
  const error = await assertRejects(
    () =>
      lmFor(server, { maxRetries: 1 }).complete({
        messages,
        onDelta: () => {},
      }),
    LmError,
  );
  assertEquals(error.kind, "stream_cut");
  assertMatch(error.message, /kept closing the connection before replying/);
  assertEquals(server.requests.length, 2);
});
