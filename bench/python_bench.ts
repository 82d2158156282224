/**
 * Python cell benchmarks (issue 16): the Python REPL against the JavaScript
 * one, measured in the same run: start to the first cell's result (from a
 * stored snapshot, and the very first cold boot), later cells, host calls,
 * and the sandbox process's memory.
 *
 * @module
 */

import { Sandbox } from "../src/sandbox/sandbox.ts";
import { type Figure, median, peakRssMiB, rssMiB, timeMedian } from "./lib.ts";

async function startToFirstCell(
  make: () => Sandbox,
  code: string,
  runs: number,
): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const start = performance.now();
    const sb = make();
    const result = await sb.run(code);
    if (result.error || result.lost) {
      throw new Error(`benchmark cell failed: ${JSON.stringify(result)}`);
    }
    if (i > 0) times.push(performance.now() - start);
    await sb.close();
  }
  return median(times);
}

/**
 * Medians of `a` and `b` timed in turn (a, b, a, b, ...), so a machine
 * whose speed drifts during the run slows both alike.
 */
async function paired(
  runs: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number, number]> {
  const timesA: number[] = [];
  const timesB: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [fn, times] of [[a, timesA], [b, timesB]] as const) {
      const start = performance.now();
      await fn();
      times.push(performance.now() - start);
    }
  }
  return [median(timesA), median(timesB)];
}

const JS_CELL =
  "const squares = Array.from({ length: 1000 }, (_, i) => i * i)\nprint(squares.reduce((a, b) => a + b, 0))";
const PY_CELL = "squares = [i * i for i in range(1000)]\nprint(sum(squares))";

/** Runs the Python benchmarks and returns their figures. */
export async function pythonBench(): Promise<Figure[]> {
  const snapshots = await Deno.makeTempDir({ prefix: "nanocode-bench-" });
  const python = (dir: string | null = snapshots) =>
    new Sandbox({ repl: "python", python: { snapshotDir: dir } });
  try {
    // The very first Python session of a machine boots cold (and stores the
    // snapshot every later one starts from).
    const coldStart = performance.now();
    const first = python();
    await first.run("1");
    const cold = performance.now() - coldStart;
    await first.close();

    const jsStart = await startToFirstCell(() => new Sandbox(), "1", 8);
    const pyStart = await startToFirstCell(() => python(), "1", 6);

    await using js = new Sandbox();
    await using py = python();
    const functions = { small: () => 1 };
    const signatures = { small: "small()" };
    // A session's later cells: Python's hot code is compiled by then (V8
    // tiers WebAssembly up in the background during the first few hundred).
    for (let i = 0; i < 300; i++) await py.run(i % 2 ? PY_CELL : "");
    for (let i = 0; i < 50; i++) await js.run(i % 2 ? JS_CELL : "");
    const [pyEmpty, jsEmpty] = await paired(
      200,
      () => py.run(""),
      () => js.run(""),
    );
    const [pyTypical, jsTypical] = await paired(
      100,
      () => py.run(PY_CELL),
      () => js.run(JS_CELL),
    );
    const jsCalls = await timeMedian(
      11,
      () => js.run("for (let i = 0; i < 1000; i++) small()", { functions }),
      2,
    );
    const pyCalls = await timeMedian(
      11,
      () =>
        py.run("for i in range(1000):\n    small()", { functions, signatures }),
      2,
    );
    const jsLoop = await timeMedian(
      11,
      () => js.run("for (let i = 0; i < 1000; i++) ;"),
      2,
    );
    const pyLoop = await timeMedian(
      11,
      () => py.run("for i in range(1000):\n    pass"),
      2,
    );

    await new Promise((r) => setTimeout(r, 300));
    const jsRss = rssMiB(js.pid!);
    const pyRss = rssMiB(py.pid!);
    const pyPeak = peakRssMiB(py.pid!);
    console.error(
      `python: cold boot ${cold.toFixed(0)} ms, start ${
        pyStart.toFixed(0)
      } ms (js ${jsStart.toFixed(0)} ms), RSS ${pyRss.toFixed(0)} MiB (peak ${
        pyPeak.toFixed(0)
      }; the original's Pyodide sandbox: 560-660 MB), js RSS ${
        jsRss.toFixed(0)
      } MiB`,
    );

    return [
      {
        name: "Python start to first cell result (stored snapshot)",
        value: pyStart,
        baseline: jsStart,
        baselineName: "JS start to first cell result",
        unit: "ms",
        limit: 15,
      },
      {
        name: "Python first boot ever (cold, stores the snapshot)",
        value: cold,
        baseline: jsStart,
        baselineName: "JS start to first cell result",
        unit: "ms",
        limit: 60,
      },
      {
        name: "later Python cell (after 300): empty",
        value: pyEmpty,
        baseline: jsEmpty,
        baselineName: "empty JS cell",
        unit: "ms",
        limit: 3,
      },
      {
        name: "later Python cell (after 300): 1000 squares, print sum",
        value: pyTypical,
        baseline: jsTypical,
        baselineName: "same cell in JS",
        unit: "ms",
        limit: 3,
      },
      {
        name: "host call from a Python cell",
        value: (pyCalls - pyLoop) / 1000,
        baseline: (jsCalls - jsLoop) / 1000,
        baselineName: "host call from a JS cell",
        unit: "ms",
        limit: 3,
      },
      {
        name: "Python sandbox RSS after start",
        value: pyRss,
        baseline: jsRss,
        baselineName: "JS sandbox RSS",
        unit: "MiB",
        limit: 8,
      },
    ];
  } finally {
    await Deno.remove(snapshots, { recursive: true }).catch(() => {});
  }
}
