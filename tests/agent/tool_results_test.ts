import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { testAgent } from "./_agent.ts";

function agentFor(url: string, workspace: string) {
  return testAgent(url, workspace, { config: { max_output_chars: 2000 } });
}

Deno.test("CodingAgent tools return whole files and outputs to the cell while the observation is cut", async () => {
  const data = {
    rows: Array.from({ length: 4000 }, (_, i) => ({ id: i, tag: `t${i % 7}` })),
  };
  const json = JSON.stringify(data);
  assert(json.length > 90_000);
  const lines = Array.from({ length: 6000 }, (_, i) => `row ${i}`).join("\n");
  await using repo = await tempDir({ "data.json": json, "rows.txt": lines });
  await using server = await startLmServer(routeByModel([
    // A 90 kB one-line JSON file parses in the cell.
    cell(
      "const text = read_file('data.json')\nconst parsed = JSON.parse(text.slice(text.indexOf('| ') + 2))\nprint(parsed.rows.length, parsed.rows.at(-1).id)",
    ),
    // Past 2,000 lines, past 30 kB of output: all of it reaches the cell.
    cell(
      "const all = read_file('rows.txt').split('\\n')\nconst out = run_bash('seq 1 100000').split('\\n')\nprint(all.length, all.at(-1), out.length, out.at(-2))",
    ),
    // Printing it all: the model is shown head and tail only.
    cell("print(read_file('rows.txt'))"),
    cell("SUBMIT('ok')"),
  ]));
  await using agent = agentFor(server.url, repo.path);
  const result = await agent.forward("Count the rows.");
  const seen = result.trajectory.map((s) => s.observation);
  assertEquals(seen[0], "4000 3999");
  assertEquals(seen[1], "6000 6000| row 5999 100001 100000");
  assert(seen[2].length < 2_500, `observation of ${seen[2].length} chars`);
  assertStringIncludes(seen[2], "   1| row 0");
  assertStringIncludes(seen[2], "6000| row 5999");
  assertStringIncludes(seen[2], "omitted");
});

Deno.test("CodingAgent tells the model how much of a long output it was not shown", async () => {
  const lines = Array.from({ length: 6000 }, (_, i) => `row ${i}`);
  const numbered = lines.map((l, i) => `${String(i + 1).padStart(4)}| ${l}`)
    .join("\n");
  await using repo = await tempDir({ "rows.txt": lines.join("\n") });
  await using server = await startLmServer(routeByModel([
    cell("print(read_file('rows.txt'))"),
    cell("SUBMIT('ok')"),
  ]));
  await using agent = agentFor(server.url, repo.path);
  const result = await agent.forward("Show the rows.");
  const seen = result.trajectory[0].observation;
  const markers = [
    ...seen.matchAll(
      /\n\.\.\. \[(\d+) characters omitted(?:; [^\n]*?)?\] \.\.\.\n/g,
    ),
  ];
  assertEquals(markers.length, 1, seen);
  const [marker, count] = markers[0];
  // What was shown plus what the marker says was left out is the whole output.
  assertEquals(seen.length - marker.length + Number(count), numbered.length);
  assertStringIncludes(marker, "all of it is in _out[1]");
});
