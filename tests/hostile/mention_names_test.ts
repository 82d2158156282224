/**
 * A repository whose file names carry escape sequences and newlines: the
 * `@` completion menu shows each name on one row, escapes neutralised, so
 * a name cannot split the live region's rows or drive the terminal.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { startPty } from "../helpers/pty.ts";
import { tempDir } from "../helpers/temp.ts";

const ENTER = "\r";

Deno.test("hostile: file names with newlines and escapes stay one neutral row each in the @ menu", async () => {
  await using dir = await tempDir({ "ok.md": "x\n" });
  for (const name of ["evil\nname.md", "\x1b]0;pwned\x07evil.js"]) {
    await Deno.writeTextFile(`${dir.path}/${name}`, "hi\n");
  }
  await using server = await startLmServer([]);
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  const before = pty.output.length;
  await pty.send("look at @evi");
  const screen = await pty.waitForScreen(
    (text) => text.includes("name.md") && text.includes("evil.js"),
    { what: "the @ menu with both names" },
  );
  const rows = screen.split("\n");
  assert(rows.some((row) => row.includes("@evil␊name.md")), screen);
  assert(!rows.some((row) => row.startsWith("name.md")), screen);
  assert(rows.some((row) => row.includes("@␛]0;pwned␇evil.js")), screen);
  assert(!pty.output.slice(before).includes("\x1b]0;pwned"));
  await pty.send(`\x15/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});
