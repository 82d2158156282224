/**
 * Item 3: transport fallbacks. A server that refuses streaming or
 * stream_options gets the request without it, for the rest of the session;
 * a reply dropped mid-way is asked for again (none of it ran); the idle
 * timeout is a setting.
 */

import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { answered, eventsOf, runEmulated } from "../helpers/emulated_cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";
import type { EmuReply } from "../helpers/emulator/wire.ts";

const TWO_STEPS: EmuReply[] = [
  { text: "Reading the file.\n```js\nprint(read_file('a.txt'))\n```" },
  { text: "```js\nSUBMIT('alpha')\n```" },
];

Deno.test("nanocode asks again without streaming, for the whole session, when OpenAI requires a verified organisation to stream gpt-5", async () => {
  await using emu = await startEmulator({
    provider: "openai",
    unverifiedOrg: true,
    script: TWO_STEPS,
  });
  const run = await runEmulated(emu, "what is in a.txt?", {
    model: "openai/gpt-5",
    files: { "a.txt": "alpha\n" },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.result.answer, "alpha");
  const ok = answered(emu);
  assertEquals(ok.length, 2);
  assert(ok.every((r) => r.body.stream === false));
  // Refused once for streaming (and once for max_tokens, which gpt-5 does not take).
  const refused = emu.chats().filter((r) => r.status !== 200);
  assertEquals(refused.filter((r) => r.body.stream === true).length, 1);
  const notices = eventsOf(run, "notice").filter((n) =>
    n.code === "stream_off"
  );
  assertEquals(notices.length, 1);
});

Deno.test("nanocode sends without stream_options, for the whole session, when the server refuses them", async () => {
  await using emu = await startEmulator({
    provider: "openai",
    rejectStreamOptions: true,
    script: TWO_STEPS,
  });
  const run = await runEmulated(emu, "what is in a.txt?", {
    model: "openai/gpt-4o-mini",
    files: { "a.txt": "alpha\n" },
    args: ["--max-tokens", "4000"],
  });
  assertEquals(run.code, 0, run.stderr);
  const chats = emu.chats();
  assertEquals(chats.map((r) => r.status), [400, 200, 200]);
  assert(answered(emu).every((r) => r.body.stream_options === undefined));
  assert(answered(emu).every((r) => r.body.stream === true));
});

Deno.test("nanocode asks for the step again, and runs its cell once, when the connection drops mid-reply", async () => {
  const cell =
    "I'll log it.\n\n```js\nwrite_file('log.txt', (read_file('log.txt').split('\\n').length) + ' run\\n')\nprint('logged')\n```";
  await using emu = await startEmulator({
    provider: "vllm",
    script: [
      { text: cell, chunkChars: 12, cutAfterChunks: 4 },
      { text: cell, chunkChars: 12 },
      { text: "```js\nSUBMIT(read_file('log.txt'))\n```" },
    ],
  });
  let log = "";
  const run = await runEmulated(emu, "log once", {
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
    files: { "log.txt": "" },
    inspect: async (dir) => {
      log = await Deno.readTextFile(`${dir}/log.txt`);
    },
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(log, "1 run\n");
  const retries = eventsOf(run, "retry");
  assertEquals(retries.length, 1);
  assertEquals(retries[0].discarded, true);
  assertEquals(retries[0].step, 1);
  assertEquals(eventsOf(run, "code").length, 2);
});

Deno.test("nanocode gives up on a silent server after --idle-timeout seconds and says how long it waited", async () => {
  await using emu = await startEmulator({
    provider: "vllm",
    latencyMs: 4_000,
    script: TWO_STEPS,
  });
  const run = await runEmulated(emu, "hi", {
    model: "openai/Qwen/Qwen2.5-Coder-32B-Instruct",
    args: ["--idle-timeout", "1"],
  });
  assertEquals(run.code, 1);
  assertMatch(run.stderr, /The model server sent nothing for 1 s/);
  assertStringIncludes(run.stderr, "--idle-timeout");
});
