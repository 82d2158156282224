/**
 * `/diff` after a command turned a file nanocode edited into binary data
 * and deleted another: the binary file is named as binary with its size,
 * not dumped as a screenful of replacement characters; the deleted file
 * shows what it held.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { plain, startPty } from "../helpers/pty.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

const ENTER = "\r";

Deno.test("hostile: /diff names a file a command made binary instead of printing its bytes, and shows a deleted file", async () => {
  await using dir = await tempDir({ "a.txt": "one\n", "gone.txt": "bye\n" });
  await using server = await startLmServer(routeByModel([
    cell([
      "read_file('a.txt')",
      "read_file('gone.txt')",
      "print(write_file('a.txt', 'two\\n'))",
      "print(write_file('gone.txt', 'bye now\\n'))",
      // A build step writes image bytes over the file, another removes one.
      "print(run_bash(\"printf '\\\\211PNG\\\\r\\\\n\\\\032\\\\n\\\\0\\\\0\\\\377\\\\376\\\\nIHDR\\\\n' > a.txt; rm gone.txt\"))",
      "SUBMIT('done')",
    ].join("\n")),
  ]));
  await using pty = startPty(["--permission-mode", "yolo"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  await pty.waitFor("❯");
  await pty.send(`build it${ENTER}`);
  const done = await pty.waitFor("done");
  assertEquals((await Deno.readFile(`${dir.path}/a.txt`))[1], 0x50);
  await pty.send(`/diff${ENTER}`);
  const at = await pty.waitFor("── gone.txt (deleted) ──", { from: done });
  await pty.waitFor("-bye", { from: at });
  const shown = plain(pty.output).slice(done);
  assert(shown.includes("── a.txt (binary, 18 bytes) ──"), shown);
  assert(shown.includes("Binary file, not shown"), shown);
  assert(!shown.includes("\uFFFD"), shown);
  assert(!shown.includes("IHDR"), shown);
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});
