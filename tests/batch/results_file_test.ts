import { join } from "node:path";
import { assertEquals } from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { parseResults, ResultsFile } from "../../src/batch/results_file.ts";
import { blankResult } from "../../src/batch/run_task.ts";

Deno.test("ResultsFile ends a line cut short by a crash and treats its task as unfinished", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "sub", "results.jsonl");
  await Deno.mkdir(join(dir.path, "sub"));
  const whole = JSON.stringify(blankResult("a"));
  await Deno.writeTextFile(
    path,
    `${whole}\n${JSON.stringify(blankResult("b")).slice(0, 30)}`,
  );
  const file = await ResultsFile.open(path);
  assertEquals([...file.finished.keys()], ["a"]);
  file.append({ ...blankResult("b"), answer: "second try" });
  file.close();
  const lines = (await Deno.readTextFile(path)).split("\n");
  assertEquals(
    lines.length,
    4,
    "the cut line stays, ended; the new one follows",
  );
  assertEquals(lines[3], "");
  const read = parseResults(await Deno.readTextFile(path));
  assertEquals([...read.keys()].sort(), ["a", "b"]);
  assertEquals(read.get("b")?.answer, "second try");
});

Deno.test("parseResults() keeps the last line of an id and skips lines that are not results", () => {
  const text = [
    JSON.stringify({ ...blankResult("a"), status: "failed" }),
    '{"id": "x", "status": "running"}',
    "garbage",
    JSON.stringify({ ...blankResult("a"), answer: "retried" }),
  ].join("\n");
  const results = parseResults(text);
  assertEquals([...results.keys()], ["a"]);
  assertEquals(results.get("a")?.status, "done");
  assertEquals(results.get("a")?.answer, "retried");
});

Deno.test("ResultsFile.append() writes each result as one whole line, also a large one", async () => {
  await using dir = await tempDir();
  const path = join(dir.path, "r.jsonl");
  const file = await ResultsFile.open(path);
  const diff = "+x\n".repeat(300_000);
  file.append({ ...blankResult("big"), diff });
  file.append(blankResult("small"));
  file.close();
  const lines = (await Deno.readTextFile(path)).trimEnd().split("\n");
  assertEquals(lines.length, 2);
  assertEquals(JSON.parse(lines[0]).diff, diff);
});
