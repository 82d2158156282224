import { assertEquals, assertRejects } from "./_assert.ts";
import { z } from "zod";
import {
  defineTool,
  limitText,
  toolSignature,
} from "../../src/tools/define.ts";
import { withWorkspace } from "./_helpers.ts";

const echo = defineTool({
  name: "echo",
  description: "Echoes.",
  params: [
    { name: "text", type: "string", description: "text" },
    { name: "times", type: "number", optional: true, description: "repeat" },
  ],
  schema: z.object({
    text: z.string(),
    times: z.number().int("must be a whole number").min(1, "must be 1 or more")
      .optional(),
  }),
  run: ({ text, times }) => Promise.resolve(text.repeat(times ?? 1)),
  maxOutputChars: 20,
});

Deno.test("defineTool() accepts positional arguments in param order", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(await echo.run(["ab", 2], context), "abab");
    assertEquals(await echo.run(["ab"], context), "ab");
  });
});

Deno.test("defineTool() accepts one object keyed by param names", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(await echo.run([{ text: "ab", times: 3 }], context), "ababab");
    assertEquals(await echo.run([{ text: "x" }], context), "x");
  });
});

Deno.test("defineTool() treats null as omitted for optional params", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(await echo.run(["ab", null], context), "ab");
  });
});

Deno.test("defineTool() throws TypeError naming the param when its type is wrong", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => echo.run([42], context),
      TypeError,
      "echo(text, times?): text must be a string",
    );
    await assertRejects(
      () => echo.run(["a", "2"], context),
      TypeError,
      "echo(text, times?): times must be a number",
    );
  });
});

Deno.test("defineTool() uses the schema's own message when it starts with must", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => echo.run(["a", 1.5], context),
      TypeError,
      "echo(text, times?): times must be a whole number",
    );
    await assertRejects(
      () => echo.run(["a", 0], context),
      TypeError,
      "echo(text, times?): times must be 1 or more",
    );
  });
});

Deno.test("defineTool() reports a missing required argument", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => echo.run([], context),
      TypeError,
      "echo(text, times?): text is required",
    );
  });
});

Deno.test("defineTool() rejects too many arguments and unknown keys", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => echo.run(["a", 1, 2], context),
      TypeError,
      "echo(text, times?): expected at most 2 arguments, got 3",
    );
    await assertRejects(
      () => echo.run([{ text: "a", count: 2 }], context),
      TypeError,
      'echo(text, times?): unknown argument "count"; expected text, times',
    );
  });
});

Deno.test("defineTool() bounds the result with limitText", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(
      await echo.run(["abcdefghij", 3], context),
      "abcdefghij\n... [10 chars omitted] ...\nabcdefghij",
    );
  });
});

Deno.test("toolSignature() marks optional params with ?", () => {
  assertEquals(toolSignature(echo.name, echo.params), "echo(text, times?)");
});

Deno.test("limitText() keeps head and tail with a marker when text is long", () => {
  assertEquals(limitText("abcdefghij", 4), "ab\n... [6 chars omitted] ...\nij");
  assertEquals(
    limitText("abcdefghij", 5),
    "abc\n... [5 chars omitted] ...\nij",
  );
});

Deno.test("limitText() returns short text unchanged", () => {
  assertEquals(limitText("abc", 3), "abc");
  assertEquals(limitText("", 0), "");
});

Deno.test("limitText() never splits a surrogate pair", () => {
  const text = "a😀bcdef😀g";
  const cut = limitText(text, 4);
  assertEquals(cut, "a\n... [9 chars omitted] ...\ng");
});
