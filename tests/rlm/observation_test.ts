import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { formatObservation, headTail } from "../../src/rlm/observation.ts";
import { extractRequest, parseExtract } from "../../src/rlm/extract.ts";

Deno.test("formatObservation() shows output, then value, then the error with its line", () => {
  const text = formatObservation({
    output: "one\ntwo\n",
    value: "3",
    error: { name: "TypeError", message: "x is not a function", line: 4 },
    durationMs: 1,
  }, 1000);
  assertEquals(text, "one\ntwo\n3\nTypeError: x is not a function (line 4)");
});

Deno.test("formatObservation() says when a cell printed nothing", () => {
  assertEquals(
    formatObservation({ output: "", durationMs: 1 }, 1000),
    "(no output)",
  );
});

Deno.test("formatObservation() tells the model that REPL state was lost", () => {
  const text = formatObservation(
    {
      output: "",
      lost: "timeout",
      detail: "The cell was stopped after 120 s (cell timeout).",
      durationMs: 1,
    },
    1000,
    { restored: "task and history are set again" },
  );
  assertStringIncludes(text, "cell timeout");
  assertStringIncludes(
    text,
    "every variable and function from earlier cells is gone",
  );
  assertStringIncludes(text, "task and history are set again");
});

Deno.test("headTail() keeps both ends within the limit and says how much was cut", () => {
  const text = "a".repeat(500) + "b".repeat(500);
  const cut = headTail(text, 100);
  assert(cut.startsWith("a".repeat(50)));
  assert(cut.endsWith("b".repeat(50)));
  assertStringIncludes(cut, "[900 characters omitted]");
  assertEquals(headTail("short", 100), "short");
});

Deno.test("parseExtract() reads marked fields and falls back to the whole reply", () => {
  const outputs = [{ name: "answer", type: "string" as const }];
  assertStringIncludes(extractRequest(outputs), "[[ ## answer ## ]]");
  assertEquals(
    parseExtract(
      outputs,
      "[[ ## answer ## ]]\nAll done.\n\n[[ ## completed ## ]]",
    ),
    {
      answer: "All done.",
    },
  );
  assertEquals(parseExtract(outputs, "Plain answer."), {
    answer: "Plain answer.",
  });
  const typed = [{ name: "n", type: "integer" as const }, {
    name: "why",
    type: "string" as const,
  }];
  assertEquals(
    parseExtract(typed, "[[ ## n ## ]]\n3\n[[ ## why ## ]]\nbecause"),
    { n: 3, why: "because" },
  );
});

Deno.test("formatObservation() puts a note before the output and says when there is none", () => {
  assertEquals(
    formatObservation({ output: "", durationMs: 1 }, 1000, {
      before: "Only the first code block ran",
    }),
    "[Only the first code block ran]\n(no output)",
  );
  assertEquals(
    formatObservation({ output: "", durationMs: 1 }, 1000, {
      after: "SUBMIT is missing answer",
    }),
    "(no output)\n[SUBMIT is missing answer]",
  );
});

Deno.test("formatObservation() keeps the count of what the sandbox already left out", () => {
  // The sandbox keeps half the limit of head and half of tail, with its
  // marker in between: no second cut may replace that marker's count.
  const output = "a".repeat(500) +
    "\n... [5000000 characters omitted] ...\n" + "b".repeat(500);
  const text = formatObservation({ output, durationMs: 1 }, 1000, {
    slot: 3,
  });
  assertStringIncludes(
    text,
    "[5000000 characters omitted; all of it is in _out[3]]",
  );
  assert(text.startsWith("a".repeat(500)) && text.endsWith("b".repeat(500)));
});

Deno.test("formatObservation() adds a second cut to the sandbox's count, in one marker", () => {
  const output = "a".repeat(500) +
    "\n... [5000000 characters omitted] ...\n" + "b".repeat(500);
  const text = formatObservation(
    { output, value: "c".repeat(400), durationMs: 1 },
    1000,
    { slot: 2 },
  );
  // 1,401 characters (output, newline, value) shown in 1,000: 401 more go.
  assertStringIncludes(
    text,
    "[5000401 characters omitted; all of it is in _out[2]]",
  );
  assertEquals(text.match(/characters omitted/g)?.length, 1);
  assert(text.startsWith("a".repeat(500)) && text.endsWith("c".repeat(400)));
});
