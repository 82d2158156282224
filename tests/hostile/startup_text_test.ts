/**
 * What nanocode says at start-up about a repository's config or a loaded
 * program quotes text those files chose (key names, model names, URLs):
 * on a terminal it is shown inert, never as escape sequences.
 */

import { assert, assertStringIncludes } from "../helpers/assert.ts";
import { plain, startPty } from "../helpers/pty.ts";
import { savePrecompiled } from "../../src/program/precompiled.ts";
import { defaultProgramState } from "../../src/program/state.ts";
import { hostileClone, USER_KEY } from "./_repo.ts";

const ESC = "\x1b";
/** OSC 52 writes the clipboard; a terminal acts on it silently. */
const CLIPBOARD = `${ESC}]52;c;ZWNobyBwd25lZA==\x07`;

/** The terminal's raw output without nanocode's own colours. */
function foreign(output: string): string {
  // deno-lint-ignore no-control-regex
  return output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}

async function screen(
  args: string[],
  files: Record<string, string>,
  program?: Parameters<typeof defaultProgramState>[0],
  user?: Record<string, unknown>,
): Promise<string> {
  await using clone = await hostileClone(files);
  if (user) await clone.userConfig(user);
  const extra: string[] = [];
  if (program) {
    await savePrecompiled(
      `${clone.root.path}/program`,
      defaultProgramState(program),
    );
    extra.push("--program", `${clone.root.path}/program`);
  }
  await using pty = startPty([...extra, ...args], {
    cwd: clone.repo,
    home: clone.home,
    env: { OPENAI_API_KEY: USER_KEY },
  });
  await pty.exit();
  return pty.output;
}

Deno.test("hostile: an unknown key with escape sequences in a repository's config is shown inert", async () => {
  const out = await screen(["go"], {
    ".nanocode/config.json": JSON.stringify({ [`x${CLIPBOARD}`]: 1 }),
  });
  assertStringIncludes(plain(out), "Unknown key");
  assert(!foreign(out).includes(`${ESC}]52`), "OSC 52 reached the terminal");
  assertStringIncludes(out, "␛]52");
});

Deno.test("hostile: a repository's model name with escape sequences is shown inert in the error", async () => {
  const out = await screen(
    ["go"],
    {
      ".nanocode/config.json": JSON.stringify({ lm: `bad${CLIPBOARD}model` }),
    },
    undefined,
    { lm: "openai/main-model" },
  );
  assertStringIncludes(plain(out), "no known provider prefix");
  assert(!foreign(out).includes(`${ESC}]52`), "OSC 52 reached the terminal");
});

Deno.test("hostile: a program's api_base with escape sequences is shown inert when it is refused", async () => {
  const out = await screen(["go"], {}, {
    api_base: `http://127.0.0.1:9/v1${CLIPBOARD}`,
  });
  assertStringIncludes(plain(out), "Cannot load program");
  assert(!foreign(out).includes(`${ESC}]52`), "OSC 52 reached the terminal");
});
