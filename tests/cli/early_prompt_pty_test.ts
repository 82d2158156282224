/**
 * The prompt at launch, on a real pty: it is drawn before the program has
 * loaded and stays on screen through Deno's module loading, keys typed at
 * it reach the session, and a folder that may ask whether it is trusted
 * gets no early prompt (keys typed early must never answer that question).
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { baseEnv, lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { nanocodeCommand, plain, startPty } from "../helpers/pty.ts";
import { Screen } from "../helpers/screen.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
  taskMessage,
} from "../helpers/script.ts";
import { startupGate } from "../helpers/startup_gate.ts";
import { tempDir } from "../helpers/temp.ts";
import { InputHistory } from "../../src/cli/input_history.ts";

/** What the early prompt writes when the session takes the keyboard over. */
const TAKEOVER = "\r\x1b[2K\x1b[A\r\x1b[J\x1b[?25h";

Deno.test("launch: the prompt is up before the program loads, stays through loading, and keys typed at it are sent", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('got it')"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send("hel");
  const banner = await pty.waitFor("Type a task");
  const text = plain(pty.output);
  assert(
    text.indexOf("❯") < text.indexOf("nanocode v"),
    "the prompt comes before the banner",
  );
  // The screen just before the session took over: the prompt is still
  // there, whatever Deno wrote while it loaded the program.
  const handover = pty.output.indexOf(TAKEOVER);
  assert(handover > 0, "the session took the keyboard over");
  const before = new Screen(100);
  before.feed(pty.output.slice(0, handover));
  assert(
    before.lines.some((line) => line.startsWith("❯")),
    `prompt gone before the session drew its own:\n${before.lines.join("\n")}`,
  );
  // What was typed early is in the session's input line, and is sent.
  await pty.waitForScreen((_, s) => s.cursorLine.startsWith("❯ hel"), {
    what: "the early keys in the input line",
  });
  await pty.send("lo\r");
  await pty.waitFor("got it", { from: banner });
  const first = taskMessage(server.requests);
  assert(first.includes("hello"), first);
  await pty.send("/q\r");
  assertEquals(await pty.exit(), 0);
});

Deno.test("launch: a folder with a project config gets its prompt only after start-up", async () => {
  const cases: Record<string, string>[] = [
    { ".nanocode/config.json": JSON.stringify({ verbose: false }) },
    { ".mcp.json": JSON.stringify({ mcpServers: {} }) },
  ];
  for (const files of cases) {
    await using dir = await tempDir(files);
    await using server = await startLmServer([]);
    await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
    await pty.waitFor("❯");
    const text = plain(pty.output);
    assert(
      text.includes("nanocode v") &&
        text.indexOf("nanocode v") < text.indexOf("❯"),
      `${Object.keys(files)[0]}: the banner comes first:\n${text}`,
    );
    assert(!pty.output.includes(TAKEOVER), "no early prompt was drawn");
    await pty.send("/q\r");
    assertEquals(await pty.exit(), 0);
  }
});

/** Whether the terminal's cursor is visible after `output` (it starts visible). */
function cursorShown(output: string): boolean {
  return output.lastIndexOf("\x1b[?25h") >= output.lastIndexOf("\x1b[?25l");
}

Deno.test("launch: Ctrl-Z while the program loads gives the shell its cursor, and fg brings the prompt and raw keys back", async () => {
  await using dir = await tempDir();
  await using home = await tempDir();
  await using gate = await startupGate(home.path);
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('got it')"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url),
    shell: true,
  });
  await pty.waitFor("$ ");
  await pty.send(`${nanocodeCommand()}\r`);
  await pty.waitForRaw("\x1b[?25l");
  await pty.send("hel");
  await pty.waitForScreen((text) => text.includes("❯ hel"), {
    what: "the early echo",
  });
  await pty.send("\x1a");
  const stopped = await pty.waitFor(/Stopped/);
  assert(cursorShown(pty.output), "the shell's cursor is hidden after Ctrl-Z");
  await pty.send("fg\r");
  // Back in the foreground, still loading: the prompt is drawn again and
  // keys are raw, echoed in it (cooked mode would echo them on a line of
  // their own and hold them until Enter).
  await pty.waitFor("❯ hel", { from: stopped });
  await pty.send("lo");
  await pty.waitForScreen((_, s) => s.lines[s.row - 1].startsWith("❯ hello"), {
    what: "keys typed after fg echoed in the prompt",
  });
  await gate.open();
  const banner = await pty.waitFor("Type a task");
  await pty.waitForScreen((_, s) => s.cursorLine.startsWith("❯ hello"), {
    what: "the early keys in the input line",
  });
  await pty.send("\r");
  await pty.waitFor("got it", { from: banner });
  const first = taskMessage(server.requests);
  assert(first.includes("hello"), first);
  await pty.send("/q\r");
  await pty.waitFor(/\$ $/, { from: banner });
  await pty.send("exit\r");
  await pty.exit();
});

