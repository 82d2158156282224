/**
 * Agent benchmarks (issue 3): harness overhead per iteration, peak memory
 * of the agent's process tree over a 30-step turn, and the size of the
 * first prompt in real BPE tokens.
 *
 * @module
 */

import { countTokens } from "gpt-tokenizer";
import { CodingAgent } from "../src/agent/coding_agent.ts";
import { Sandbox } from "../src/sandbox/sandbox.ts";
import {
  type Figure,
  instantServer,
  median,
  sampleTree,
  timeMedian,
} from "./lib.ts";

const STEPS = 30;

/** Runs bench/turn_child.ts, sampling its process tree's memory meanwhile. */
async function runChild(url: string, turns: number, sample = false) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./turn_child.ts", import.meta.url).pathname,
      url,
      String(turns),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const stop = sample ? sampleTree(child.pid, 10) : () => ({ rss: 0, pss: 0 });
  const out = await child.output();
  const sampled = stop();
  if (!out.success) throw new Error("turn_child failed");
  const report = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    wallMs: number;
    steps: number;
    agentPeak: number;
    sandboxPeak: number;
    rssAfterTurns: number[];
  };
  return { ...report, sampled };
}

/** Tokens of the first request's prompt (system + first user message). */
export async function firstPromptTokens(): Promise<
  { tokens: number; system: number; user: number }
> {
  const agent = new CodingAgent({
    workspace: Deno.cwd(),
    env: () => undefined,
  });
  const system = agent.systemPrompt();
  // The first user message for a short task and an empty history.
  const { firstUserMessage } = await import("../src/rlm/prompt.ts");
  const { codingSignature } = await import("../src/agent/instructions.ts");
  const user = firstUserMessage(codingSignature().inputs, {
    task: "Fix the failing test in src/math.ts.",
    history: [],
  }, 50);
  await agent.close();
  const s = countTokens(system);
  const u = countTokens(user);
  return { tokens: s + u, system: s, user: u };
}

/** Runs the agent benchmarks and returns their figures. */
export async function agentBench(): Promise<Figure[]> {
  // Baseline: an empty cell round trip in the same run.
  const sandbox = new Sandbox();
  const emptyCell = await timeMedian(200, () => sandbox.run(""), 30);
  await sandbox.close();

  const server = instantServer(STEPS);
  await runChild(server.url, 1); // warm caches
  const walls: number[] = [];
  for (let i = 0; i < 5; i++) {
    server.reset();
    const run = await runChild(server.url, 1);
    if (run.steps !== STEPS) {
      throw new Error(`expected ${STEPS} steps, got ${run.steps}`);
    }
    walls.push((run.wallMs - server.busyMs()) / STEPS);
  }
  // Memory in separate runs: sampling /proc costs CPU the timing should not pay.
  let peakPss = 0;
  let peakRssSum = 0;
  for (let i = 0; i < 2; i++) {
    const run = await runChild(server.url, 1, true);
    peakPss = Math.max(peakPss, run.sampled.pss);
    peakRssSum = Math.max(peakRssSum, run.agentPeak + run.sandboxPeak);
  }
  await server.close();
  const perIteration = median(walls);
  const tokens = await firstPromptTokens();
  return [
    {
      name: `harness overhead per iteration (${STEPS}-step turn)`,
      value: perIteration,
      baseline: emptyCell,
      baselineName: "empty cell round trip",
      unit: "ms",
      limit: 10,
    },
    {
      name: "peak memory of agent + sandbox (sampled PSS sum)",
      value: peakPss,
      baseline: 110,
      baselineName: "target",
      unit: "MiB",
      limit: 1,
    },
    {
      name: "peak RSS agent + peak RSS sandbox (shared pages twice)",
      value: peakRssSum,
      baseline: 110,
      baselineName: "target",
      unit: "MiB",
      limit: 1,
    },
    {
      name:
        `first prompt, o200k tokens (system ${tokens.system} + user ${tokens.user})`,
      value: tokens.tokens,
      baseline: 1500,
      baselineName: "target",
      unit: "tokens",
      limit: 1,
    },
  ];
}
