/**
 * Input habits on a real pty: `@` completion over the workspace's files
 * (the mention noted for the model), the `/` menu with Tab, `!cmd` through
 * the policy and into the conversation, history kept per project with
 * Ctrl-R search, a large paste collapsed and sent whole, and newlines with
 * backslash-Enter and Shift-Enter.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { startPty } from "../helpers/pty.ts";
import { cell, routeByModel, taskMessage } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

const ENTER = "\r";

Deno.test("interactive @ completes workspace files fuzzily and the mention is noted for the model", async () => {
  await using dir = await tempDir({
    "src/components/button.tsx": "export const Button = 1;\n",
    "src/components/banner.tsx": "x\n",
    "docs/guide.md": "# guide\n",
  });
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('seen')"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send("look at @bttn");
  await pty.waitForScreen(
    (text) => text.includes("❯ @src/components/button.tsx"),
    {
      what: "the completion menu",
    },
  );
  await pty.send("\t");
  await pty.waitForScreen((_, s) =>
    s.cursorLine.startsWith("❯ look at @src/components/button.tsx")
  );
  await pty.send(ENTER);
  await pty.waitFor("seen");
  const first = taskMessage(server.requests, 0);
  assert(first.includes("look at @src/components/button.tsx"), first);
  assert(first.includes("src/components/button.tsx (1 line)"), first);
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive / shows the command menu and Tab completes it", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer([]);
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send("/sta");
  await pty.waitForScreen((text) => text.includes("❯ /status"));
  await pty.send("\t");
  await pty.waitForScreen((_, s) => s.cursorLine.startsWith("❯ /status"));
  await pty.send(ENTER);
  await pty.waitFor(/model\s+openai\/main-model/);
  await pty.waitFor(/context\s+no request yet/);
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive !cmd runs through the policy and its output joins the conversation", async () => {
  await using dir = await tempDir({ "keep.txt": "k\n" });
  await using home = await tempDir({
    ".config/nanocode/config.json": JSON.stringify({
      permissions: { deny: ["run_bash(rm *)"] },
    }),
  });
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT(history.map((t) => t.user + ' => ' + t.answer).join(' | '))"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url),
  });
  await pty.waitFor("❯");
  await pty.send(`!echo hello-from-the-shell${ENTER}`);
  await pty.waitFor("│ hello-from-the-shell");
  await pty.send(`!rm keep.txt${ENTER}`);
  await pty.waitFor("Not run: denied by rule run_bash(rm *)");
  assertEquals(await dir.read("keep.txt"), "k\n");
  await pty.send(`what did I run?${ENTER}`);
  await pty.waitFor("!echo hello-from-the-shell =>");
  assert(taskMessage(server.requests, 0).includes("hello-from-the-shell"));
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive history is kept per project across sessions and Ctrl-R searches it", async () => {
  await using dir = await tempDir();
  await using other = await tempDir();
  await using home = await tempDir();
  await using server = await startLmServer(
    routeByModel(
      Array.from({ length: 4 }, () => cell("SUBMIT('got: ' + task)")),
    ),
  );
  const env = lmEnv(server.url);
  {
    await using pty = startPty([], { cwd: dir.path, home: home.path, env });
    await pty.waitFor("❯");
    await pty.send(`rename the flux capacitor${ENTER}`);
    await pty.waitFor("got: rename");
    await pty.send(`fix the tests${ENTER}`);
    await pty.waitFor("got: fix");
    await pty.send(`/q${ENTER}`);
    await pty.exit();
  }
  {
    // Another project has its own history.
    await using pty = startPty([], { cwd: other.path, home: home.path, env });
    await pty.waitFor("❯");
    await pty.send("\x12flux");
    await pty.waitForScreen((text) => text.includes("(no match)"));
    await pty.send("\x1b");
    await pty.waitForScreen((text) => !text.includes("search history:"));
    await pty.send(`/q${ENTER}`);
    await pty.exit();
  }
  await using pty = startPty([], { cwd: dir.path, home: home.path, env });
  await pty.waitFor("❯");
  await pty.send("\x12flux");
  await pty.waitForScreen((_, s) =>
    s.cursorLine.startsWith("❯ rename the flux capacitor")
  );
  await pty.send(ENTER);
  await pty.send(ENTER);
  await pty.waitFor("got: rename the flux capacitor");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive large paste collapses to a placeholder and is sent whole; backslash-Enter and Shift-Enter add newlines", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('lines: ' + task.split('\\n').length)"),
    cell("SUBMIT(JSON.stringify(task))"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  const pasted = Array.from({ length: 400 }, (_, i) => `row ${i}`).join("\n");
  await pty.send(`summarise \x1b[200~${pasted}\x1b[201~`);
  await pty.waitForScreen((_, s) =>
    s.cursorLine.startsWith("❯ summarise [pasted 400 lines]")
  );
  await pty.send(ENTER);
  await pty.waitFor("lines: 400");
  assert(taskMessage(server.requests, 0).includes("row 399"));
  await pty.send(`first\\${ENTER}second\x1b[13;2uthird${ENTER}`);
  await pty.waitFor('"first\\nsecond\\nthird"');
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});
