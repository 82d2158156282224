import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
  SUB_MODEL,
} from "../helpers/script.ts";
import { OpenAiLm } from "../../src/lm/client.ts";
import type { RlmEvent } from "../../src/rlm/events.ts";
import type { ReplFunction } from "../../src/rlm/functions.ts";
import { RLM } from "../../src/rlm/rlm.ts";
import type { RlmOptions } from "../../src/rlm/types.ts";
import { Sandbox } from "../../src/sandbox/sandbox.ts";

const signature = {
  instructions: "Answer the question.",
  inputs: [{
    name: "question",
    type: "string" as const,
    description: "what to answer",
  }],
  outputs: [{
    name: "answer",
    type: "string" as const,
    description: "the answer",
  }],
};

function lms(url: string) {
  return {
    lm: new OpenAiLm({
      model: MAIN_MODEL,
      apiBase: url,
      apiKey: "test",
      retryBaseMs: 1,
      maxRetries: 0,
    }),
    subLm: new OpenAiLm({
      model: SUB_MODEL,
      apiBase: url,
      apiKey: "test",
      retryBaseMs: 1,
      maxRetries: 0,
    }),
  };
}

async function setup(
  script: Parameters<typeof routeByModel>[0],
  extra: Partial<RlmOptions> = {},
  sub?: Parameters<typeof routeByModel>[1],
) {
  const server = await startLmServer(routeByModel(script, sub));
  const sandbox = new Sandbox({ cellTimeout: 30 });
  const rlm = new RLM({ signature, sandbox, ...lms(server.url), ...extra });
  const events: RlmEvent[] = [];
  return {
    server,
    sandbox,
    rlm,
    events,
    run: (question: string, signal?: AbortSignal) =>
      rlm.run({ question }, { onEvent: (e) => events.push(e), signal }),
    async [Symbol.asyncDispose]() {
      await sandbox.close();
      await server.close();
    },
  };
}

Deno.test("RLM.run() runs cells until SUBMIT and returns the outputs", async () => {
  await using t = await setup([
    cell("const words = question.split(' ')\nprint(words.length)"),
    cell("SUBMIT(`${words.length} words`)"),
  ]);
  const result = await t.run("how many words here");
  assertEquals(result.outputs, { answer: "4 words" });
  assertEquals(result.extracted, false);
  assertEquals(result.trajectory.map((s) => s.observation), [
    "4",
    "(submitted)",
  ]);
  // The second request repeats the first one's messages unchanged, then adds two.
  const [first, second] = requestsOf(t.server.requests, MAIN_MODEL).map(
    messagesOf,
  );
  assertEquals(first.length, 2);
  assertEquals(second.slice(0, 2), first);
  assertEquals(second.length, 4);
  assertEquals(second[2].role, "assistant");
  assertEquals(second[3], { role: "user", content: "4\n\nCell 2 of 50." });
  assertStringIncludes(first[0].content, "SUBMIT(answer)");
  assertStringIncludes(
    first[1].content,
    '`question` (string, 19 characters): what to answer = "how many words here"',
  );
});

Deno.test("RLM.run() tells the model the format when a reply has no code block", async () => {
  await using t = await setup([
    { text: "The answer is probably 4." },
    cell("SUBMIT('4')"),
  ]);
  const result = await t.run("2+2?");
  assertEquals(result.outputs.answer, "4");
  const observation =
    messagesOf(requestsOf(t.server.requests, MAIN_MODEL)[1]).at(-1)!.content;
  assertStringIncludes(observation, "no code block");
});

Deno.test("RLM.run() reports a SUBMIT of the wrong type and lets the model fix it", async () => {
  await using t = await setup([
    cell("SUBMIT({ text: 'x' })"),
    cell("SUBMIT('fixed')"),
  ]);
  const result = await t.run("q");
  assertEquals(result.outputs.answer, "fixed");
  assertStringIncludes(
    result.trajectory[0].observation,
    "answer must be a string, got object",
  );
  assertStringIncludes(
    result.trajectory[0].observation,
    "call SUBMIT(answer) with answer: string",
  );
});

Deno.test("RLM.run() asks for the outputs once max_iters is reached", async () => {
  await using t = await setup([
    cell("print('working')"),
    cell("print('still working')"),
    { text: "[[ ## answer ## ]]\nPartial result.\n\n[[ ## completed ## ]]" },
  ], { maxIters: 2 });
  const result = await t.run("q");
  assertEquals(result.outputs, { answer: "Partial result." });
  assertEquals(result.extracted, true);
  assert(t.events.some((e) => e.type === "extract"));
  const last =
    messagesOf(requestsOf(t.server.requests, MAIN_MODEL)[2]).at(-1)!.content;
  assertStringIncludes(last, "still working");
  assertStringIncludes(last, "[[ ## answer ## ]]");
});

