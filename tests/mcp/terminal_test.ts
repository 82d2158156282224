/**
 * MCP calls on a real terminal: progress notifications on the activity
 * line, and Ctrl-C (a SIGINT to the terminal's foreground process group)
 * ending the turn without killing the servers.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { startPty } from "../helpers/pty.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import {
  alive,
  denoRunArgs,
  ensureCached,
  EVERYTHING,
} from "../helpers/mcp_servers.ts";

// Fetch the pinned servers once before any start-up timeout runs.
await ensureCached();

const ENTER = "\r";

/** A home whose config points at `lmUrl`, with server-everything behind a wrapper that writes its pid. */
async function setUp(cells: string[]) {
  const ws = await tempDir();
  const home = await tempDir();
  const lm = await startLmServer(routeByModel(cells.map((c) => cell(c))));
  await Deno.mkdir(`${home.path}/.config/nanocode`, { recursive: true });
  await Deno.writeTextFile(
    `${home.path}/.config/nanocode/config.json`,
    JSON.stringify({
      lm: "openai/main-model",
      sub_lm: "openai/sub-model",
      api_base: lm.url,
      permission_mode: "yolo",
      mcpServers: {
        everything: {
          command: "bash",
          args: [
            "-c",
            'echo $$ > server.pid; exec "$0" "$@"',
            Deno.execPath(),
            ...denoRunArgs(EVERYTHING, "stdio"),
          ],
        },
      },
    }),
  );
  const pty = startPty([], {
    cwd: ws.path,
    home: home.path,
    env: { OPENAI_API_KEY: "test-key" },
  });
  return {
    ws,
    lm,
    pty,
    serverPid: async () =>
      Number(await Deno.readTextFile(`${ws.path}/server.pid`)),
    async [Symbol.asyncDispose]() {
      await pty[Symbol.asyncDispose]();
      await lm.close();
      await home[Symbol.asyncDispose]();
      await ws[Symbol.asyncDispose]();
    },
  };
}

Deno.test("the activity line shows an MCP call's progress notifications after the call's label", async () => {
  await using fx = await setUp([
    "print(mcp.everything.trigger_long_running_operation({ duration: 6, steps: 3 }))",
    "SUBMIT('done')",
  ]);
  await fx.pty.waitFor("❯");
  await fx.pty.send(`wait for it${ENTER}`);
  // Each step is a notification from the server, two seconds apart.
  for (const step of ["1/3", "2/3"]) {
    await fx.pty.waitFor(
      new RegExp(
        `mcp\\.everything\\.trigger_long_running_[^\\n]* · ${step}… \\([\\d.]+s · (↓ [\\d.k]+ tokens? · )?esc to interrupt\\)`,
      ),
      { timeoutMs: 60_000 },
    );
  }
  await fx.pty.waitFor("⏺ done", { timeoutMs: 60_000 });
  // The call's result reached the model.
  assertStringIncludes(
    JSON.stringify(fx.lm.requests.map((r) => r.body)),
    "Long running operation completed",
  );
  await fx.pty.send(`/q${ENTER}`);
  assertEquals(await fx.pty.exit(), 0);
});

Deno.test("Ctrl-C on the terminal during a long MCP call ends the turn; the server is not killed and answers the next turn", async () => {
  await using fx = await setUp([
    "mcp.everything.trigger_long_running_operation({ duration: 300, steps: 300 })",
    "print(mcp.everything.echo({ message: 'still here' }))",
    "SUBMIT('done')",
  ]);
  await fx.pty.waitFor("❯");
  await fx.pty.send(`wait for it${ENTER}`);
  // The call is under way once its first progress notification shows.
  await fx.pty.waitFor("· 1/300…", { timeoutMs: 60_000 });
  const pid = await fx.serverPid();
  assert(await alive(pid));
  await fx.pty.send("\x03");
  const at = await fx.pty.waitFor("Interrupted");
  await fx.pty.waitFor("❯", { from: at });
  assertEquals(await alive(pid), true, "Ctrl-C killed the MCP server");
  await fx.pty.send(`go on${ENTER}`);
  await fx.pty.waitFor("⏺ done", { from: at, timeoutMs: 60_000 });
  assertStringIncludes(
    JSON.stringify(fx.lm.requests.map((r) => r.body)),
    "Echo: still here",
  );
  // The same server answered: it was not started again.
  assertEquals(await fx.serverPid(), pid);
  await fx.pty.send(`/q${ENTER}`);
  assertEquals(await fx.pty.exit(), 0);
});
