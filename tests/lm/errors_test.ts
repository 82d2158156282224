import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  connectionReason,
  isAbortError,
  LmError,
  type LmErrorContext,
  lmErrorFor,
  type LmErrorKind,
  retryReason,
  transportReason,
} from "../../src/lm/errors.ts";

const context: LmErrorContext = {
  model: "openrouter/openai/gpt-5-mini",
  baseURL: "https://openrouter.ai/api/v1",
  keyVar: "OPENROUTER_API_KEY",
  keysUrl: "https://openrouter.ai/keys",
  attempts: 1,
  timeoutMs: 30_000,
};

const KINDS: LmErrorKind[] = [
  "missing_key",
  "auth",
  "unreachable",
  "rate_limited",
  "server",
  "timeout",
  "aborted",
  "bad_request",
  "context_length",
  "bad_response",
  "stream_cut",
];

Deno.test("lmErrorFor() words every kind as one sentence when details are long", () => {
  for (const kind of KINDS) {
    const error = lmErrorFor({
      kind,
      status: 500,
      detail: `line one.\nline two ${"x".repeat(500)}`,
    }, context);
    assertEquals(error.kind, kind);
    assert(!error.message.includes("\n"), `${kind}: ${error.message}`);
    assert(error.message.length < 450, `${kind} is short: ${error.message}`);
    assert(
      /^[A-Z]/.test(error.message),
      `${kind} starts a sentence: ${error.message}`,
    );
  }
});

Deno.test("lmErrorFor() names the key variable and where to get it when the key is missing", () => {
  assertEquals(
    lmErrorFor({ kind: "missing_key" }, context).message,
    "OPENROUTER_API_KEY is not set: export it (https://openrouter.ai/keys), or set --api-base to a local OpenAI-compatible server",
  );
});

Deno.test("lmErrorFor() says how long the server was silent when it times out", () => {
  assertStringIncludes(
    lmErrorFor({ kind: "timeout" }, context).message,
    "The model server sent nothing for 30 s",
  );
});

Deno.test("lmErrorFor() counts the attempts when retries ran out", () => {
  const error = lmErrorFor({
    kind: "server",
    status: 502,
    detail: "bad gateway",
  }, { ...context, attempts: 5 });
  assertStringIncludes(
    error.message,
    "kept failing (HTTP 502 after 5 attempts: bad gateway)",
  );
  assertEquals(error.status, 502);
});

Deno.test("LmError has name AbortError when the kind is aborted", () => {
  const aborted = new LmError("aborted", "The model call was cancelled");
  assertEquals(aborted.name, "AbortError");
  assertEquals(isAbortError(aborted), true);
  assertEquals(new LmError("server", "x").name, "LmError");
  assertEquals(isAbortError(new LmError("server", "x")), false);
});

Deno.test("connectionReason() reads the cause when fetch fails", () => {
  const refused = new TypeError("fetch failed", {
    cause: new Error(
      "client error (Connect): tcp connect error: Connection refused (os error 111)",
    ),
  });
  assertEquals(connectionReason(refused), "connection refused");
  const dns = new Error("Connection error.", {
    cause: new TypeError("fetch failed", {
      cause: new Error("dns error: failed to lookup address information"),
    }),
  });
  assertEquals(connectionReason(dns), "host not found");
  assertEquals(connectionReason(new Error("weird")), "connection failed");
  assertEquals(
    transportReason(new TypeError("error reading a body from connection")),
    "connection lost",
  );
});

Deno.test("retryReason() names the status when the server failed", () => {
  assertEquals(
    retryReason({ kind: "rate_limited", status: 429 }),
    "HTTP 429 (rate limited)",
  );
  assertEquals(retryReason({ kind: "server", status: 503 }), "HTTP 503");
  assertEquals(
    retryReason({ kind: "unreachable", detail: "connection refused" }),
    "connection refused",
  );
});
