import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { plain, type PtySession, startPty } from "../helpers/pty.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { type TempDir, tempDir } from "../helpers/temp.ts";
import { exists } from "../hostile/_harness.ts";

const ENTER = "\r";

/** A turn that rewrites keep.txt and notes.md, creates new.txt, and answers. */
function changingTurn() {
  return [
    cell(
      "read_file('keep.txt')\nread_file('notes.md')\n" +
        "print(write_file('keep.txt', 'by the turn\\n'))\n" +
        "print(write_file('notes.md', 'turn notes\\n'))\n" +
        "print(run_bash('echo made > new.txt'))",
    ),
    {
      text:
        "<think>All three files are written.</think>\nDone — I rewrote two files and created one.\n\n```js\nSUBMIT('changed three files')\n```",
    },
  ];
}

/** An interactive session (in yolo mode) that has just run {@linkcode changingTurn}. */
interface AfterTurn extends AsyncDisposable {
  dir: TempDir;
  pty: PtySession;
  /** Where the turn's answer is on the screen. */
  done: number;
}

async function afterTurn(): Promise<AfterTurn> {
  const dir = await tempDir({ "keep.txt": "original\n", "notes.md": "n\n" });
  const home = await tempDir();
  const server = await startLmServer(routeByModel(changingTurn()));
  const pty = startPty(["--permission-mode", "yolo"], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url),
  });
  await pty.waitFor("❯");
  await pty.send(`change things${ENTER}`);
  const done = await pty.waitFor("changed three files");
  return {
    dir,
    pty,
    done,
    async [Symbol.asyncDispose]() {
      await pty[Symbol.asyncDispose]();
      await server.close();
      await home[Symbol.asyncDispose]();
      await dir[Symbol.asyncDispose]();
    },
  };
}

