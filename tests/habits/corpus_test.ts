/**
 * Item 5 (and 6): each reply of the corpus is driven through the real CLI
 * against the provider that would serve it; the test checks what the next
 * request shows the model and how the turn ends.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import {
  answered,
  eventsOf,
  lastUser,
  runEmulated,
} from "../helpers/emulated_cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";
import { CORPUS as FIRST, type HabitCase } from "./corpus.ts";
import { MORE_CORPUS } from "./corpus_more.ts";

const CORPUS = [...FIRST, ...MORE_CORPUS];

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

const FILES = { "a.txt": "alpha\n", "b.txt": "beta\n" };

async function check(c: HabitCase): Promise<void> {
  await using emu = await startEmulator({
    provider: c.provider,
    // Sub-model calls get a short answer; the main model's steps go in order.
    script: (request) =>
      request.messages.length === 1
        ? { text: "sub-answer" }
        : request.messages.length === 2
        ? c.reply
        : { text: "Done.\n```js\nSUBMIT('ok')\n```" },
  });
  const missing: string[] = [];
  const run = await runEmulated(emu, "What do the text files say?", {
    model: c.model,
    files: FILES,
    inspect: async (dir) => {
      for (const file of c.absentFiles ?? []) {
        if (await exists(`${dir}/${file}`)) missing.push(file);
      }
    },
  });
  assertEquals(missing, [], `${c.name}: code that must not run did`);
  if (c.end === "refusal") {
    assertEquals(run.code, 1, `${c.name}: ${run.stderr}`);
    assertStringIncludes(run.stderr, "The model refused");
    assertEquals(eventsOf(run, "refusal").length, 1, c.name);
    assertEquals(answered(emu).length, 1, c.name);
    return;
  }
  assertEquals(run.code, 0, `${c.name}: ${run.stderr}`);
  assertEquals(run.result.answer, "ok", c.name);
  const main = answered(emu).filter((r) => r.messages.length > 1);
  assertEquals(main.length, 2, c.name);
  const next = main[1];
  const shown = lastUser(next);
  for (const want of c.next ?? []) {
    assert(
      typeof want === "string" ? shown.includes(want) : want.test(shown),
      `${c.name}: the model was not shown ${want}:\n${shown}`,
    );
  }
  for (const unwanted of c.notNext ?? []) {
    assert(
      typeof unwanted === "string"
        ? !shown.includes(unwanted)
        : !unwanted.test(shown),
      `${c.name}: the model was shown ${unwanted}:\n${shown}`,
    );
  }
  // No message is ever stored empty (Anthropic and Gemini reject the request).
  for (const m of next.messages) {
    assert(
      m.content.trim() !== "",
      `${c.name}: an empty ${m.role} message was sent`,
    );
  }
}

Deno.test(`the habits corpus has at least 40 realistic replies (${CORPUS.length})`, () => {
  assert(CORPUS.length >= 40);
  assertEquals(new Set(CORPUS.map((c) => c.name)).size, CORPUS.length);
});

// Four CLI runs at a time: each case is its own nanocode process.
const GROUP = 4;
for (let i = 0; i < CORPUS.length; i += GROUP) {
  const group = CORPUS.slice(i, i + GROUP);
  Deno.test(`nanocode handles: ${group.map((c) => c.name).join("; ")}`, async () => {
    const results = await Promise.allSettled(group.map(check));
    const failures = results.flatMap((r) =>
      r.status === "rejected" ? [String(r.reason)] : []
    );
    assertEquals(failures, []);
  });
}
