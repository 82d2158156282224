/**
 * Session habits on a real pty: the resume picker and its replay, the
 * session id and resume command on exit, plan mode (Shift-Tab) refusing
 * writes, `/model` listing and refusing, `/compact`, `/init`, `/diff` and
 * Ctrl-O.
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

const ENTER = "\r";

Deno.test("interactive session id and resume command on exit; --resume picks a session and replays its last turns", async () => {
  await using dir = await tempDir();
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('The **capital** of France is Paris.')"),
    cell("SUBMIT('And of Italy, Rome.')"),
    cell("SUBMIT(history.map((t) => t.user).join(' + '))"),
    cell("SUBMIT('turns: ' + history.length)"),
  ]));
  const env = lmEnv(server.url);
  let id = "";
  {
    await using pty = startPty([], { cwd: dir.path, home: home.path, env });
    await pty.waitFor("❯");
    await pty.send(`capital of France?${ENTER}`);
    await pty.waitFor("Paris");
    await pty.send(`and Italy?${ENTER}`);
    await pty.waitFor("Rome");
    await pty.send(`/q${ENTER}`);
    assertEquals(await pty.exit(), 0);
    const match = /Session (\S+) · resume it with: nanocode --resume (\S+)/
      .exec(pty.screen().lines.join("\n"));
    assert(match && match[1] === match[2], "the exit line names the session");
    id = match[1];
  }
  await using pty = startPty(["--resume"], {
    cwd: dir.path,
    home: home.path,
    env,
  });
  await pty.waitFor("Resume a session of this folder:");
  await pty.waitFor("capital of France?");
  await pty.send(ENTER);
  const text = await pty.waitForScreen(
    (text) => text.includes(`Resumed session ${id} (2 turns`),
    { what: "the resumed session" },
  );
  const replay = text.slice(text.indexOf("── Resumed session"));
  assert(replay.includes("❯ capital of France?"), replay);
  assert(replay.includes("⏺ The capital of France is Paris."), replay);
  assert(replay.includes("❯ and Italy?"), replay);
  await pty.send(`which ones?${ENTER}`);
  await pty.waitFor("capital of France? + and Italy?");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
  // /resume in a fresh session is the same picker, and replays too.
  await using fresh = startPty([], { cwd: dir.path, home: home.path, env });
  await fresh.waitFor("❯");
  await fresh.send(`/resume${ENTER}`);
  await fresh.waitFor("Resume a session of this folder:");
  await fresh.send(ENTER);
  const resumed = await fresh.waitForScreen(
    (text) => text.includes(`Resumed session ${id} (3 turns`),
    { what: "the session resumed by /resume" },
  );
  assert(resumed.includes("❯ which ones?"), resumed);
  await fresh.send(`how many?${ENTER}`);
  await fresh.waitFor("turns: 3");
  await fresh.send(`/q${ENTER}`);
  assertEquals(await fresh.exit(), 0);
});

Deno.test("interactive plan mode (Shift-Tab) is read-only: a write is refused and the model is told to plan", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell(
      "try { write_file('plan.txt', 'x') } catch (e) { print(e.message) }\nprint(run_bash('touch made.txt'))",
    ),
    cell("SUBMIT('1. change a\\n2. test')"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send("\x1b[Z");
  await pty.waitForScreen((text) => text.includes("⏵⏵ auto-edit (shift-tab)"));
  await pty.send("\x1b[Z");
  await pty.waitForScreen((text) => text.includes("⏸ plan mode (read-only)"));
  await pty.send(`make a plan${ENTER}`);
  await pty.waitFor("1. change a");
  const [first, second] = requestsOf(server.requests, MAIN_MODEL);
  assert(messagesOf(first)[1].content.includes("Plan mode is on"));
  const observation = messagesOf(second).at(-1)!.content;
  assert(observation.includes("plan mode is read-only"), observation);
  await assertMissing(`${dir.path}/plan.txt`);
  await assertMissing(`${dir.path}/made.txt`);
  await pty.send("\x1b[Z");
  await pty.waitForScreen((text) =>
    text.includes("⏵ ask before changes (shift-tab)")
  );
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

async function assertMissing(path: string): Promise<void> {
  try {
    await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  throw new Error(`${path} exists`);
}

Deno.test("interactive /model lists the server's models and refuses an unknown name", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(
    routeByModel([cell("SUBMIT('by ' + 'other')")]),
    { models: [MAIN_MODEL, "other-model", "sub-model"] },
  );
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`/model${ENTER}`);
  await pty.waitFor("3 models on");
  await pty.waitFor("other-model");
  await pty.send(`/model othr-model${ENTER}`);
  await pty.waitFor("Unknown model othr-model");
  await pty.waitFor("did you mean other-model");
  await pty.send(`/status${ENTER}`);
  await pty.waitFor(/model\s+openai\/main-model/);
  await pty.send(`/model other-model${ENTER}`);
  await pty.waitFor("Model: openai/other-model");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive /compact summarises earlier turns into history, /init drafts AGENTS.md, /diff shows the session's changes, Ctrl-O the last step", async () => {
  await using dir = await tempDir({ "a.txt": "alpha\nbeta\n" });
  await using server = await startLmServer(routeByModel([
    cell("print(edit_file('a.txt', 'beta', 'gamma'))\nprint('full output')"),
    cell("SUBMIT('edited')"),
    { text: "Summary: the user had a.txt edited (beta became gamma)." },
    cell("SUBMIT(history.length + ': ' + history[0].answer)"),
    cell("print(write_file('AGENTS.md', '# Agents\\n'))\nSUBMIT('drafted')"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    env: lmEnv(server.url, { NANOCODE_PERMISSION_MODE: "auto-edit" }),
  });
  await pty.waitFor("❯");
  await pty.send(`edit it${ENTER}`);
  await pty.waitFor("edited");
  await pty.send("\x0f");
  await pty.waitFor("The turn in full");
  await pty.waitFor("── Code ──");
  await pty.waitFor("full output");
  await pty.send("q");
  await pty.send(`/diff${ENTER}`);
  await pty.waitFor("── a.txt ──");
  await pty.waitFor("+gamma");
  await pty.send(`/compact${ENTER}`);
  await pty.waitFor("Compacted 1 turn into a summary");
  const compaction = requestsOf(server.requests, MAIN_MODEL)[2];
  assert(messagesOf(compaction)[1].content.includes("edit it"));
  await pty.send(`what happened?${ENTER}`);
  await pty.waitFor("1: Summary: the user had a.txt edited");
  await pty.send(`/init${ENTER}`);
  await pty.waitFor("drafted");
  assertEquals(await dir.read("AGENTS.md"), "# Agents\n");
  const init = requestsOf(server.requests, MAIN_MODEL)[4];
  assert(messagesOf(init)[1].content.includes("Draft an AGENTS.md"));
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});
