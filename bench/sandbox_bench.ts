/**
 * Sandbox benchmarks (issue 2): cold start, cell and host-call round trips,
 * a 5 MB result, and the sandbox process's memory, each against a baseline
 * measured in the same run.
 *
 * @module
 */

import { Sandbox } from "../src/sandbox/sandbox.ts";
import {
  type Figure,
  measurePair,
  median,
  rssMiB,
  tempScript,
  timeCommand,
  timeMedian,
} from "./lib.ts";
import { relayFloor } from "./relay_floor.ts";

const deno = Deno.execPath();

async function bareRssMiB(): Promise<number> {
  const [script, cleanup] = await tempScript(
    "console.log('ready'); setTimeout(() => {}, 60_000);",
  );
  try {
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const child = new Deno.Command(deno, {
        args: ["run", "--no-prompt", script],
        stdout: "piped",
      }).spawn();
      const reader = child.stdout.getReader();
      await reader.read();
      await new Promise((r) => setTimeout(r, 200));
      samples.push(rssMiB(child.pid));
      child.kill("SIGKILL");
      reader.releaseLock();
      await child.stdout.cancel();
      await child.status;
    }
    return median(samples);
  } finally {
    await cleanup();
  }
}

async function workerRoundTripMs(): Promise<number> {
  const worker = new Worker(
    "data:text/javascript," +
      encodeURIComponent("self.onmessage = (e) => self.postMessage(e.data)"),
    { type: "module", deno: { permissions: "none" } } as WorkerOptions,
  );
  const once = () =>
    new Promise<void>((resolve) => {
      worker.onmessage = () => resolve();
      worker.postMessage(1);
    });
  try {
    for (let i = 0; i < 200; i++) await once();
    const start = performance.now();
    const n = 2000;
    for (let i = 0; i < n; i++) await once();
    return (performance.now() - start) / n;
  } finally {
    worker.terminate();
  }
}

/** How long one call of `fn` takes, in ms. */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** A `cat` child that copies `bytes` through its pipes once per call. */
function pipeCopy(
  bytes: number,
): { once(): Promise<void>; close(): Promise<void> } {
  const payload = new Uint8Array(bytes).fill(120);
  const child = new Deno.Command("cat", { stdin: "piped", stdout: "piped" })
    .spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.getReader();
  const once = async () => {
    const write = writer.write(payload);
    let got = 0;
    while (got < bytes) {
      const { value } = await reader.read();
      got += value!.length;
    }
    await write;
  };
  const close = async () => {
    await writer.close();
    reader.releaseLock();
    await child.stdout.cancel();
    await child.status;
  };
  return { once, close };
}

/**
 * Runs the sandbox benchmarks and returns their figures. The cold start and
 * the 5 MB result are measured in turn with their baselines (A B, B A, ...),
 * so a shared machine whose speed drifts during the run moves both alike.
 */
export async function sandboxBench(): Promise<Figure[]> {
  // Cold start: a new sandbox process up to the first cell's result, in
  // turn with a bare `deno run` that prints.
  const [hello, cleanup] = await tempScript("console.log('hi')");
  const cold = await measurePair(
    12,
    async () => {
      const start = performance.now();
      const sb = new Sandbox();
      await sb.run("1");
      const ms = performance.now() - start;
      await sb.close();
      return ms;
    },
    () => timeCommand(deno, ["run", "--no-prompt", hello]),
    2,
  );
  await cleanup();

  const workerRt = await workerRoundTripMs();
  await using sb = new Sandbox();
  const big = "x".repeat(5_000_000);
  const functions = { small: () => 1, big: () => big };
  const emptyCell = await timeMedian(300, () => sb.run(""), 50);
  const callCell = await timeMedian(
    15,
    () => sb.run("for (let i = 0; i < 1000; i++) small()", { functions }),
    3,
  );
  const loopCell = await timeMedian(
    15,
    () => sb.run("for (let i = 0; i < 1000; i++) ;"),
    3,
  );
  const hostCall = (callCell - loopCell) / 1000;
  const floor = await relayFloor();
  console.error(
    `  bare relay of the host call's path: ${
      floor.relay.toFixed(3)
    } ms per round trip (worker leg ${
      floor.workerLeg.toFixed(3)
    } ms, pipe leg ${floor.pipeLeg.toFixed(3)} ms); host call from a cell ${
      hostCall.toFixed(3)
    } ms`,
  );
  const pipe = pipeCopy(5_000_000);
  const bigCell = await measurePair(
    9,
    () => timed(() => sb.run("big().length", { functions })),
    () => timed(pipe.once),
    2,
  );
  await pipe.close();
  const bigResult = bigCell.value - emptyCell;

  const fresh = new Sandbox();
  await fresh.run("1");
  await new Promise((r) => setTimeout(r, 300));
  const sandboxRss = rssMiB(fresh.pid!);
  await fresh.close();
  const bareRss = await bareRssMiB();

  return [
    {
      name: "sandbox cold start to first cell result",
      value: cold.value,
      baseline: cold.baseline,
      baselineName: "bare deno run (print)",
      unit: "ms",
      limit: 4,
    },
    {
      name: "empty cell round trip",
      value: emptyCell,
      baseline: workerRt,
      baselineName: "empty worker message round trip",
      unit: "ms",
      limit: 10,
    },
    {
      name: "host call from a cell (small result)",
      value: hostCall,
      baseline: workerRt,
      baselineName: "empty worker message round trip",
      unit: "ms",
      limit: 10,
    },
    {
      name: "host call from a cell, against a bare relay",
      value: hostCall,
      baseline: floor.relay,
      baselineName:
        "bare relay of the same path (worker -> host thread -> parent over pipes -> back)",
      unit: "ms",
      limit: 2,
    },
    {
      name: "5 MB host-call result into a cell",
      value: bigResult,
      baseline: bigCell.baseline,
      baselineName: "5 MB through a pipe (cat)",
      unit: "ms",
      limit: 5,
    },
    {
      name: "sandbox process RSS after start",
      value: sandboxRss,
      baseline: bareRss,
      baselineName: "bare deno run (print) RSS",
      unit: "MiB",
      limit: 3,
    },
  ];
}
