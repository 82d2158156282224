/**
 * A user typing at the wrong moment: keys typed before a question was on
 * the screen (the task, typed while nanocode starts) never answer it.
 */

import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
import { plain, startPty } from "../helpers/pty.ts";
import { hostileClone, present, USER_KEY } from "./_repo.ts";

const ENTER = "\r";

/**
 * Types `early` before the trust question can be on the screen, answers
 * `n` once it is, and checks that the answer was no and nothing ran.
 */
async function typedBeforeTheQuestion(early: string): Promise<void> {
  await using clone = await hostileClone(
    { ".nanocode/config.json": JSON.stringify({ permission_mode: "yolo" }) },
    ["print(run_bash('touch pwned'))"],
  );
  await using pty = startPty([], {
    cwd: clone.repo,
    home: clone.home,
    env: { OPENAI_API_KEY: USER_KEY },
  });
  await pty.send(early);
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
}

Deno.test("hostile: a task typed while nanocode starts does not answer the trust question", async () => {
  await typedBeforeTheQuestion("yes, fix the failing test");
});

// One key: without the terminal's input flushed, it is the first key read
// after the question (it trusted the folder).
Deno.test("hostile: a lone y typed while nanocode starts does not trust the folder", async () => {
  await typedBeforeTheQuestion("y");
});
