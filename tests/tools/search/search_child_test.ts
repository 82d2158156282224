import { assert, assertEquals, assertRejects } from "../../helpers/assert.ts";
import { childProcesses } from "../../helpers/procs.ts";
import { tempDir } from "../../helpers/temp.ts";
import { builtinSearch } from "../../../src/tools/search/builtin.ts";
import type { FileHits } from "../../../src/tools/search/backend.ts";

/** Search child processes of this process (deno run ... --allow-read). */
const searchChildren = () => childProcesses(Deno.pid, "--allow-read");

async function grep(
  root: string,
  pattern: string,
  options: { deadlineMs?: number; signal?: AbortSignal } = {},
): Promise<FileHits[]> {
  const files: FileHits[] = [];
  for await (
    const file of builtinSearch.grep({
      root,
      pattern,
      maxHitsPerFile: 10,
      ...options,
    })
  ) files.push(file);
  return files;
}

const EVIL = "^(a+)+$";
const LONG = "a".repeat(60) + "!\n";

Deno.test("builtinSearch.grep() stops a catastrophic pattern at its deadline, kills the search process and searches fine afterwards", async () => {
  await using dir = await tempDir({ "evil.txt": LONG, "ok.txt": "needle\n" });
  await assertRejects(
    () => grep(dir.path, EVIL, { deadlineMs: 500 }),
    Error,
    `grep_files stopped: the pattern "^(a+)+$" made no progress for 0.5 s, so it likely backtracks catastrophically`,
  );
  assertEquals(searchChildren(), []);
  const files = await grep(dir.path, "needle");
  assertEquals(files.map((f) => f.hits[0].text), ["needle"]);
});

Deno.test("builtinSearch.grep() stops a catastrophic pattern at once when aborted", async () => {
  await using dir = await tempDir({ "evil.txt": LONG });
  const controller = new AbortController();
  const search = grep(dir.path, EVIL, { signal: controller.signal });
  while (searchChildren().length === 0) {
    await new Promise((r) => setTimeout(r, 10));
  }
  controller.abort(new DOMException("Interrupted by the user", "AbortError"));
  await assertRejects(() => search, DOMException, "Interrupted by the user");
  assertEquals(searchChildren(), []);
});

Deno.test("builtinSearch.grep() keeps one warm search process between searches", async () => {
  await using dir = await tempDir({ "a.txt": "one\n", "b.txt": "two\none\n" });
  const first = await grep(dir.path, "one");
  const warm = searchChildren();
  assertEquals(warm.length, 1);
  const second = await grep(dir.path, "o");
  assertEquals(searchChildren(), warm);
  assertEquals(first.map((f) => f.total).sort(), [1, 1]);
  assertEquals(second.map((f) => f.total).sort(), [1, 2]);
  assert(second.every((f) => f.path.startsWith(dir.path)));
});
