/**
 * The input history file of a project is appended to by every session:
 * it must not grow without end (every paste is kept whole), and a huge or
 * damaged one must not cost every start reading it all again.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { InputHistory } from "../../src/cli/input_history.ts";

Deno.test("hostile: a huge input history file is cut to the entries kept, newest kept", async () => {
  await using home = await tempDir();
  const env = (name: string) => name === "HOME" ? home.path : undefined;
  const first = InputHistory.of(env, "/work/project");
  const path = first.path!;
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const paste = "log line\n".repeat(200);
  const lines = Array.from(
    { length: 6000 },
    (_, i) => JSON.stringify({ text: `entry ${i}\n${paste}`, ts: "" }),
  );
  // Damage among them: a cut line, control characters, a non-string.
  lines.splice(10, 0, '{"text": "cut', '{"text": 5}', "\x00\x1b[2J");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  const before = (await Deno.stat(path)).size;

  await first.load();
  assertEquals(first.entries.length, 1000);
  assert(first.entries.at(-1)!.startsWith("entry 5999\n"));
  const after = await Deno.readTextFile(path);
  const kept = after.trim().split("\n");
  assert(kept.length <= 1000, `${kept.length} lines left`);
  assert((await Deno.stat(path)).size < before / 5, "the file was cut");
  assertEquals((await Deno.stat(path)).mode! & 0o777, 0o600);

  // The next session reads the same newest entries, and adds after them.
  const second = InputHistory.of(env, "/work/project");
  await second.load();
  assertEquals(second.entries, first.entries);
  second.add("a new entry");
  const third = InputHistory.of(env, "/work/project");
  await third.load();
  assertEquals(third.entries.at(-1), "a new entry");
  assertEquals(third.entries.at(-2), first.entries.at(-1));
});

Deno.test("hostile: a line typed with a leading space (a secret after !) stays out of the history file", async () => {
  await using home = await tempDir();
  const env = (name: string) => name === "HOME" ? home.path : undefined;
  const history = InputHistory.of(env, "/work/project");
  await history.load();
  history.add("!git status");
  history.add(" !export GITHUB_TOKEN=ghp_secret_value_1234567890");
  // Usable with ↑ in this session, never written down.
  assertEquals(
    history.entries.at(-1),
    " !export GITHUB_TOKEN=ghp_secret_value_1234567890",
  );
  const saved = await Deno.readTextFile(history.path!);
  assert(saved.includes("!git status"));
  assert(!saved.includes("ghp_secret_value"), saved);
  const next = InputHistory.of(env, "/work/project");
  await next.load();
  assertEquals(next.entries, ["!git status"]);
});
