import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { pyCell, TEST_CACHE_HOME } from "../helpers/python.ts";
import { tempDir } from "../helpers/temp.ts";
import { DEFAULT_CONFIG, FIELDS } from "../../src/config/fields.ts";
import type { Config } from "../../src/config/fields.ts";
import { readProgram, writeProgram } from "../../src/program/files.ts";
import { writtenForPython } from "../../src/program/program_repl.ts";
import { defaultProgramState } from "../../src/program/state.ts";
import { reviewProgram } from "../../src/trust/program.ts";
import {
  PYTHON_DOCSTRING,
  PYTHON_PROGRAM,
  pythonProgramFiles,
} from "./_python_fixture.ts";

function sources(
  repl = "default",
): Record<keyof Config, string> {
  const all = Object.fromEntries(FIELDS.map((f) => [f.key, "default"]));
  return { ...all, repl } as Record<keyof Config, string>;
}

Deno.test("writtenForPython() recognizes a program the Python original saved, not one nanocode saved", async () => {
  await using original = await tempDir(pythonProgramFiles());
  assert(writtenForPython(await readProgram(original.path)));

  await using ours = await tempDir();
  await writeProgram(ours.path, defaultProgramState());
  assert(!writtenForPython(await readProgram(ours.path)));

  // Without DSPy's template, Python in the action's instructions or fields still tells.
  const action = PYTHON_PROGRAM["agent.generate_action"];
  const bare = {
    ...PYTHON_PROGRAM,
    "agent.generate_action": {
      ...action,
      signature: {
        ...action.signature,
        instructions: "Fix things. Use the Python REPL to look around.",
      },
    },
  };
  await using plain = await tempDir({
    ...pythonProgramFiles(),
    "program.json": JSON.stringify(bare),
  });
  assert(writtenForPython(await readProgram(plain.path)));
});

Deno.test("reviewProgram() selects python for a Python program unless the user chose the REPL", async () => {
  await using original = await tempDir(pythonProgramFiles());
  const state = await readProgram(original.path);
  const chosen = reviewProgram(
    state,
    { ...DEFAULT_CONFIG },
    sources(),
    () => undefined,
  );
  assertEquals(chosen.config.repl, "python");
  assert(
    chosen.changes.some((c) => c.startsWith('repl "js" → "python"')),
    chosen.changes.join("\n"),
  );
  for (
    const source of ["flag", "environment", "user config", "project config"]
  ) {
    const kept = reviewProgram(
      state,
      { ...DEFAULT_CONFIG },
      sources(source),
      () => undefined,
    );
    assertEquals(kept.config.repl, "js", `repl set by ${source} stays`);
  }
  const userPython = reviewProgram(
    state,
    { ...DEFAULT_CONFIG, repl: "python" },
    sources("user config"),
    () => undefined,
  );
  assertEquals(
    userPython.config.repl,
    "python",
    "a config.json without repl chose none",
  );
});

Deno.test("a nanocode program saved with repl python keeps it, and its program.json carries the Python rules", async () => {
  await using dir = await tempDir();
  const state = defaultProgramState({ repl: "python" });
  await writeProgram(dir.path, state);
  assertEquals(JSON.parse(await dir.read("config.json")).repl, "python");
  const saved = JSON.parse(await dir.read("program.json"));
  assertStringIncludes(
    saved["agent.generate_action"].signature.instructions,
    "You work by writing Python",
  );
  const loaded = await readProgram(dir.path);
  assertEquals(loaded.config.repl, "python");
  assertEquals(loaded.instructions, state.instructions);
  const review = reviewProgram(
    loaded,
    { ...DEFAULT_CONFIG },
    sources(),
    () => undefined,
  );
  assertEquals(review.config.repl, "python");
});

