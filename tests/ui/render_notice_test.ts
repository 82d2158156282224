import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { EventRenderer } from "../../src/ui/render.ts";
import { createStyle } from "../../src/ui/style.ts";
import { MemoryOutput } from "../../src/ui/terminal.ts";

function renderer(streamReasoning = false) {
  const out = new MemoryOutput();
  const r = new EventRenderer({
    out,
    style: createStyle(false),
    verbose: false,
    streamReasoning,
  });
  return { out, r };
}

Deno.test("EventRenderer shows a notice as one line when the client adapted to its server", () => {
  const { out, r } = renderer();
  r.handle({
    type: "notice",
    step: 1,
    code: "max_tokens_lowered",
    message: "max_tokens lowered to 16384 (the most openai/gpt-4o allows)",
  });
  assertEquals(
    out.text,
    "⏺ max_tokens lowered to 16384 (the most openai/gpt-4o allows)\n",
  );
});

Deno.test("EventRenderer shows the streamed reasoning again when a reply that broke off is asked for again", () => {
  const { out, r } = renderer(true);
  r.handle({ type: "step_start", step: 1, maxSteps: 5 });
  r.handle({ type: "model_delta", step: 1, text: "Reading the file.\n" });
  r.handle({
    type: "retry",
    step: 1,
    attempt: 1,
    delayMs: 1000,
    reason: "the reply broke off",
    discarded: true,
  });
  r.handle({ type: "model_delta", step: 1, text: "Reading the file.\n" });
  assertEquals(out.text.split("Reading the file.").length - 1, 2);
  assertStringIncludes(out.text, "the reply broke off");
});

Deno.test("EventRenderer says how many cell outputs were shortened to fit the window", () => {
  const { out, r } = renderer();
  r.handle({
    type: "context_elided",
    step: 9,
    cells: [1, 2, 3],
    tokensBefore: 21000,
    tokensAfter: 9000,
  });
  assertStringIncludes(out.text, "Shortened 3 older cell outputs");
  assertStringIncludes(out.text, "_out[n]");
});

Deno.test("EventRenderer labels a verbose code block with the REPL's language", () => {
  for (
    const [repl, fence] of [["python", "```python"], ["js", "```js"]] as const
  ) {
    const out = new MemoryOutput();
    const r = new EventRenderer({
      out,
      style: createStyle(false),
      verbose: true,
      streamReasoning: false,
      repl: () => repl,
    });
    r.handle({ type: "code", step: 1, code: "print(1)" });
    assertStringIncludes(out.text, `⏺ [CODE]\n${fence}\nprint(1)\n`);
  }
});
