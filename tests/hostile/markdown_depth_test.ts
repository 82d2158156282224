/**
 * A hostile answer's markdown: emphasis, links and block quotes nested
 * thousands deep (a model echoing a crafted file, or a cut-off stream of
 * `*`) must render, not blow the stack and lose the answer, neither when
 * the answer arrives nor when the session is resumed.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { startPty } from "../helpers/pty.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { renderMarkdown } from "../../src/ui/markdown.ts";
import { createStyle } from "../../src/ui/style.ts";
import { displayWidth } from "../../src/ui/width.ts";

const ENTER = "\r";
const DEEP = 20_000;
const plain = createStyle(false);

Deno.test("hostile: renderMarkdown() renders emphasis nested 20000 deep", () => {
  const out = renderMarkdown(
    `${"*".repeat(DEEP)}core${"*".repeat(DEEP)}`,
    plain,
    60,
  );
  assertStringIncludes(out, "core");
});

Deno.test("hostile: renderMarkdown() renders link labels nested 20000 deep", () => {
  const out = renderMarkdown(
    `${"[".repeat(DEEP)}core${"](u)".repeat(DEEP)}`,
    plain,
    60,
  );
  assertStringIncludes(out, "core");
});

Deno.test("hostile: renderMarkdown() renders block quotes nested 20000 deep within the width", () => {
  const out = renderMarkdown(`${">".repeat(DEEP)} core text`, plain, 60);
  assertStringIncludes(out, "core");
  for (const line of out.split("\n")) assert(displayWidth(line) <= 60, line);
});

Deno.test("hostile: an answer nested thousands deep is shown, and its session resumes", async () => {
  await using dir = await tempDir();
  await using home = await tempDir();
  // Emphasis opens before "x" and closes after it, 20000 deep; then a
  // quote as deep.
  const deep = `${"*".repeat(DEEP)}x the real answer x${"*".repeat(DEEP)}\n\n${
    ">".repeat(DEEP)
  } quoted`;
  await using server = await startLmServer(routeByModel([
    cell(`SUBMIT(${JSON.stringify(deep)})`, "I will answer now."),
    cell(`SUBMIT("after resume")`),
  ]));
  const env = lmEnv(server.url);
  {
    await using pty = startPty([], { cwd: dir.path, home: home.path, env });
    await pty.waitFor("❯");
    await pty.send(`answer${ENTER}`);
    await pty.waitForScreen((text) => text.includes("the real answer"), {
      what: "the deep answer on screen",
    });
    assert(
      !pty.screen().lines.join("\n").includes("Maximum call stack"),
      "no stack overflow shown",
    );
    await pty.send(`/q${ENTER}`);
    assertEquals(await pty.exit(), 0);
  }
  // The resumed session replays that answer.
  await using pty = startPty(["--resume"], {
    cwd: dir.path,
    home: home.path,
    env,
  });
  await pty.waitFor("Resume a session");
  await pty.send(ENTER);
  await pty.waitFor("Resumed session");
  await pty.waitFor("❯ answer");
  await pty.waitFor("the real answer");
  await pty.send(`go on${ENTER}`);
  await pty.waitFor("after resume");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});
