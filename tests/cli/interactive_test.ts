import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { plain, startPty } from "../helpers/pty.ts";
import {
  cell,
  MAIN_MODEL,
  requestsOf,
  routeByModel,
  taskMessage,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

const ENTER = "\r";

Deno.test("interactive session shows the original's look, tool calls, streamed reasoning and a rendered answer", async () => {
  await using dir = await tempDir({ "notes.txt": "hello world\n" });
  await using server = await startLmServer(routeByModel([
    {
      text:
        "Let me find the notes.\nThen change them.\n\n```js\nprint(glob_files('*.txt'))\n```",
    },
    cell("print(edit_file('notes.txt', 'hello', 'goodbye'))"),
    cell("print(run_bash('echo one; echo two; echo three'))"),
    cell(
      "SUBMIT('## Summary\\n\\nI changed **notes.txt**:\\n- replaced `hello`\\n- checked it')",
    ),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    env: lmEnv(server.url),
    columns: 90,
  });
  await pty.waitFor("❯");
  assertStringIncludes(pty.output, "\x1b[1m\x1b[34m❯ ");
  // The prompt is up before the program has loaded; the banner follows.
  await pty.waitFor("─".repeat(90));
  assertStringIncludes(plain(pty.output), `nanocode v`);
  await pty.send(`change the notes${ENTER}`);
  // In the default "ask" mode the edit and the command ask first; Enter
  // takes the highlighted default, Yes.
  const editAsk = await pty.waitFor("edit_file wants to change:");
  await pty.waitFor("❯ 1. Yes", { from: editAsk });
  const prompt = plain(pty.output).slice(editAsk);
  assertStringIncludes(prompt, "│ notes.txt");
  assertStringIncludes(prompt, "-hello world");
  assertStringIncludes(prompt, "+goodbye world");
  assertStringIncludes(prompt, "(writes ask in ask mode)");
  assertStringIncludes(prompt, "Make this change to notes.txt?");
  assertStringIncludes(prompt, "2. Yes to all edits this session");
  assertStringIncludes(prompt, "3. No, and tell nanocode what to do instead");
  await pty.send(ENTER);
  const bashAsk = await pty.waitFor("run_bash wants to run:", {
    from: editAsk,
  });
  await pty.waitFor("│ echo one; echo two; echo three", { from: bashAsk });
  await pty.waitFor("❯ 1. Yes", { from: bashAsk });
  await pty.send("1");
  await pty.waitFor(/\d+ in · \d+ out · [\d.]+ s/);
  const screen = pty.screen().lines.join("\n");
  const start = screen.indexOf("Summary");
  assert(start > 0, "the answer shows");
  assertStringIncludes(screen, "⏺ Thinking...");
  assertStringIncludes(pty.output, "\x1b[36m⏺ Thinking...\x1b[39m");
  assertStringIncludes(screen, "Let me find the notes.\nThen change them.");
  assertStringIncludes(pty.output, "\x1b[2mLet me find the notes.");
  assertStringIncludes(screen, "⏺ Glob(*.txt)");
  assertStringIncludes(screen, "⏺ Edit(notes.txt)");
  assertStringIncludes(screen, "⎿ Added 1 line, removed 1 line");
  assertStringIncludes(screen, "    -hello world");
  assertStringIncludes(screen, "    +goodbye world");
  assertStringIncludes(screen, "⏺ Bash(echo one; echo two; echo three)");
  assertStringIncludes(screen, "  │ three");
  assertStringIncludes(pty.output, "\x1b[1mnotes.txt\x1b[22m");
  assertStringIncludes(screen.slice(start), "• replaced hello");
  assertEquals(await dir.read("notes.txt"), "goodbye world\n");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive /c clears the conversation and the REPL state", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("const remembered = 'yes'\nSUBMIT('first answer')"),
    cell("SUBMIT(`${history.length} ${typeof remembered}`)"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`first${ENTER}`);
  await pty.waitFor("first answer");
  await pty.send(`/c${ENTER}`);
  const at = await pty.waitFor("Cleared conversation");
  await pty.send(`second${ENTER}`);
  await pty.waitFor("0 undefined", { from: at });
  const second = taskMessage(server.requests, 1);
  assert(
    !second.includes("first answer"),
    "the cleared turn is not in the prompt",
  );
  await pty.send("\x04");
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive Ctrl-C stops a running turn and the next turn keeps the history", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('remember the word: kiwi')"),
    cell("print('spinning')\nwhile (true) {}"),
    cell("SUBMIT(history.map((t) => t.answer).join(' | '))"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`first${ENTER}`);
  await pty.waitFor("kiwi");
  await pty.send(`spin${ENTER}`);
  while (requestsOf(server.requests, MAIN_MODEL).length < 2) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 300));
  const sent = performance.now();
  await pty.send("\x03");
  const at = await pty.waitFor("Interrupted");
  const took = performance.now() - sent;
  assert(took < 5000, `interrupt took ${took} ms`);
  await pty.send(`what did I say?${ENTER}`);
  await pty.waitFor("remember the word: kiwi", { from: at });
  // Ctrl-C twice at an empty prompt quits.
  await pty.send("\x03");
  await pty.waitFor("press Ctrl-C again to exit");
  await pty.send("\x03");
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive slash commands: /help, /model, /verbose, /usage, /resume and unknown ones", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer((request) => ({
    text: "```js\nSUBMIT('answered by ' + " +
      JSON.stringify(request.body.model) + ")\n```",
  }), { models: [MAIN_MODEL, "sub-model", "other-model"] });
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`/help${ENTER}`);
  await pty.waitFor("/model [NAME]");
  await pty.send(`/frobnicate${ENTER}`);
  await pty.waitFor("Unknown command /frobnicate; type /help for the list.");
  await pty.send(`/model${ENTER}`);
  await pty.waitFor(`Model: openai/${MAIN_MODEL}`);
  await pty.send(`/model openai/other-model${ENTER}`);
  await pty.waitFor("Model: openai/other-model");
  await pty.send(`/verbose${ENTER}`);
  await pty.waitFor("Verbose output on");
  await pty.send(`hi${ENTER}`);
  const at = await pty.waitFor("answered by other-model");
  assertStringIncludes(plain(pty.output), "⏺ [CODE]");
  await pty.send(`/usage${ENTER}`);
  await pty.waitFor(/1 turn · \d+ in/, { from: at });
  await pty.send(`/resume${ENTER}`);
  await pty.waitFor("No other sessions in this folder.");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive input has line editing and history on the arrow keys", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('got: ' + task)"),
    cell("SUBMIT('got: ' + task)"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`helo wrld\x1b[D\x1b[D\x1b[Do${ENTER}`);
  const at = await pty.waitFor("got: helo world");
  // Up arrow brings the last entry back; edit it and send again.
  await pty.send(`\x1b[A\x7f\x7f\x7f\x7f\x7fthere${ENTER}`);
  await pty.waitFor("got: helo there", { from: at });
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive output is plain with NO_COLOR or TERM=dumb", async () => {
  for (
    const env of [{ NO_COLOR: "1" }, { TERM: "dumb" }] as Record<
      string,
      string
    >[]
  ) {
    await using dir = await tempDir();
    await using server = await startLmServer(
      routeByModel([cell("SUBMIT('**plain** answer')")]),
    );
    await using pty = startPty([], {
      cwd: dir.path,
      env: { ...lmEnv(server.url), ...env },
    });
    await pty.waitFor("❯");
    await pty.send(`hi${ENTER}`);
    await pty.waitFor("plain answer");
    await pty.send(`/q${ENTER}`);
    await pty.exit();
    assert(
      // deno-lint-ignore no-control-regex
      !/\x1b\[[0-9;]*m/.test(pty.output),
      `SGR codes with ${JSON.stringify(env)}`,
    );
  }
});

