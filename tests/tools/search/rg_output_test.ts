import { assertEquals } from "../_assert.ts";
import { RipgrepOutputParser } from "../../../src/tools/search/rg_output.ts";

const enc = (s: string) => new TextEncoder().encode(s);

function parseInChunks(output: string, size: number, maxHitsPerFile = 10) {
  const parser = new RipgrepOutputParser("/ws", { maxHitsPerFile });
  const bytes = enc(output);
  const files = [];
  for (let i = 0; i < bytes.length; i += size) {
    parser.push(bytes.subarray(i, i + size));
    files.push(...parser.take());
  }
  parser.finish();
  files.push(...parser.take());
  return files;
}

const OUTPUT = [
  "a.ts\u00001:1:TODO one\r",
  "a.ts\u00003:4:// TODO two",
  "late.bin\u00001:1:TODO before",
  'late.bin: WARNING: stopped searching binary file after match (found "\\0" byte around offset 9)',
  "héllo.ts\u00002:8:héllo TODO",
  "",
].join("\n");

const EXPECTED = [
  {
    path: "/ws/a.ts",
    total: 2,
    hits: [
      { line: 1, text: "TODO one", matchStart: 0 },
      { line: 3, text: "// TODO two", matchStart: 3 },
    ],
  },
  {
    path: "/ws/héllo.ts",
    total: 1,
    hits: [{ line: 2, text: "héllo TODO", matchStart: 6 }],
  },
];

Deno.test("RipgrepOutputParser gives the same files whatever the chunk size", () => {
  for (const size of [1, 2, 3, 7, 64, 100_000]) {
    assertEquals(parseInChunks(OUTPUT, size), EXPECTED, `chunk size ${size}`);
  }
});

Deno.test("RipgrepOutputParser keeps the first hits and counts the rest when a file has many", () => {
  const output =
    Array.from({ length: 5 }, (_, i) => `x\u0000${i + 1}:1:hit`).join("\n") +
    "\n";
  const [file] = parseInChunks(output, 5, 2);
  assertEquals(file.total, 5);
  assertEquals(file.hits.map((h) => h.line), [1, 2]);
});

Deno.test("RipgrepOutputParser keeps a preview of a line longer than a chunk", () => {
  const long = "q".repeat(100_000);
  const [file] = parseInChunks(`big\u00001:99999:${long}\n`, 4096);
  assertEquals(file.hits[0].matchStart, null);
  assertEquals(file.hits[0].text.length > 300, true);
  assertEquals(file.hits[0].text.startsWith("qqq"), true);
});
