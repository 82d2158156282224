/**
 * Context benchmarks (issue 11): prompt tokens per step of a 50-step turn
 * whose cells print 50 KB each, with and without the RLM-style context
 * keeping (item 7); how much of each request is the previous request's
 * prefix (what a provider's prompt cache can reuse); and how long a
 * 64-prompt `llm_query_batched` takes against a 200 ms server compared
 * with 64 concurrent direct calls.
 *
 * @module
 */

import { OpenAiLm } from "../src/lm/client.ts";
import { subLmFunctions } from "../src/rlm/functions.ts";
import { RLM } from "../src/rlm/rlm.ts";
import { Sandbox } from "../src/sandbox/sandbox.ts";
import {
  type EmuRequest,
  startEmulator,
} from "../tests/helpers/emulator/server.ts";
import type { Figure } from "./lib.ts";

const STEPS = 50;
const WINDOW = 131_072;
const MODEL = "Qwen/Qwen2.5-Coder-32B-Instruct";

const signature = {
  instructions: "Produce output.",
  inputs: [{ name: "task", type: "string" as const }],
  outputs: [{ name: "answer", type: "string" as const }],
};

/** Runs the 50-step turn against a vLLM emulator with `window`: its requests and elision steps. */
async function turn(
  window: number,
  elision: boolean,
): Promise<{ requests: EmuRequest[]; elidedAt: Set<number> }> {
  await using emu = await startEmulator({
    provider: "vllm",
    models: { [MODEL]: { window } },
    script: (request) => {
      const step = request.messages.filter((m) =>
        m.role === "assistant"
      ).length + 1;
      return step < STEPS
        ? {
          text:
            `Cell ${step}.\n\`\`\`js\nprint('${step}:' + 'x'.repeat(50000))\n\`\`\``,
        }
        : { text: "```js\nSUBMIT('done')\n```" };
    },
  });
  await using sandbox = new Sandbox();
  const lm = new OpenAiLm({
    model: `openai/${MODEL}`,
    apiBase: emu.url,
    env: () => undefined,
    maxTokens: 50_000,
  });
  const rlm = new RLM({ signature, lm, sandbox, maxIters: STEPS, elision });
  const elidedAt = new Set<number>();
  const result = await rlm.run({ task: "make output" }, {
    onEvent: (event) => {
      if (event.type === "context_elided") elidedAt.add(event.step);
    },
  });
  if (result.outputs.answer !== "done") {
    throw new Error(
      `the turn did not finish: ${JSON.stringify(result.trajectory.at(-1))}`,
    );
  }
  return { requests: emu.chats().filter((r) => r.status === 200), elidedAt };
}

/**
 * How cacheable consecutive requests are: the requests outside elision
 * steps that do not start with the request before them whole, and the
 * share of all prompt tokens that repeat the previous request's prefix.
 */
function prefixReuse(requests: EmuRequest[], elidedAt: Set<number>) {
  let breaks = 0;
  let reused = 0;
  let total = 0;
  for (let i = 1; i < requests.length; i++) {
    const before = requests[i - 1].messages;
    const after = requests[i].messages;
    let n = 0;
    while (n < before.length && after[n]?.content === before[n].content) n++;
    // Request i (0-based) asks for step i + 1.
    if (n < before.length && !elidedAt.has(i + 1)) breaks++;
    const tokens = (ms: typeof after) =>
      ms.reduce((s, m) => s + m.content.length / 4, 0);
    reused += tokens(after.slice(0, n));
    total += tokens(after);
  }
  return { breaks, share: (reused / total) * 100, pairs: requests.length - 1 };
}

/** Milliseconds for 64 prompts through llm_query_batched, and through 64 direct calls. */
async function batch(): Promise<{ batched: number; direct: number }> {
  await using emu = await startEmulator({
    provider: "vllm",
    latencyMs: 200,
    script: () => ({ text: "an answer" }),
  });
  const lm = new OpenAiLm({
    model: `openai/${MODEL}`,
    apiBase: emu.url,
    env: () => undefined,
    maxTokens: 100,
  });
  const prompts = Array.from({ length: 64 }, (_, i) => `question ${i}`);
  const messages = (p: string) => [{ role: "user" as const, content: p }];
  await lm.complete({ messages: messages("warm up") });
  let start = performance.now();
  await Promise.all(prompts.map((p) => lm.complete({ messages: messages(p) })));
  const direct = performance.now() - start;
  const [, queryBatched] = subLmFunctions(lm, 64, {
    onCall: () => 0,
    onResult: () => {},
    onUsage: () => {},
  });
  start = performance.now();
  await queryBatched.run([prompts], {
    signal: new AbortController().signal,
    step: 1,
  });
  return { batched: performance.now() - start, direct };
}

/** Runs the context benchmarks and returns their figures. */
export async function contextBench(): Promise<Figure[]> {
  // "Before item 7": no elision and no per-step bound, against a window large enough to finish.
  const before = (await turn(10_000_000, false)).requests;
  const { requests: after, elidedAt } = await turn(WINDOW, true);
  const tokens = (rs: EmuRequest[]) => rs.map((r) => r.promptTokens);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const beforeTokens = tokens(before);
  const afterTokens = tokens(after);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const cache = prefixReuse(after, elidedAt);
  const cacheBefore = prefixReuse(before, new Set());
  const { batched, direct } = await batch();
  return [
    {
      name: `mean prompt tokens per step, ${STEPS} steps x 50 KB (kept in a ${
        WINDOW / 1024
      }k window)`,
      value: mean(afterTokens),
      baseline: mean(beforeTokens),
      baselineName: "before item 7 (no elision)",
      unit: "tokens",
      limit: 0.5,
    },
    {
      name: "largest prompt of the turn (bounded by the window)",
      value: Math.max(...afterTokens),
      baseline: WINDOW,
      baselineName: "context window",
      unit: "tokens",
      limit: 1,
    },
    {
      name: `last step's prompt (growth: before ${beforeTokens.at(-1)} tokens)`,
      value: afterTokens.at(-1)!,
      baseline: beforeTokens.at(-1)!,
      baselineName: "before item 7",
      unit: "tokens",
      limit: 0.25,
    },
    {
      name: `prompt tokens of the whole turn (before: ${sum(beforeTokens)})`,
      value: sum(afterTokens),
      baseline: sum(beforeTokens),
      baselineName: "before item 7 (quadratic)",
      unit: "tokens",
      limit: 0.5,
    },
    {
      name:
        `requests not extending the previous one, outside the ${elidedAt.size} elision steps`,
      value: cache.breaks,
      baseline: cache.pairs,
      baselineName: "consecutive request pairs",
      unit: "requests",
      limit: 0,
    },
    {
      name:
        `prompt tokens repeating the previous request's prefix (cacheable), ${elidedAt.size} elisions`,
      value: cache.share,
      baseline: cacheBefore.share,
      baselineName: "before item 7 (never rewritten)",
      unit: "%",
      limit: 1,
    },
    {
      name: "llm_query_batched of 64 prompts, 200 ms server (32 in flight)",
      value: batched,
      baseline: direct,
      baselineName: "64 concurrent direct calls",
      unit: "ms",
      limit: 2.5,
    },
  ];
}
