/**
 * Smaller holes: what reaches a terminal from a headless answer or the
 * session list is inert; a user's edit made while the approval prompt is
 * open is never overwritten; write_file does not replace a file the model
 * has not read; a damaged session file still resumes.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { plain, startPty } from "../helpers/pty.ts";
import { cell, messagesOf, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import type { ApprovalRequest } from "../../src/safety/approval.ts";
import { hostile } from "./_harness.ts";

const ESC = "\x1b";
const EVIL =
  `${ESC}]52;c;cHduZWQ=${ESC}\\ ${ESC}[2J${ESC}[H \u202eexe.txt \x9b31m`;

function assertNoRawEscapes(raw: string) {
  for (const bad of [`${ESC}]52`, `${ESC}[2J`, "\u202e", "\x9b31m"]) {
    assertEquals(
      raw.includes(bad),
      false,
      `${JSON.stringify(bad)} reached the terminal`,
    );
  }
}

Deno.test("hostile: escape sequences in a headless answer on a terminal are shown inert", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(
    routeByModel([cell(`SUBMIT(${JSON.stringify(`done ${EVIL}`)})`)]),
  );
  await using pty = startPty(["say it"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(await pty.exit(), 0);
  assertNoRawEscapes(pty.output);
  assertStringIncludes(plain(pty.output), "␛]52;c;cHduZWQ=");
  assertStringIncludes(plain(pty.output), "<U+202E>exe.txt");
});

Deno.test("hostile: headless JSON output carries no raw bidi or C1 characters, and parses to the same answer", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(
    routeByModel([cell(`SUBMIT(${JSON.stringify(EVIL)})`)]),
  );
  const run = await runCli(["--output-format", "json", "say it"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(run.code, 0, run.stderr);
  assertNoRawEscapes(run.stdout);
  assertEquals(JSON.parse(run.stdout).answer, EVIL);
});

Deno.test("hostile: escape sequences in an earlier task are inert in the --resume list on a terminal", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(
    routeByModel([cell("SUBMIT('ok')")]),
  );
  const first = await runCli([`fix ${EVIL}`], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(first.code, 0, first.stderr);
  // On a terminal, --resume offers a picker of the folder's sessions.
  await using pty = startPty(["--resume"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  await pty.waitFor("Resume a session of this folder:");
  await pty.waitFor("␛]52");
  await pty.send("\x1b");
  await pty.waitForScreen((text) => !text.includes("Resume a session"));
  await pty.send("/q\r");
  assertEquals(await pty.exit(), 0);
  assertNoRawEscapes(pty.output);
});

/** An approver that lets the user edit the file while "the prompt is open", then says yes. */
function editingApprover(path: () => string, text: string) {
  const asked: ApprovalRequest[] = [];
  return {
    asked,
    interactive: true,
    async approve(request: ApprovalRequest) {
      asked.push(request);
      await Deno.writeTextFile(path(), `${text} (${asked.length})\n`);
      return "yes" as const;
    },
  };
}

Deno.test("hostile: an edit the user makes while the approval prompt is open is never overwritten", async () => {
  let ws = "";
  const approver = editingApprover(() => `${ws}/a.txt`, "the user's edit");
  await using h = await hostile({
    approver,
    files: { "a.txt": "one\n", "b.txt": "b\n" },
  });
  ws = h.ws.path;
  const [edited] = await h.turn(
    "read_file('a.txt')\nprint(edit_file('a.txt', 'one', 'two'))",
  );
  assertStringIncludes(
    edited,
    "changed on disk while the change waited for approval",
  );
  assertEquals(await h.ws.read("a.txt"), "the user's edit (1)\n");
  const [written] = await h.turn(
    "read_file('a.txt')\nprint(write_file('a.txt', 'model text\\n'))",
  );
  assertStringIncludes(
    written,
    "changed on disk while the change waited for approval",
  );
  assertEquals(await h.ws.read("a.txt"), "the user's edit (2)\n");
  assertEquals(approver.asked.length, 2);
});

