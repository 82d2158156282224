/**
 * `deno task bench`: runs every benchmark, prints a table of figures with
 * their same-run baselines and ratios, and writes `bench/results.json`.
 * Suites not run this time keep their last figures there, each suite dated.
 *
 * Usage: `deno task bench [suite...]` where suite is one of the names below.
 *
 * @module
 */

import { type Figure, table } from "./lib.ts";
import { agentBench } from "./agent_bench.ts";
import { batchBench } from "./batch_bench.ts";
import { cliBench } from "./cli_bench.ts";
import { contextBench } from "./context_bench.ts";
import { execBench } from "./exec_bench.ts";
import { pythonBench } from "./python_bench.ts";
import { sandboxBench } from "./sandbox_bench.ts";
import { searchBench } from "./search_bench.ts";
import { terminalBench } from "./terminal_bench.ts";
import { mcpBench } from "./mcp_bench.ts";
import { startupBench } from "./startup_bench.ts";
import { undoBench } from "./undo_bench.ts";

const suites: Record<string, () => Promise<Figure[]>> = {
  sandbox: sandboxBench,
  agent: agentBench,
  search: searchBench,
  cli: cliBench,
  terminal: terminalBench,
  mcp: mcpBench,
  startup: startupBench,
  undo: undoBench,
  context: contextBench,
  batch: batchBench,
  exec: execBench,
  python: pythonBench,
};

const chosen = Deno.args.length ? Deno.args : Object.keys(suites);
const results: Record<string, Figure[]> = {};
for (const name of chosen) {
  const suite = suites[name];
  if (!suite) {
    console.error(
      `Unknown suite "${name}"; choose from: ${Object.keys(suites).join(", ")}`,
    );
    Deno.exit(2);
  }
  console.error(`running ${name} ...`);
  results[name] = await suite();
  console.log(`\n## ${name}\n${table(results[name])}`);
}

const out = new URL("./results.json", import.meta.url);
const now = new Date().toISOString();
const fresh = Object.fromEntries(
  Object.entries(results).map(([name, figures]) => [name, {
    date: now,
    figures: figures.map((f) => ({
      ...f,
      ratio: f.value / f.baseline,
      ok: f.value / f.baseline <= f.limit,
    })),
  }]),
);
// Running some suites keeps the others' last figures, each with its own date.
const earlier = await previousSuites(out);
const kept = Object.keys(earlier).filter((name) => !(name in fresh));
await Deno.writeTextFile(
  out,
  JSON.stringify(
    {
      deno: Deno.version.deno,
      cpus: navigator.hardwareConcurrency,
      suites: { ...earlier, ...fresh },
    },
    null,
    2,
  ) + "\n",
);
console.log(
  `\nwrote ${out.pathname}` +
    (kept.length ? ` (kept ${kept.join(", ")} from an earlier run)` : ""),
);

/** The suites of an earlier results file in the current shape, or none. */
async function previousSuites(url: URL): Promise<Record<string, unknown>> {
  try {
    const old = JSON.parse(await Deno.readTextFile(url));
    const suites = old?.suites ?? {};
    return Object.fromEntries(
      Object.entries(suites).filter(([, v]) =>
        typeof v === "object" && v !== null && !Array.isArray(v) &&
        "date" in v
      ),
    );
  } catch {
    return {};
  }
}
