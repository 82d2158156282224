/**
 * Resuming a damaged or hand-edited session file: records whose fields
 * are missing or of the wrong type are skipped like a line cut by a
 * crash, and the session resumes with what is usable, through the picker
 * and through `--resume <id>`.
 */

import { assertEquals } from "../helpers/assert.ts";
import { lmEnv } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { startPty } from "../helpers/pty.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

const ENTER = "\r";
const ID = "20260101-000000-abcd";

/** Writes a session file for `cwd` with a good first turn, then `extra` records. */
async function writeSession(
  home: string,
  cwd: string,
  extra: unknown[],
): Promise<void> {
  const dir = `${home}/.local/share/nanocode/sessions`;
  await Deno.mkdir(dir, { recursive: true });
  const records = [
    {
      type: "session",
      id: ID,
      cwd,
      created: "2026-01-01T00:00:00Z",
      version: "0.1.0",
      lm: "openai/main-model",
    },
    { type: "user", turn: 1, text: "the first task", ts: "" },
    { type: "answer", turn: 1, text: "the first answer", ts: "" },
    ...extra,
  ];
  await Deno.writeTextFile(
    `${dir}/${ID}.jsonl`,
    records.map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
}

const DAMAGED: [string, unknown[]][] = [
  ["a compacted record without its history", [{ type: "compacted" }]],
  ["a compacted history of non-strings", [{
    type: "compacted",
    history: [{ user: 5, answer: null }, "turn", null],
  }]],
  ["a compacted history that is not a list", [{
    type: "compacted",
    history: { user: "x", answer: "y" },
  }]],
];

for (const [what, extra] of DAMAGED) {
  for (const how of ["picker", "id"] as const) {
    Deno.test(`hostile: --resume ${how === "id" ? "<id>" : "(picker)"} of a session file with ${what} resumes the usable turns`, async () => {
      await using dir = await tempDir();
      await using home = await tempDir();
      await writeSession(home.path, await Deno.realPath(dir.path), extra);
      await using server = await startLmServer(routeByModel([
        cell(`SUBMIT("resumed fine")`),
      ]));
      await using pty = startPty(
        how === "id" ? ["--resume", ID] : ["--resume"],
        {
          cwd: dir.path,
          home: home.path,
          env: lmEnv(server.url),
        },
      );
      if (how === "picker") {
        await pty.waitFor("Resume a session");
        await pty.send(ENTER);
      }
      await pty.waitFor("Resumed session");
      await pty.waitFor("the first answer");
      await pty.waitFor("❯");
      await pty.send(`next${ENTER}`);
      await pty.waitFor("resumed fine");
      const request = requestsOf(server.requests, MAIN_MODEL)[0];
      const sent = messagesOf(request).map((m) => m.content).join("\n");
      assertEquals(sent.includes("the first task"), true, sent);
      await pty.send(`/q${ENTER}`);
      assertEquals(await pty.exit(), 0);
    });
  }
}