Deno.test("hostile: a file the user creates while a new file's write waits for approval is kept", async () => {
  let ws = "";
  const approver = editingApprover(() => `${ws}/new.txt`, "mine");
  await using h = await hostile({ approver });
  ws = h.ws.path;
  const [seen] = await h.turn("print(write_file('new.txt', 'model\\n'))");
  assertStringIncludes(
    seen,
    "the file was created on disk while the change waited",
  );
  assertEquals(await h.ws.read("new.txt"), "mine (1)\n");
});

Deno.test("hostile: the user editing the file at the real approval prompt wins over the model's edit", async () => {
  await using dir = await tempDir({ "notes.txt": "hello world\n" });
  await using server = await startLmServer(routeByModel([
    cell(
      "read_file('notes.txt')\nprint(edit_file('notes.txt', 'hello', 'goodbye'))",
    ),
    cell("SUBMIT('tried')"),
  ]));
  await using pty = startPty([], { cwd: dir.path, env: lmEnv(server.url) });
  await pty.waitFor("❯");
  await pty.send("change the notes\r");
  const at = await pty.waitFor("edit_file");
  await pty.waitFor("goodbye", { from: at });
  await Deno.writeTextFile(dir.file("notes.txt"), "hello from the user\n");
  await pty.send("y");
  await pty.waitFor("tried", { from: at });
  await pty.send("/q\r");
  assertEquals(await pty.exit(), 0);
  assertEquals(await dir.read("notes.txt"), "hello from the user\n");
  const chats = server.requests.filter((r) =>
    r.path.endsWith("/chat/completions")
  );
  const observation = messagesOf(chats[1]).at(-1)!.content;
  assertStringIncludes(observation, "changed on disk while the change waited");
});

Deno.test("hostile: write_file refuses to replace a file the model has not read, and works once it has", async () => {
  await using h = await hostile({
    mode: "yolo",
    files: { "config.yml": "keep: me\n" },
  });
  const [blind, informed] = await h.turn(
    "print(write_file('config.yml', 'clobbered\\n'))",
    "read_file('config.yml')\nprint(write_file('config.yml', 'keep: me\\nmore: yes\\n'))",
  );
  assertStringIncludes(
    blind,
    "you have not read it in this session; read it first",
  );
  assertStringIncludes(informed, "ok: wrote 2 lines");
  assertEquals(await h.ws.read("config.yml"), "keep: me\nmore: yes\n");
});

Deno.test("hostile: a session file with non-object, malformed and mistyped lines still lists and resumes", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('first answer')"),
    cell("print(history.length, history[0].user)"),
    cell("SUBMIT('resumed')"),
  ]));
  const env = lmEnv(server.url);
  const first = await runCli(["--output-format", "json", "first task"], {
    cwd: dir.path,
    env,
  });
  assertEquals(first.code, 0, first.stderr);
  const id = JSON.parse(first.stdout).session_id;
  const file = `${dir.path}/.local/share/nanocode/sessions/${id}.jsonl`;
  const damage = [
    "null",
    "42",
    '"a string"',
    "[1, 2]",
    "{ cut off mid-wri",
    JSON.stringify({ type: "user", turn: "2", text: { evil: true } }),
    JSON.stringify({ type: "answer", turn: 2, text: null }),
    JSON.stringify({ type: "model", lm: 7 }),
  ].join("\n");
  await Deno.writeTextFile(file, `${damage}\n`, { append: true });

  const listed = await runCli(["--resume"], { cwd: dir.path, env });
  assertEquals(listed.code, 0, listed.stderr);
  assertStringIncludes(listed.stdout, id);
  const resumed = await runCli(["--resume", id, "second task"], {
    cwd: dir.path,
    env,
  });
  assertEquals(resumed.code, 0, resumed.stderr);
  assertStringIncludes(resumed.stdout, "resumed");
  const seen = messagesOf(server.requests.at(-1)!).map((m) => m.content).join(
    "\n",
  );
  assert(seen.includes("1 first task"), seen);
});
