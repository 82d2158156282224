import { assertOneSentence, lmFor, messages } from "./_client.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { OpenAiLm, type RetryInfo } from "../../src/lm/client.ts";
import { LmError } from "../../src/lm/errors.ts";
import { startLmServer } from "../helpers/lm_server.ts";

Deno.test("OpenAiLm.complete() fails naming OPENROUTER_API_KEY when the key is missing", async () => {
  const lm = new OpenAiLm({
    model: "openrouter/openai/gpt-5.2-codex",
    env: () => undefined,
  });
  const error = await assertRejects(() => lm.complete({ messages }), LmError);
  assertEquals(error.kind, "missing_key");
  assertEquals(
    error.message,
    "OPENROUTER_API_KEY is not set: export it (https://openrouter.ai/keys), or set --api-base to a local OpenAI-compatible server",
  );
});

Deno.test("OpenAiLm.complete() fails at once naming the URL when a loopback server refuses the connection", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  const retries: RetryInfo[] = [];
  const lm = new OpenAiLm({
    model: "openai/test-model",
    apiBase: `http://127.0.0.1:${port}/v1`,
    env: () => undefined,
    maxRetries: 1,
    retryBaseMs: 1,
    onRetry: (info) => retries.push(info),
  });
  const error = await assertRejects(() => lm.complete({ messages }), LmError);
  assertEquals(error.kind, "unreachable");
  assertStringIncludes(
    error.message,
    `Cannot reach the model server at http://127.0.0.1:${port}/v1`,
  );
  assertStringIncludes(error.message, "connection refused");
  assertOneSentence(error.message);
  // Nothing listens on this machine's port: waiting would not help.
  assertEquals(retries, []);
});

Deno.test("OpenAiLm.complete() fails naming the key variable when the server answers 401", async () => {
  await using server = await startLmServer([{
    status: 401,
    errorBody: { error: { message: "No auth credentials found", code: 401 } },
  }]);
  const lm = new OpenAiLm({
    model: "openrouter/openai/gpt-5.2-codex",
    apiBase: server.url,
    env: (name) => name === "OPENROUTER_API_KEY" ? "sk-or-bad" : undefined,
    discoverLimits: false,
  });
  const error = await assertRejects(() => lm.complete({ messages }), LmError);
  assertEquals(error.kind, "auth");
  assertEquals(error.status, 401);
  assertStringIncludes(error.message, "OPENROUTER_API_KEY");
  assertStringIncludes(error.message, "No auth credentials found");
  assertOneSentence(error.message);
  assertEquals(server.requests.length, 1);
});

Deno.test("OpenAiLm.complete() fails with context_length when the prompt is too long", async () => {
  await using server = await startLmServer([{
    status: 400,
    errorBody: {
      error: {
        message:
          "This model's maximum context length is 128000 tokens. However, you requested 130000 tokens.",
        type: "invalid_request_error",
        code: "context_length_exceeded",
      },
    },
  }]);
  const error = await assertRejects(
    () => lmFor(server).complete({ messages }),
    LmError,
  );
  assertEquals(error.kind, "context_length");
  assertStringIncludes(
    error.message,
    "maximum context length is 128000 tokens",
  );
  assertEquals(server.requests.length, 1);
});

Deno.test("OpenAiLm.complete() fails with bad_request quoting the server when it answers 400", async () => {
  const long = "x".repeat(1000);
  await using server = await startLmServer([{
    status: 404,
    errorBody: {
      error: { message: `The model 'nope' does not exist ${long}` },
    },
  }]);
  const error = await assertRejects(
    () => lmFor(server).complete({ messages }),
    LmError,
  );
  assertEquals(error.kind, "bad_request");
  assertEquals(error.status, 404);
  assertStringIncludes(error.message, "The model 'nope' does not exist");
  assertStringIncludes(error.message, '"openai/test-model"');
  assert(error.message.length < 400, "the server's message is truncated");
  assertEquals(server.requests.length, 1);
});