Deno.test("interactive /undo shows what it will do, asks, keeps a file edited by hand after the turn, and /redo reverses it", async () => {
  await using session = await afterTurn();
  const { dir, pty, done } = session;
  // The user edits one of the turn's files by hand afterwards.
  await Deno.writeTextFile(dir.file("notes.md"), "edited by hand\n");

  await pty.send(`/undo${ENTER}`);
  const asked = await pty.waitFor("❯ 1. Yes", { from: done });
  const screen = plain(pty.output).slice(done);
  assertStringIncludes(screen, 'Undo turn 1 of this session ("change things")');
  assertStringIncludes(screen, "restore  keep.txt");
  assertStringIncludes(screen, "remove   new.txt");
  assertStringIncludes(screen, "changed  notes.md");
  // Nothing has changed while it asks.
  assertEquals(await dir.read("keep.txt"), "by the turn\n");
  await pty.send("y");
  const again = await pty.waitFor("also put back 1 file changed since", {
    from: asked,
  });
  await pty.waitFor("❯ 1. Yes", { from: again });
  await pty.send("n");
  await pty.waitFor(
    "Undid the changes of turn 1: 1 restored (keep.txt), 1 removed (new.txt), 1 kept as they are (notes.md)",
    { from: again },
  );
  assertEquals(await dir.read("keep.txt"), "original\n");
  assertEquals(await dir.read("notes.md"), "edited by hand\n");
  assert(!(await exists(dir.file("new.txt"))));

  const redoFrom = plain(pty.output).length;
  await pty.send(`/redo${ENTER}`);
  const redoAsked = await pty.waitFor("❯ 1. Yes", { from: redoFrom });
  await pty.send("y");
  await pty.waitFor(
    "Redid the changes of turn 1: 2 restored (keep.txt, new.txt)",
    {
      from: redoAsked,
    },
  );
  assertEquals(await dir.read("keep.txt"), "by the turn\n");
  assertEquals(await dir.read("new.txt"), "made\n");
  assertEquals(await dir.read("notes.md"), "edited by hand\n");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("interactive /undo answered no changes nothing", async () => {
  await using session = await afterTurn();
  const { dir, pty, done } = session;
  await pty.send(`/undo${ENTER}`);
  const asked = await pty.waitFor("❯ 1. Yes", { from: done });
  await pty.send("n");
  await pty.waitFor("Nothing changed: the undo was declined.", { from: asked });
  assertEquals(await dir.read("keep.txt"), "by the turn\n");
  assertEquals(await dir.read("new.txt"), "made\n");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("hostile: keys typed before /undo's question are not its answer", async () => {
  await using session = await afterTurn();
  const { dir, pty, done } = session;
  // "y" typed ahead, before the plan is shown, must not count: it stays
  // typed in the input line.
  await pty.send(`/undo${ENTER}y`);
  const asked = await pty.waitFor("❯ 1. Yes", { from: done });
  await pty.send("n");
  await pty.waitFor("Nothing changed: the undo was declined.", { from: asked });
  assertEquals(await dir.read("keep.txt"), "by the turn\n");
  await pty.waitForScreen((_, s) => s.cursorLine.startsWith("❯ y"));
  await pty.send(`\x15/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
});

Deno.test("a new session's /undo touches nothing from an earlier session or from hand edits", async () => {
  await using dir = await tempDir({
    "keep.txt": "original\n",
    "notes.md": "n\n",
  });
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel(changingTurn()));
  const first = await runCli(["-p", "change things", "--yes"], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url, { NANOCODE_PERMISSION_MODE: "yolo" }),
  });
  assertEquals(first.code, 0, first.stderr);
  assertEquals(await dir.read("keep.txt"), "by the turn\n");
  await Deno.writeTextFile(dir.file("hand.txt"), "written by hand\n");
  await Deno.writeTextFile(dir.file("notes.md"), "edited by hand\n");

  await using pty = startPty([], {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url),
  });
  await pty.waitFor("❯");
  await pty.send(`/undo${ENTER}`);
  await pty.waitFor("Nothing to undo in this session");
  await pty.send(`/q${ENTER}`);
  assertEquals(await pty.exit(), 0);
  assertEquals(await dir.read("keep.txt"), "by the turn\n");
  assertEquals(await dir.read("new.txt"), "made\n");
  assertEquals(await dir.read("hand.txt"), "written by hand\n");
  assertEquals(await dir.read("notes.md"), "edited by hand\n");
});

Deno.test("nanocode --undo without a terminal shows the plan and changes nothing without --yes; --yes undoes, --redo --yes redoes", async () => {
  await using dir = await tempDir({
    "keep.txt": "original\n",
    "notes.md": "n\n",
  });
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel(changingTurn()));
  const options = {
    cwd: dir.path,
    home: home.path,
    env: lmEnv(server.url, { NANOCODE_PERMISSION_MODE: "yolo" }),
  };
  assertEquals((await runCli(["-p", "change things"], options)).code, 0);
  await Deno.writeTextFile(dir.file("notes.md"), "edited by hand\n");

  const dry = await runCli(["--undo"], options);
  assertEquals(dry.code, 1);
  assertStringIncludes(
    dry.stdout,
    'Undo turn 1 of this session ("change things")',
  );
  assertStringIncludes(dry.stdout, "changed  notes.md");
  assertStringIncludes(
    dry.stdout,
    "run again with --yes to undo (add --overwrite",
  );
  assertEquals(await dir.read("keep.txt"), "by the turn\n");

  const undo = await runCli(
    ["--undo", "--yes", "--output-format", "json"],
    options,
  );
  assertEquals(undo.code, 0, undo.stderr);
  const report = JSON.parse(undo.stdout);
  assertEquals(report.applied, true);
  assertEquals(report.plan.conflicts, ["notes.md"]);
  assertEquals(report.result.restored, ["keep.txt"]);
  assertEquals(report.result.removed, ["new.txt"]);
  assertEquals(report.result.kept, ["notes.md"]);
  assertEquals(await dir.read("keep.txt"), "original\n");
  assertEquals(await dir.read("notes.md"), "edited by hand\n");

  const redo = await runCli(["--redo", "--yes"], options);
  assertEquals(redo.code, 0, redo.stderr);
  assertStringIncludes(redo.stdout, "Redid the changes of turn 1");
  assertEquals(await dir.read("keep.txt"), "by the turn\n");
  assertEquals(await dir.read("new.txt"), "made\n");

  const nothing = await runCli(["--redo", "--yes"], options);
  assertEquals(nothing.code, 1);
  assertStringIncludes(nothing.stdout, "Nothing to redo in that session.");
});

Deno.test("nanocode --undo on a terminal asks before undoing, and --overwrite confirmed puts back a file edited since", async () => {
  await using dir = await tempDir({
    "keep.txt": "original\n",
    "notes.md": "n\n",
  });
  await using home = await tempDir();
  await using server = await startLmServer(routeByModel(changingTurn()));
  const env = lmEnv(server.url, { NANOCODE_PERMISSION_MODE: "yolo" });
  assertEquals(
    (await runCli(["-p", "change things"], {
      cwd: dir.path,
      home: home.path,
      env,
    })).code,
    0,
  );
  await Deno.writeTextFile(dir.file("notes.md"), "edited by hand\n");
  await using pty = startPty(["--undo"], {
    cwd: dir.path,
    home: home.path,
    env,
  });
  await pty.waitFor("undo turn 1: 1 to restore, 1 to remove? [y/N]");
  assertEquals(await dir.read("keep.txt"), "by the turn\n");
  await pty.send(`y${ENTER}`);
  await pty.waitFor("also put back 1 file changed since: notes.md");
  await pty.send(`yes${ENTER}`);
  await pty.waitFor(
    "Undid the changes of turn 1: 2 restored (keep.txt, notes.md), 1 removed (new.txt)",
  );
  assertEquals(await pty.exit(), 0);
  assertEquals(await dir.read("keep.txt"), "original\n");
  assertEquals(await dir.read("notes.md"), "n\n");
});

Deno.test("nanocode --undo names the session it would need when there is none", async () => {
  await using dir = await tempDir({ "a.txt": "a\n" });
  await using home = await tempDir();
  const run = await runCli(["--undo", "--yes"], {
    cwd: dir.path,
    home: home.path,
  });
  assertEquals(run.code, 2);
  assertStringIncludes(
    run.stderr,
    `There is no session in ${dir.path} to undo.`,
  );
  const bad = await runCli(["--undo", "fix it"], {
    cwd: dir.path,
    home: home.path,
  });
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, "--undo takes no task");
});
