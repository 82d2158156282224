/**
 * Runs 100 scripted turns of 3 steps against an instant, non-recording
 * model server and prints the live JS heap (after forced GC) at turns 10
 * and 100. Run with `--v8-flags=--expose-gc`; used by memory_test.ts.
 *
 * @module
 */

import { CodingAgent } from "../../src/agent/coding_agent.ts";
import { instantServer } from "../../bench/lib.ts";

const gc = (globalThis as unknown as { gc: () => void }).gc;
const server = instantServer(3);
const workspace = await Deno.makeTempDir();
const agent = new CodingAgent({
  workspace,
  config: {
    lm: "openai/m",
    sub_lm: "openai/m",
    api_base: server.url,
    permission_mode: "yolo",
  },
  env: (name) => (name === "OPENAI_API_KEY" ? "k" : undefined),
  snapshotsDir: null,
  conversation: true,
});
const live: Record<number, number> = {};
for (let turn = 1; turn <= 100; turn++) {
  await agent.forward(`turn ${turn}`);
  if (turn === 10 || turn === 100) {
    gc();
    gc();
    live[turn] = Deno.memoryUsage().heapUsed / 1048576;
  }
}
await agent.close();
await server.close();
await Deno.remove(workspace, { recursive: true });
console.log(JSON.stringify(live));
