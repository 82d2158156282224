import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { codeReply, startLmServer } from "../helpers/lm_server.ts";

function post(url: string, body: unknown): Promise<Response> {
  return fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer t" },
    body: JSON.stringify(body),
  });
}

/** Reads an SSE body into its `data:` payloads. */
async function sseData(res: Response): Promise<string[]> {
  const text = await res.text();
  return text.split("\n\n").filter((e) => e.startsWith("data: ")).map((e) =>
    e.slice(6)
  );
}

Deno.test("startLmServer() answers with a chat.completion when the request is not streamed", async () => {
  await using server = await startLmServer([{
    text: "hello",
    usage: { prompt_tokens: 3, completion_tokens: 1 },
  }]);
  assert(
    server.url.startsWith("http://127.0.0.1:") && server.url.endsWith("/v1"),
  );
  const res = await post(server.url, {
    model: "m1",
    messages: [{ role: "user", content: "hi" }],
  });
  const body = await res.json();
  assertEquals(body.object, "chat.completion");
  assertEquals(body.model, "m1");
  assertEquals(body.choices[0].message, {
    role: "assistant",
    content: "hello",
    refusal: null,
  });
  assertEquals(body.choices[0].finish_reason, "stop");
  assertEquals(body.usage.prompt_tokens, 3);
  assertEquals(body.usage.total_tokens, 4);
  assertEquals(server.requests[0].path, "/v1/chat/completions");
  assertEquals(server.requests[0].headers["authorization"], "Bearer t");
  assertEquals(server.requests[0].body.messages, [{
    role: "user",
    content: "hi",
  }]);
});

Deno.test("startLmServer() streams chunks, a finish chunk, usage and [DONE] when the request streams", async () => {
  await using server = await startLmServer([{
    chunks: ["a", "b"],
    finishReason: "length",
  }]);
  const res = await post(server.url, {
    model: "m",
    messages: [],
    stream: true,
    stream_options: { include_usage: true },
  });
  assertEquals(res.headers.get("content-type"), "text/event-stream");
  const data = await sseData(res);
  assertEquals(data.at(-1), "[DONE]");
  const events = data.slice(0, -1).map((d) => JSON.parse(d));
  assertEquals(
    events.map((e) => e.object),
    Array(4).fill("chat.completion.chunk"),
  );
  assertEquals(events[0].choices[0].delta, { role: "assistant", content: "a" });
  assertEquals(events[1].choices[0].delta, { content: "b" });
  assertEquals(events[2].choices[0].finish_reason, "length");
  assertEquals(events[3].choices, []);
  assertEquals(typeof events[3].usage.prompt_tokens, "number");
});

Deno.test("startLmServer() leaves out the usage chunk when include_usage is not asked for", async () => {
  await using server = await startLmServer([{ text: "abcdef" }]);
  const data = await sseData(
    await post(server.url, { messages: [], stream: true }),
  );
  const events = data.slice(0, -1).map((d) => JSON.parse(d));
  assertEquals(
    events.map((e) => e.choices[0].delta.content ?? "").join(""),
    "abcdef",
  );
  assert(events.every((e) => e.usage === undefined));
});

Deno.test("startLmServer() answers with the scripted status and body when a step has a status", async () => {
  await using server = await startLmServer([{
    status: 429,
    headers: { "retry-after": "1" },
    errorBody: { error: { message: "slow down" } },
  }]);
  const res = await post(server.url, { messages: [] });
  assertEquals(res.status, 429);
  assertEquals(res.headers.get("retry-after"), "1");
  assertEquals(await res.json(), { error: { message: "slow down" } });
});

Deno.test("startLmServer() answers 500 saying so when the script is exhausted", async () => {
  await using server = await startLmServer([]);
  const res = await post(server.url, { messages: [] });
  assertEquals(res.status, 500);
  assertStringIncludes((await res.json()).error.message, "script exhausted");
});

Deno.test("startLmServer() uses pushed steps and step functions in order when scripted so", async () => {
  await using server = await startLmServer((request, index) => ({
    text: `echo ${index} ${request.body.model}`,
  }));
  server.push({ text: "pushed" });
  const first = await (await post(server.url, { model: "a", messages: [] }))
    .json();
  const second = await (await post(server.url, { model: "b", messages: [] }))
    .json();
  assertEquals(first.choices[0].message.content, "pushed");
  assertEquals(second.choices[0].message.content, "echo 1 b");
  assertEquals(server.requests.length, 2);
});

Deno.test("startLmServer() lists a model when asked for GET /v1/models", async () => {
  await using server = await startLmServer();
  const body = await (await fetch(`${server.url}/models`)).json();
  assertEquals(body.object, "list");
  assertEquals(body.data[0].id, "test-model");
});

Deno.test("startLmServer() ends a hanging stream when the server closes", async () => {
  const server = await startLmServer([{
    chunks: ["a", "b"],
    hangAfterChunks: 1,
  }]);
  const res = await post(server.url, { messages: [], stream: true });
  const reader = res.body!.getReader();
  const first = await reader.read();
  assert(!first.done);
  await server.close();
  let failed = false;
  try {
    while (!(await reader.read()).done) { /* drain */ }
  } catch {
    failed = true;
  }
  assert(failed, "the hanging stream breaks off when the server closes");
});

Deno.test("codeReply() wraps the code in a js fence after the reasoning", () => {
  assertEquals(
    codeReply("Look.", "print(1)"),
    "Look.\n\n```js\nprint(1)\n```\n",
  );
});