Deno.test("the original's program.json runs end to end with Python cells through the real CLI", async () => {
  await using program = await tempDir(pythonProgramFiles());
  await using ws = await tempDir({
    "src/app.py": "def total(xs):\n    return sum(xs) - 1\n",
  });
  await using server = await startLmServer(routeByModel([
    pyCell(
      "files = glob_files('**/*.py')\nprint(files)\nsource = read_file(files[0])\nprint(source)",
      "I'll start by finding the Python files.",
    ),
    pyCell(
      "result = edit_file('src/app.py', old='return sum(xs) - 1', new='return sum(xs)')\nprint(result)\n{'cells': len(_out), 'task': task[:4]}",
      "The off-by-one is on line 2; fixing it.",
    ),
    pyCell(
      'SUBMIT(answer=f"Fixed total() in src/app.py: it now returns sum(xs) ({len(history)} earlier turns).")',
      "Done: submitting.",
    ),
  ]));
  const run = await runCli(["--program", program.path, "-y", "Fix total()."], {
    cwd: ws.path,
    env: { ...lmEnv(server.url), XDG_CACHE_HOME: TEST_CACHE_HOME },
  });
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(
    run.stdout,
    "Fixed total() in src/app.py: it now returns sum(xs) (0 earlier turns).",
  );
  assertEquals(
    await ws.read("src/app.py"),
    "def total(xs):\n    return sum(xs)\n",
  );
  const mains = requestsOf(server.requests, MAIN_MODEL).map(messagesOf);
  assertEquals(mains.length, 3);
  const system = mains[0][0].content;
  assert(system.startsWith(PYTHON_DOCSTRING), system);
  assertStringIncludes(system, "You work by writing Python");
  assertStringIncludes(system, "Limits this turn: 30 cells");
  // What the Python cells printed, as the model saw it.
  assertStringIncludes(
    mains[1].at(-1)!.content,
    "src/app.py\n   1| def total(xs):",
  );
  assertStringIncludes(
    mains[2].at(-1)!.content,
    "ok: replaced 1 occurrence in src/app.py\n{'cells': 2, 'task': 'Fix '}",
  );
  // The user's own choice wins over the program's language.
  await using again = await startLmServer(routeByModel([
    { text: "Checking.\n\n```js\nSUBMIT('plain js')\n```" },
  ]));
  const js = await runCli([
    "--program",
    program.path,
    "--repl",
    "js",
    "-y",
    "hi",
  ], {
    cwd: ws.path,
    env: { ...lmEnv(again.url), XDG_CACHE_HOME: TEST_CACHE_HOME },
  });
  assertEquals(js.code, 0, js.stderr);
  assertStringIncludes(js.stdout, "plain js");
  const jsSystem =
    messagesOf(requestsOf(again.requests, MAIN_MODEL)[0])[0].content;
  assertStringIncludes(jsSystem, "You work by writing JavaScript");
});

Deno.test("a program whose instructions speak Python keeps them as written with Python cells, adapted with JavaScript cells", async () => {
  const action = PYTHON_PROGRAM["agent.generate_action"];
  const written =
    "Standard Python code you write runs in a sandbox. Use f-strings for output.";
  await using program = await tempDir({
    ...pythonProgramFiles(),
    "program.json": JSON.stringify({
      ...PYTHON_PROGRAM,
      "agent.generate_action": {
        ...action,
        signature: { ...action.signature, instructions: written },
      },
    }),
  });
  await using ws = await tempDir({ "a.txt": "alpha\n" });
  for (
    const [flags, expected, absent] of [
      [[], written, "JavaScript code you write"],
      [
        ["--repl", "js"],
        "JavaScript code you write runs in a sandbox.",
        "f-strings",
      ],
    ] as const
  ) {
    await using server = await startLmServer(routeByModel([
      flags.length
        ? { text: "Done.\n\n```js\nSUBMIT('ok')\n```" }
        : pyCell("SUBMIT('ok')"),
    ]));
    const run = await runCli(
      ["--program", program.path, ...flags, "-y", "hi"],
      {
        cwd: ws.path,
        env: { ...lmEnv(server.url), XDG_CACHE_HOME: TEST_CACHE_HOME },
      },
    );
    assertEquals(run.code, 0, run.stderr);
    const system =
      messagesOf(requestsOf(server.requests, MAIN_MODEL)[0])[0].content;
    assertStringIncludes(system, expected);
    assert(!system.includes(absent), system);
  }
});

Deno.test("the original's own program folder runs with Python cells and its instructions as written, through the real CLI", async () => {
  const fixture = new URL("./fixtures/original/", import.meta.url).pathname;
  await using ws = await tempDir({ "notes.txt": "hello\nworld\n" });
  await using server = await startLmServer(routeByModel([
    pyCell(
      "lines = [l.split('| ', 1)[1] for l in read_file('notes.txt').splitlines()]\nprint(lines)",
      "I'll read the notes with read_file and keep the lines in a variable.",
    ),
    pyCell("SUBMIT(answer=' '.join(lines))", "The notes are read; submitting."),
  ]));
  const run = await runCli([
    "--program",
    fixture,
    "--verbose",
    "-y",
    "What do the notes say?",
  ], {
    cwd: ws.path,
    env: { ...lmEnv(server.url), XDG_CACHE_HOME: TEST_CACHE_HOME },
  });
  assertEquals(run.code, 0, run.stderr);
  assertStringIncludes(run.stdout, "hello world");
  assertStringIncludes(run.stderr, 'repl "js" → "python"');
  assert(!run.stderr.includes("adapted to JavaScript"), run.stderr);
  const mains = requestsOf(server.requests, MAIN_MODEL).map(messagesOf);
  const system = mains[0][0].content;
  assertStringIncludes(
    system,
    "Standard Python code you write executes in an isolated sandbox",
  );
  assertStringIncludes(system, "You work by writing Python");
  assertStringIncludes(mains[1].at(-1)!.content, "['hello', 'world']");
});
