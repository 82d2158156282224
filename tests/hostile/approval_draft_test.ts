/**
 * A user typing the next message during a turn, when an approval prompt
 * appears: the Enter they press to send that message must not answer
 * "Yes" to a prompt they never read, however long they paused before it.
 * The draft stays in the input and is sent after the turn; a key of its
 * own (1, y, n, Esc) still answers.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { plain, startPty } from "../helpers/pty.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

const ENTER = "\r";

/** A cell that waits until the test creates `go`, then asks to write. */
const GATED_WRITE = [
  "read_file('a.txt')",
  "for (let i = 0; i < 1200 && glob_files('go').length === 0; i++) {",
  "  await new Promise((r) => setTimeout(r, 50));",
  "}",
  "print(write_file('a.txt', 'changed\\n'))",
].join("\n");

Deno.test("hostile: Enter pressed to send a half-typed message does not answer an approval that appeared meanwhile", async () => {
  await using dir = await tempDir({ "a.txt": "keep\n" });
  await using server = await startLmServer(routeByModel([
    cell(GATED_WRITE),
    cell("SUBMIT('first done')"),
    cell("SUBMIT('second: ' + task)"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`edit a${ENTER}`);
  await pty.waitFor("esc to interrupt");
  // The user types the next message while the turn works ...
  await pty.send("also update the docs");
  await pty.waitFor("also update the docs");
  // ... the cell asks to write while the message is still unsent ...
  await Deno.writeTextFile(`${dir.path}/go`, "");
  const at = await pty.waitFor("Make this change to a.txt?");
  // ... the prompt takes keys once the typing paused ...
  await pty.waitFor(/Enter picks|Enter does not answer/, { from: at });
  // ... and the user presses Enter to send the message.
  await pty.send(ENTER);
  // Esc (a key of its own, pressed after reading) declines.
  await pty.send("\x1b");
  const done = await pty.waitFor("first done", { from: at });
  assertEquals(await dir.read("a.txt"), "keep\n");
  const answers = plain(pty.output).slice(at, done);
  assert(answers.includes("⎿ No"), answers);
  assert(!answers.includes("⎿ Yes"), answers);
  // The draft is still in the input: Enter now sends it as the next turn.
  await pty.waitForScreen((text) => text.includes("❯ also update the docs"), {
    what: "the draft back in the input",
  });
  await pty.send(ENTER);
  await pty.waitFor("second: also update the docs", { from: done });
  const third = requestsOf(server.requests, MAIN_MODEL)[2];
  assert(
    messagesOf(third).some((m) => m.content.includes("also update the docs")),
    "the draft reached the model whole",
  );
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("hostile: with a draft in the input, 1 or y still answers the approval and the draft is kept", async () => {
  await using dir = await tempDir({ "a.txt": "keep\n" });
  await using server = await startLmServer(routeByModel([
    cell(GATED_WRITE),
    cell("SUBMIT('first done')"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`edit a${ENTER}`);
  await pty.waitFor("esc to interrupt");
  await pty.send("next message");
  await pty.waitFor("next message");
  await Deno.writeTextFile(`${dir.path}/go`, "");
  const at = await pty.waitFor("Make this change to a.txt?");
  await pty.waitFor("press 1 or y for Yes", { from: at });
  await pty.send("y");
  await pty.waitFor("first done", { from: at });
  assertEquals(await dir.read("a.txt"), "changed\n");
  await pty.waitForScreen((text) => text.includes("❯ next message"), {
    what: "the draft back in the input",
  });
  await pty.send(`\x15/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});
