/**
 * Text nanocode prints outside its terminal UI is inert too: the library's
 * verbose output on stderr, and `--verbose`'s account of how a hub
 * program's Python instructions were changed.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { testAgent } from "../agent/_agent.ts";

const ESC = "\x1b";
const NASTY = `${ESC}]52;c;ZWNobyBwd25lZA==\x07${ESC}[2J\u202eexe`;

function inert(text: string): void {
  assert(!text.includes(ESC), "a raw escape got through");
  assert(!text.includes("\x07"), "a raw bell got through");
  assert(!text.includes("\u202e"), "a bidi override got through");
}

Deno.test("hostile: a hub program's instructions with escape sequences are shown inert by --verbose", async () => {
  await using program = await tempDir({
    "program.json": JSON.stringify({
      "agent.generate_action": {
        signature: {
          instructions:
            `Write Python code to explore the repo. ${NASTY} Use f-strings ${NASTY}.`,
          fields: [],
        },
      },
    }),
  });
  await using ws = await tempDir();
  await using server = await startLmServer(
    routeByModel([cell("SUBMIT('ok')")]),
  );
  const run = await runCli(
    // The user chose JavaScript cells: the Python sentences are adapted, and said so.
    ["--program", program.path, "--repl", "js", "--verbose", "-y", "hi"],
    { cwd: ws.path, env: lmEnv(server.url) },
  );
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stderr, "adapted to JavaScript");
  assertStringIncludes(run.stderr, "\\u001b]52;c;");
  inert(run.stderr);
});

Deno.test("hostile: escape sequences in a cell's output are inert in a library user's verbose stderr", async () => {
  await using ws = await tempDir({ "evil.txt": `${NASTY}\n` });
  await using server = await startLmServer(routeByModel(
    [
      cell(`print(read_file('evil.txt'), llm_query('x'))`, `Reason ${NASTY}`),
      cell("SUBMIT('ok')"),
    ],
    () => ({ text: `sub ${NASTY}` }),
  ));
  let text = "";
  await using agent = testAgent(server.url, ws.path, {
    config: { verbose: true },
    verboseOutput: (t) => text += t,
  });
  await agent.forward("read it");
  assertStringIncludes(text, "⏺ [OUTPUT]");
  assertStringIncludes(text, "␛[2J");
  inert(text);
});
