/**
 * A running turn on a real pty: type-ahead is echoed and queued, then sent;
 * slash commands typed during a turn run after it; the activity line stays
 * up while reasoning streams; Esc interrupts; the answer streams while the
 * model writes its SUBMIT literal, in JavaScript and in Python cells.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { startPty } from "../helpers/pty.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { TEST_CACHE_HOME } from "../helpers/python.ts";

const ENTER = "\r";
const ESC = "\x1b";

Deno.test("interactive type-ahead during a turn is echoed, queued and sent as the next turn; a slash command runs after it", async () => {
  await using dir = await tempDir({ go: "" });
  await Deno.remove(`${dir.path}/go`);
  await using server = await startLmServer(routeByModel([
    // The first turn waits for the file `go`, which the test creates after typing ahead.
    cell(
      "print(run_bash('while [ ! -f go ]; do sleep 0.05; done; echo released'))",
    ),
    cell("SUBMIT('first done')"),
    cell("SUBMIT('got: ' + task)"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    env: lmEnv(server.url, { NANOCODE_PERMISSION_MODE: "yolo" }),
  });
  await pty.waitFor("❯");
  await pty.send(`first${ENTER}`);
  await pty.waitFor("Bash(while");
  await pty.send("also check the docs");
  await pty.waitForScreen((text) => text.includes("❯ also check the docs"), {
    what: "the type-ahead echoed under the activity line",
  });
  await pty.send(ENTER);
  await pty.waitForScreen((text) =>
    text.includes("⏵ queued: also check the docs")
  );
  await pty.send(`/usage${ENTER}`);
  await pty.waitForScreen((text) => text.includes("⏵ queued: /usage"));
  assertEquals(requestsOf(server.requests, MAIN_MODEL).length, 1);
  await Deno.writeTextFile(`${dir.path}/go`, "");
  const at = await pty.waitFor("got: also check the docs");
  const third = requestsOf(server.requests, MAIN_MODEL)[2];
  assert(messagesOf(third)[1].content.includes("also check the docs"));
  await pty.waitFor(/2 turns · /, { from: at });
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive activity line shows time, tokens and 'esc to interrupt' while reasoning streams, and Esc interrupts", async () => {
  await using dir = await tempDir();
  const reasoning = Array.from(
    { length: 60 },
    (_, i) => `Thinking about part ${i} of the problem.\n`,
  );
  await using server = await startLmServer(routeByModel([
    { chunks: reasoning, chunkDelayMs: 150, text: reasoning.join("") },
    cell("SUBMIT('after: ' + task)"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`ponder${ENTER}`);
  // Reasoning lines are on screen and the activity line is still there.
  const text = await pty.waitForScreen(
    (text) =>
      text.includes("Thinking about part 3 of the problem.") &&
      /Thinking… \([\d.]+s · ↓ \d+ tokens · esc to interrupt\)/.test(text),
    { what: "reasoning with the activity line below it" },
  );
  assert(!text.includes("part 59"), "the reply is still streaming");
  await pty.send(ESC);
  const at = await pty.waitFor("Interrupted");
  assert(
    !pty.screen().lines.some((l) => l.includes("esc to interrupt")),
    "the activity line is gone after the turn",
  );
  await pty.send(`next${ENTER}`);
  await pty.waitFor("after: next", { from: at });
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive answer streams while the model writes its SUBMIT literal", async () => {
  await using dir = await tempDir();
  const answer = [
    "## Findings",
    "",
    "The parser drops the last token when the input ends without a newline.",
    "",
    "- `lexer.ts` stops one character early",
    "- the test suite never covers that case",
    "",
    "## Fix",
    "",
    "Read to the end of the input, then add a test.",
  ].join("\n");
  const code = `SUBMIT(${JSON.stringify(answer)})`;
  const reply = `I have what I need.\n\n\`\`\`js\n${code}\n\`\`\``;
  // The reply stops half-way through the literal and never finishes.
  const cut = reply.indexOf("## Fix");
  await using server = await startLmServer(routeByModel([
    {
      chunks: [
        ...reply.slice(0, cut).match(/[\s\S]{1,12}/g)!,
        reply.slice(cut),
      ],
      hangAfterChunks: Math.ceil(cut / 12),
      text: reply,
    },
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    env: lmEnv(server.url),
    columns: 90,
  });
  await pty.waitFor("❯");
  await pty.send(`why does parsing fail?${ENTER}`);
  const text = await pty.waitForScreen(
    (text) => text.includes("• the test suite never covers that case"),
    { what: "the first blocks of the answer" },
  );
  assert(text.includes("⏺ Findings"), text);
  assert(!text.includes("Fix"), "what was not written yet is not shown");
  await pty.send(ESC);
  await pty.waitFor("Interrupted");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive --repl python streams a SUBMIT triple-quoted literal while it is written, then shows the rest once", async () => {
  await using dir = await tempDir();
  const sections = Array.from(
    { length: 20 },
    (_, i) =>
      `Section ${
        String(i + 1).padStart(2, "0")
      }. The module's "loader" reads its configuration \\u2014 then checks each of the ${
        i + 3
      } rules in order, so an error names the rule it broke.`,
  );
  const reply = [
    "I have read every module; here is the report.",
    "",
    "```python",
    `SUBMIT(answer="""## Report\n\n${sections.join("\n\n")}\n""")`,
    "```",
    "",
  ].join("\n");
  const chunks = reply.match(/[\s\S]{1,10}/g)!;
  // The server stops half-way through the literal until the test resumes it.
  const pause = Math.floor(reply.indexOf("Section 12") / 10);
  const { promise: resume, resolve } = Promise.withResolvers<void>();
  await using server = await startLmServer(routeByModel([
    { chunks, pauseAfterChunks: pause, resume, text: reply },
  ]));
  await using pty = startPty(["--repl", "python"], {
    cwd: dir.path,
    env: lmEnv(server.url, { XDG_CACHE_HOME: TEST_CACHE_HOME }),
    columns: 100,
  });
  await pty.waitFor("❯");
  await pty.send(`report on the loader${ENTER}`);
  const partial = await pty.waitForScreen(
    (text) => text.includes("Section 10. The module's"),
    { what: "the first sections while the model is still writing" },
  );
  assert(partial.includes("⏺ Report"), partial);
  assert(partial.includes("configuration — then"), "escapes are decoded");
  assert(!partial.includes("Section 12"), "what was not written is not shown");
  resolve();
  // The cell runs in Pyodide; SUBMIT's answer completes what streamed.
  await pty.waitFor(/\d+ in · \d+ out/, { timeoutMs: 120_000 });
  const lines = pty.screen().lines;
  for (let n = 1; n <= 20; n++) {
    const tag = `Section ${String(n).padStart(2, "0")}.`;
    assertEquals(lines.filter((l) => l.includes(tag)).length, 1, tag);
  }
  assertEquals(lines.filter((l) => l.includes("Report")).length, 1);
  assert(!lines.some((l) => l.includes("differs from the draft")));
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive a turn longer than notify_after notifies when it ends; a shorter one does not", async () => {
  await using dir = await tempDir();
  await using home = await tempDir({
    ".config/nanocode/config.json": JSON.stringify({
      notify: "osc9",
      notify_after: 0,
    }),
  });
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('first done')"),
    cell("SUBMIT('second done')"),
  ]));
  {
    // From the user config: every turn counts as long.
    await using pty = startPty([], {
      cwd: dir.path,
      home: home.path,
      env: lmEnv(server.url),
    });
    await pty.waitFor("❯");
    await pty.send(`go${ENTER}`);
    await pty.waitFor("first done");
    await pty.waitForRaw("\x1b]9;nanocode finished the task\x07");
    await pty.send(`/q${ENTER}`);
    assertEquals(await pty.exit(), 0);
  }
  // The environment wins over the config: an hour is never reached here.
  await using pty = startPty([], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url, { NANOCODE_NOTIFY_AFTER: "3600" }),
  });
  await pty.waitFor("❯");
  await pty.send(`go${ENTER}`);
  const at = await pty.waitFor("second done");
  // What the turn's end writes comes before anything /status prints.
  await pty.send(`/status${ENTER}`);
  await pty.waitFor(/model\s+openai\/main-model/, { from: at });
  assert(!pty.output.includes("\x1b]9;nanocode finished the task"));
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});
