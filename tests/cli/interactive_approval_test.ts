/**
 * The approval prompt on a real pty: numbered options with their scope,
 * "don't ask again" remembered for the project (and honoured by a new
 * session), "no, and tell nanocode what to do instead" reaching the model,
 * the red tag on destructive commands, the whole diff in a pager, all
 * edits for the session, the notification, and keys typed at the wrong
 * moment.
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

Deno.test("interactive approval: 'don't ask again for the command in this project' is remembered and honoured by a new session", async () => {
  await using dir = await tempDir();
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("print(run_bash('echo tests pass'))"),
    cell("SUBMIT('ran once')"),
    cell("print(run_bash('echo tests pass'))"),
    cell("SUBMIT('ran twice')"),
    cell("print(run_bash('echo tests pass; rm -rf nothing'))"),
    cell("SUBMIT('third')"),
  ]));
  const env = lmEnv(server.url);
  {
    await using pty = startPty([], { cwd: dir.path, home: home.path, env });
    await pty.waitFor("❯");
    await pty.send(`run the tests${ENTER}`);
    await pty.waitFor("Run this command?");
    await pty.waitFor(
      "2. Yes, and don't ask again for `echo tests pass` in this project",
    );
    await pty.send("2");
    await pty.waitFor("ran once");
    await pty.send(`/q${ENTER}`);
    assertEquals(await pty.exit(), 0);
  }
  const saved = JSON.parse(
    await Deno.readTextFile(`${home.path}/.config/nanocode/approvals.json`),
  );
  assertEquals(saved.projects[await Deno.realPath(dir.path)].allow, [
    "run_bash(echo tests pass)",
  ]);
  assertEquals(
    (await Deno.stat(`${home.path}/.config/nanocode/approvals.json`)).mode! &
      0o777,
    0o600,
  );
  await using pty = startPty([], { cwd: dir.path, home: home.path, env });
  await pty.waitFor("❯");
  await pty.send(`run them again${ENTER}`);
  const at = await pty.waitFor("ran twice");
  assert(
    !pty.screen().lines.join("\n").includes("Run this command?"),
    "the remembered command ran without asking",
  );
  // The rule covers that command only: a compound line still asks.
  await pty.send(`and once more${ENTER}`);
  await pty.waitFor("Run this command?", { from: at });
  await pty.waitFor("[destructive] rm -rf", { from: at });
  await pty.send("\x1b");
  await pty.waitFor("third", { from: at });
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive approval: 'no, and tell nanocode what to do instead' sends the text to the model as the observation", async () => {
  await using dir = await tempDir({ "a.txt": "one\n" });
  await using server = await startLmServer(routeByModel([
    cell("read_file('a.txt')\nprint(write_file('a.txt', 'two\\n'))"),
    cell("SUBMIT('understood')"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`change a${ENTER}`);
  await pty.waitFor("3. No, and tell nanocode what to do instead");
  await pty.send("3");
  await pty.waitFor("Tell nanocode what to do instead");
  await pty.send(`write b.txt instead${ENTER}`);
  await pty.waitFor("understood");
  assertEquals(await dir.read("a.txt"), "one\n");
  const second = requestsOf(server.requests, MAIN_MODEL)[1];
  const observation = messagesOf(second).at(-1)!.content;
  assert(
    observation.includes("write b.txt instead") &&
      observation.includes("declined"),
    observation,
  );
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive approval: the whole diff pages, and 'yes to all edits this session' stops asking for edits", async () => {
  const long = Array.from({ length: 120 }, (_, i) => `line ${i + 1}`).join(
    "\n",
  );
  await using dir = await tempDir({ "big.txt": `${long}\n` });
  await using server = await startLmServer(routeByModel([
    cell(
      "print(write_file('big.txt', read_file('big.txt').split('\\n').map((l) => l.replace(/^\\s*\\d+\\| /, '').toUpperCase()).join('\\n')))",
    ),
    cell("print(write_file('small.txt', 'x\\n'))"),
    cell("SUBMIT('edited both')"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    env: lmEnv(server.url),
    rows: 30,
  });
  await pty.waitFor("❯");
  await pty.send(`shout${ENTER}`);
  await pty.waitFor("press d to page through the whole diff");
  await pty.send("d");
  // The pager (alternate screen) pages to the end of the diff.
  await pty.send("G");
  await pty.waitFor("+LINE 120");
  await pty.send("q");
  await pty.waitFor("2. Yes to all edits this session");
  await pty.send("2");
  await pty.waitFor("edited both");
  // The footer is redrawn with the prompt once the turn has ended.
  const screen = await pty.waitForScreen(
    (text) => text.includes("⏵⏵ auto-edit"),
    {
      what: "the footer showing auto-edit",
    },
  );
  assert(!screen.includes("Make this change to small.txt?"), "no second ask");
  assertEquals(await dir.read("small.txt"), "x\n");
  assertEquals((await dir.read("big.txt")).split("\n")[119], "LINE 120");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive approval: destructive commands carry a red tag, and a waiting prompt notifies (OSC 9 when set)", async () => {
  await using dir = await tempDir({ "build/out.js": "x" });
  await using server = await startLmServer(routeByModel([
    cell("print(run_bash('git push --force origin main'))"),
    cell("SUBMIT('stopped')"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    env: lmEnv(server.url, { NANOCODE_NOTIFY: "osc9" }),
  });
  await pty.waitFor("❯");
  await pty.send(`push it${ENTER}`);
  await pty.waitFor("[destructive] git push --force");
  assert(
    pty.output.includes("\x1b[31m\x1b[1m[destructive] git push --force"),
    "the tag is red",
  );
  // OSC 9 is not screen text: look for it in what the terminal received.
  await pty.waitForRaw("\x1b]9;nanocode wants to run git push --force");
  await pty.send("\x1b");
  await pty.waitFor("stopped");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("hostile: keys typed while a prompt appears mid-typing do not answer it", async () => {
  await using dir = await tempDir({ "a.txt": "keep\n" });
  await using server = await startLmServer(routeByModel([
    {
      ...cell("read_file('a.txt')\nprint(write_file('a.txt', 'gone\\n'))"),
      delayMs: 300,
    },
    cell("SUBMIT('done')"),
    // The messages typed meanwhile were queued; they run as turns after.
    ...Array.from({ length: 12 }, () => cell("SUBMIT('ok')")),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send(`edit a${ENTER}`);
  // The user goes on typing a message — with y, 1 and Enter in it — while
  // the prompt appears.
  const keys = "yes 1 do it\r y1\r yy\r 11\r".split("");
  let typed = 0;
  let shown = -1;
  while (typed < keys.length || shown < 0) {
    if (typed > 600) throw new Error("the approval prompt never appeared");
    await pty.send(keys[typed % keys.length]);
    typed++;
    if (shown < 0 && pty.output.includes("Make this change to a.txt?")) {
      shown = typed;
    }
    if (shown >= 0 && typed - shown > 15) break;
    await new Promise((r) => setTimeout(r, 30));
  }
  await new Promise((r) => setTimeout(r, 300));
  assertEquals(await dir.read("a.txt"), "keep\n");
  // Once the typing stops, the prompt takes keys: Esc declines.
  await new Promise((r) => setTimeout(r, 800));
  await pty.send("\x1b");
  await pty.waitFor("done");
  assertEquals(await dir.read("a.txt"), "keep\n");
  await pty.send(`\x15/q${ENTER}`);
  await pty.exit();
});
