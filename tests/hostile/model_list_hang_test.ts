/**
 * A server whose `GET /models` never answers: `/model NAME` shows that it
 * is checking, Ctrl-C (or Esc) stops the check at once, and the model is
 * not switched to an unchecked name behind the user's back.
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { plain, startPty } from "../helpers/pty.ts";
import { tempDir } from "../helpers/temp.ts";

const ENTER = "\r";

Deno.test("hostile: a /models endpoint that hangs: /model NAME can be interrupted and the model stays", async () => {
  await using dir = await tempDir();
  const stop = new AbortController();
  const asked = Promise.withResolvers<void>();
  const server = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    signal: stop.signal,
    onListen() {},
  }, async (req) => {
    if (new URL(req.url).pathname.endsWith("/models")) {
      asked.resolve();
      // Headers never come (an overloaded gateway).
      await new Promise((r) => setTimeout(r, 60_000));
    }
    return new Response("not found", { status: 404 });
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/v1`;
    await using pty = startPty([], { cwd: dir.path, env: lmEnv(url) });
    await pty.waitFor("❯");
    const from = pty.output.length;
    await pty.send(`/model gpt-typo${ENTER}`);
    await asked.promise;
    await pty.waitFor("esc to interrupt", {
      from: plain(pty.output.slice(0, from)).length,
    });
    await pty.send("\x03");
    const at = await pty.waitFor("The model stays openai/main-model");
    await pty.send(`/status${ENTER}`);
    await pty.waitFor("openai/main-model", { from: at + 10 });
    const after = plain(pty.output).slice(at);
    assert(!after.includes("Model: openai/gpt-typo"), after);
    await pty.send(`/q${ENTER}`);
    assertEquals(await pty.exit(), 0);
  } finally {
    stop.abort();
    await server.finished.catch(() => {});
  }
});
