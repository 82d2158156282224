/**
 * A burst of text reaching a waiting approval prompt in one read (a paste
 * in a terminal without bracketed paste, a macro, keys mashed at once) is
 * not an answer: "2nd thought, no" must not pick option 2 and remember a
 * rule for the project; only a key pressed on its own answers.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { startPty } from "../helpers/pty.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

const ENTER = "\r";

Deno.test("hostile: a burst of text at a waiting approval prompt picks nothing", async () => {
  await using dir = await tempDir();
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("print(run_bash('touch ran'))"),
    cell("SUBMIT('done')"),
  ]));
  await using pty = startPty([], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url),
  });
  await pty.waitFor("❯");
  await pty.send(`make the file${ENTER}`);
  // The prompt takes keys once it says Enter picks.
  await pty.waitFor("Enter picks · Esc declines");
  const before = pty.output.length;
  await pty.send("2nd thought: y, or no");
  // Give the prompt every chance to act on the burst.
  await new Promise((r) => setTimeout(r, 1500));
  assertEquals(await exists(`${dir.path}/ran`), false);
  assertEquals(
    await exists(`${home.path}/.config/nanocode/approvals.json`),
    false,
  );
  assert(!pty.output.slice(before).includes("⎿"), "nothing was answered");
  // A key of its own still answers: Esc declines.
  await pty.send("\x1b");
  await pty.waitFor("done");
  assertEquals(await exists(`${dir.path}/ran`), false);
  await pty.send(`\x15/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
