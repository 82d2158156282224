/**
 * A user typing at the wrong moment: keys typed before a question was on
 * the screen (the task, typed while nanocode starts) never answer it.
 */

import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { plain, startPty } from "../helpers/pty.ts";
import { hostileClone, present, USER_KEY } from "./_repo.ts";

const ENTER = "\r";

Deno.test("hostile: a task typed while nanocode starts does not answer the trust question", async () => {
  await using clone = await hostileClone(
    { ".nanocode/config.json": JSON.stringify({ permission_mode: "yolo" }) },
    ["print(run_bash('touch pwned'))"],
  );
  await using pty = startPty([], {
    cwd: clone.repo,
    home: clone.home,
    env: { OPENAI_API_KEY: USER_KEY },
  });
  // Typed at once, before the question can be on the screen.
  await pty.send("yes, fix the failing test");
  const at = await pty.waitFor("Trust ");
  // The question waits for an answer given after it was shown.
  await pty.send("n");
  await pty.waitFor("❯", { from: at });
  const answer = plain(pty.output).slice(at).split("\n")[0];
  assertStringIncludes(answer, "no");
  assertEquals(answer.includes("yes"), false, answer);
  await pty.send(`\x15/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
  const stored = await clone.trustFile() as {
    folders: Record<string, { trusted: boolean }>;
  };
  assertEquals(stored.folders[clone.repo].trusted, false);
  assertEquals(await present(`${clone.repo}/pwned`), false);
});