Deno.test("RLM.run() lets a tool failure become an observation and goes on", async () => {
  const broken: ReplFunction = {
    name: "broken",
    signature: "broken()",
    description: "always fails",
    run: () => {
      throw new Error("disk on fire");
    },
  };
  await using t = await setup([cell("broken()"), cell("SUBMIT('recovered')")], {
    functions: [broken],
  });
  const result = await t.run("q");
  assertEquals(result.outputs.answer, "recovered");
  assertEquals(
    result.trajectory[0].observation,
    "Error: disk on fire (line 1)",
  );
  const toolResult = t.events.find((e) => e.type === "tool_result");
  assertEquals(toolResult?.type === "tool_result" && toolResult.ok, false);
});

Deno.test("RLM.run() answers llm_query and llm_query_batched from the sub-model", async () => {
  await using t = await setup(
    [
      cell(
        "const one = llm_query('summarise A')\nconst many = llm_query_batched(['x', 'fail', 'z'])\nprint(one, JSON.stringify(many))",
      ),
      cell("SUBMIT(one)"),
    ],
    {},
    (prompt) =>
      prompt === "fail"
        ? { status: 400, errorBody: { error: { message: "bad prompt" } } }
        : { text: `re: ${prompt}` },
  );
  const result = await t.run("q");
  assertEquals(result.outputs.answer, "re: summarise A");
  const observation = result.trajectory[0].observation;
  assertStringIncludes(observation, 're: summarise A ["re: x","[ERROR] ');
  assertStringIncludes(observation, '"re: z"]');
  assertEquals(requestsOf(t.server.requests, SUB_MODEL).length, 4);
  assertEquals(result.usage.subLmCalls, 3);
  assertEquals(
    t.events.filter((e) => e.type === "sub_lm_call").map((e) =>
      e.type === "sub_lm_call" && e.prompts.length
    ),
    [1, 3],
  );
});

Deno.test("RLM.run() refuses sub-model prompts beyond max_llm_calls", async () => {
  await using t = await setup(
    [
      cell(
        "llm_query('a'); llm_query('b')\ntry { llm_query_batched(['c', 'd']) } catch (e) { print(e.message) }",
      ),
      cell("SUBMIT('ok')"),
    ],
    { maxLlmCalls: 3 },
  );
  const result = await t.run("q");
  assertStringIncludes(
    result.trajectory[0].observation,
    "llm_query_batched: 2 prompts requested but only 1 of the turn's 3 sub-model prompts remain; send at most 1",
  );
  assertEquals(requestsOf(t.server.requests, SUB_MODEL).length, 2);
});

Deno.test("RLM.run() emits typed events in order", async () => {
  const echo: ReplFunction = {
    name: "echo",
    signature: "echo(x)",
    description: "returns x",
    run: (args) => args[0],
  };
  await using t = await setup([
    cell("print(echo('hi'))"),
    cell("SUBMIT('done')"),
  ], { functions: [echo] });
  await t.run("q");
  const kinds = t.events.map((e) => e.type).filter((k) =>
    k !== "model_delta" && k !== "message" && k !== "model_start"
  );
  assertEquals(kinds, [
    "step_start",
    "usage",
    "model_reply",
    "code",
    "tool_call",
    "tool_result",
    "cell_output",
    "observation",
    "step_start",
    "usage",
    "model_reply",
    "code",
    "submit",
  ]);
  assert(t.events.some((e) => e.type === "model_delta"));
});

Deno.test("RLM.run() stops with an AbortError when interrupted mid-cell", async () => {
  await using t = await setup([cell("await new Promise(() => {})")]);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  await assertRejects(
    () => t.run("q", controller.signal),
    DOMException,
    "interrupted",
  );
});

Deno.test("RLM.run() keeps REPL state across runs", async () => {
  await using t = await setup([
    cell("const remembered = question"),
    cell("SUBMIT('a')"),
    cell("SUBMIT(remembered)"),
  ]);
  await t.run("first question");
  // The first run's first cell ran without SUBMIT; its second submitted.
  const second = await t.run("second");
  assertEquals(second.outputs.answer, "first question");
});
