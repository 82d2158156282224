/**
 * Runs one scripted turn of the coding agent against a server URL given on
 * the command line, then prints its timing and peak memory as JSON. Used by
 * `agent_bench.ts` so the agent runs in a process of its own.
 *
 * Usage: deno run -A bench/turn_child.ts URL [turns]
 *
 * @module
 */

import { CodingAgent } from "../src/agent/coding_agent.ts";
import { peakRssMiB } from "./lib.ts";

const [url, turnsArg] = Deno.args;
const turns = Number(turnsArg ?? 1);
const workspace = await Deno.makeTempDir({ prefix: "nanocode-bench-" });
await Deno.writeTextFile(`${workspace}/a.txt`, "hello\n");
const agent = new CodingAgent({
  workspace,
  config: {
    lm: "openai/main-model",
    sub_lm: "openai/sub-model",
    api_base: url,
    max_iters: 100,
  },
  env: (name) => (name === "OPENAI_API_KEY" ? "bench" : undefined),
  conversation: true,
});
// The sandbox starts before the turn, as in interactive mode (its cold
// start is measured on its own in the sandbox suite).
await agent.warmUp();
const rss: number[] = [];
const started = performance.now();
let steps = 0;
for (let i = 0; i < turns; i++) {
  const result = await agent.forward(`turn ${i}`);
  steps += result.trajectory.length;
  if (turns > 1) {
    rss.push(
      Number(
        /VmRSS:\s+(\d+)/.exec(Deno.readTextFileSync("/proc/self/status"))![1],
      ) / 1024,
    );
  }
}
const wallMs = performance.now() - started;
const sandboxPid = agent.sandbox.pid;
const sandboxPeak = sandboxPid ? peakRssMiB(sandboxPid) : 0;
const agentPeak = peakRssMiB();
await agent.close();
await Deno.remove(workspace, { recursive: true });
console.log(
  JSON.stringify({ wallMs, steps, agentPeak, sandboxPeak, rssAfterTurns: rss }),
);