Deno.test("launch: a task typed and sent while the program loads goes out once, after the banner", async () => {
  await using dir = await tempDir();
  await using home = await tempDir();
  await using gate = await startupGate(home.path);
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('got it')"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url),
  });
  await pty.waitForRaw("\x1b[?25l");
  await pty.send("hello\r");
  await pty.send("\x1b[200~two\rlines\x1b[201~");
  await pty.waitForScreen((text) => text.includes("❯ hello"), {
    what: "the early echo",
  });
  await gate.open();
  const banner = await pty.waitFor("Type a task");
  await pty.waitFor("got it", { from: banner });
  // The paste waits in the input line, whole, its newline kept (shown ⏎).
  await pty.waitForScreen((text) => text.includes("\n❯ two⏎lines\n"), {
    what: "the paste in the input line",
  });
  const sent = requestsOf(server.requests, MAIN_MODEL);
  assertEquals(sent.length, 1);
  assert(String(messagesOf(sent[0])[1].content).includes('"hello"'));
  const text = plain(pty.output);
  assert(text.lastIndexOf("❯ hello") > text.indexOf("nanocode v"));
  await pty.send("\x15\x15/q\r");
  assertEquals(await pty.exit(), 0);
});

Deno.test("launch: an error after the early prompt leaves the terminal cooked, the cursor shown and the message on a clean line", async () => {
  await using dir = await tempDir();
  await using home = await tempDir();
  await using gate = await startupGate(home.path);
  await using pty = startPty([], {
    cwd: dir.path,
    home: home.path,
    shell: true,
  });
  await pty.waitFor("$ ");
  await pty.send(`${nanocodeCommand()}\r`);
  await pty.waitForRaw("\x1b[?25l");
  await pty.send("hel");
  await pty.waitForScreen((text) => text.includes("❯ hel"), {
    what: "the early echo",
  });
  await gate.open("{not json");
  const error = await pty.waitFor(
    /^nanocode: Config file .* is not valid JSON/m,
  );
  assert(cursorShown(pty.output), "the cursor is hidden");
  assert(
    !pty.screen().lines.some((line) => line.includes("❯")),
    "the early prompt is left on screen",
  );
  await pty.waitFor(/\$ $/, { from: error });
  await pty.send(
    "stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo MODE\r",
  );
  await pty.waitFor("icanon echo MODE", { from: error });
  await pty.send("exit\r");
  await pty.exit();
});

Deno.test("launch: Up and Ctrl-R typed while the program loads find the project's history", async () => {
  await using dir = await tempDir();
  await using home = await tempDir();
  const env = baseEnv(home.path);
  const history = InputHistory.of((name) => env[name], dir.path);
  history.add("rename the flux capacitor");
  history.add("fix the tests");
  for (
    const [keys, line] of [["\x1b[A", "fix the tests"], [
      "\x12flux",
      "rename the flux capacitor",
    ]]
  ) {
    await using gate = await startupGate(home.path);
    await using server = await startLmServer(routeByModel([
      cell("SUBMIT('got: ' + task)"),
    ]));
    await using pty = startPty([], {
      cwd: dir.path,
      home: home.path,
      env: lmEnv(server.url),
    });
    await pty.waitForRaw("\x1b[?25l");
    await pty.send(keys);
    await gate.open();
    await pty.waitFor("Type a task");
    await pty.waitForScreen((_, s) => s.cursorLine.startsWith(`❯ ${line}`), {
      what: `${JSON.stringify(keys)} bringing back "${line}"`,
    });
    if (keys.startsWith("\x12")) {
      await pty.send("\r"); // takes the match
      await pty.waitForScreen((text) => !text.includes("search history:"));
    }
    await pty.send("\r");
    await pty.waitFor(`got: ${line}`);
    await pty.send("/q\r");
    assertEquals(await pty.exit(), 0);
  }
});
