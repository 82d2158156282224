/**
 * `deno task bench`: runs every benchmark, prints a table of figures with
 * their same-run baselines and ratios, and writes `bench/results.json`.
 *
 * Usage: `deno task bench [suite...]` where suite is one of the names below.
 *
 * @module
 */

import { type Figure, table } from "./lib.ts";
import { agentBench } from "./agent_bench.ts";
import { cliBench } from "./cli_bench.ts";
import { sandboxBench } from "./sandbox_bench.ts";
import { searchBench } from "./search_bench.ts";

const suites: Record<string, () => Promise<Figure[]>> = {
  sandbox: sandboxBench,
  agent: agentBench,
  search: searchBench,
  cli: cliBench,
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
await Deno.writeTextFile(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      deno: Deno.version.deno,
      cpus: navigator.hardwareConcurrency,
      suites: Object.fromEntries(
        Object.entries(results).map(([name, figures]) => [
          name,
          figures.map((f) => ({
            ...f,
            ratio: f.value / f.baseline,
            ok: f.value / f.baseline <= f.limit,
          })),
        ]),
      ),
    },
    null,
    2,
  ) + "\n",
);
console.log(`\nwrote ${out.pathname}`);