Deno.test("interactive /undo puts back the files the last turn changed, and /mode switches the permission mode", async () => {
  await using dir = await tempDir({ "keep.txt": "original\n" });
  // A home folder of its own: snapshots are off when the workspace is the home folder.
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell(
      "read_file('keep.txt')\nprint(write_file('keep.txt', 'overwritten\\n'))\nprint(write_file('new.txt', 'new\\n'))",
    ),
    cell("SUBMIT('changed two files')"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url),
  });
  await pty.waitFor("❯");
  await pty.send(`/mode auto-edit${ENTER}`);
  const modeAt = await pty.waitFor("Permission mode: auto-edit");
  await pty.waitFor("❯", { from: modeAt });
  await pty.send(`change things${ENTER}`);
  const at = await pty.waitFor("changed two files");
  assertEquals(await dir.read("keep.txt"), "overwritten\n");
  await pty.send(`/undo${ENTER}`);
  const asked = await pty.waitFor("❯ 1. Yes", { from: at });
  await pty.send("y");
  await pty.waitFor(
    "Undid the changes of turn 1: 1 restored (keep.txt), 1 removed (new.txt)",
    { from: asked },
  );
  assertEquals(await dir.read("keep.txt"), "original\n");
  await pty.send(`/undo${ENTER}`);
  await pty.waitFor("Nothing to undo", { from: at });
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});
