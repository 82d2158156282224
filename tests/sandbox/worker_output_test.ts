import { assertEquals } from "../helpers/assert.ts";
import { createCellOutput } from "../../src/sandbox/worker_output.ts";

/** Timers that never fire: only size and end flush. */
const noTimers = {
  setTimeout: () => 0,
  clearTimeout: () => {},
};

Deno.test("createCellOutput() sends the head in batches and keeps only the tail past the cap", () => {
  const sent: string[] = [];
  const out = createCellOutput(
    10,
    (text) => sent.push(text),
    noTimers,
    4,
    1e9,
  );
  for (const piece of ["ab", "cd", "ef", "gh", "ij", "kl", "mn"]) {
    out.write(piece);
  }
  const end = out.end();
  assertEquals(sent.join(""), "abcdefghij");
  // The first write goes at once; later ones wait for 4 characters.
  assertEquals(sent, ["ab", "cdef", "ghij"]);
  assertEquals(end, { omitted: 0, tail: "klmn" });
});

Deno.test("createCellOutput() keeps only the last cap characters of one giant write", () => {
  const sent: string[] = [];
  const out = createCellOutput(5, (text) => sent.push(text), noTimers, 8, 1e9);
  out.write("0123456789".repeat(1000));
  assertEquals(sent, ["01234"]);
  assertEquals(out.end(), { omitted: 9990, tail: "56789" });
});

Deno.test("createCellOutput() sends a held-back batch without waiting for more output", async () => {
  const sent: string[] = [];
  const out = createCellOutput(
    100,
    (text) => sent.push(text),
    globalThis,
    1000,
    5,
  );
  out.write("first");
  out.write("second");
  while (sent.join("") !== "firstsecond") {
    await new Promise((r) => setTimeout(r, 5));
  }
  assertEquals(sent[0], "first");
  out.end();
});
