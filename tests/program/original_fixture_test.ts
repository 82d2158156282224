/**
 * The Python original's program folder (`fixtures/original`: its
 * `config.json` with the original's defaults and `track_trace`, and a
 * `program.json` in DSPy 3.1.2's layout whose instructions are the
 * original's `CodingAssistant` docstring followed by a stand-in for DSPy's
 * RLM template) loaded, run, saved and compared key by key.
 *
 * @module
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
  SUB_MODEL,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { CodingAgent } from "../../src/agent/coding_agent.ts";
import { readProgram } from "../../src/program/files.ts";
import { DEFAULT_CONFIG } from "../../src/config/fields.ts";
import { NOT_IN_PROGRAMS } from "../../src/program/config_json.ts";

const FIXTURE = new URL("./fixtures/original/", import.meta.url).pathname;

async function readJson(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(path));
}

type Json = Record<string, unknown>;

Deno.test("The original's config.json and program.json load, run, save and compare key by key", async () => {
  const originalConfig = await readJson(`${FIXTURE}config.json`);
  const originalProgram = await readJson(`${FIXTURE}program.json`);
  await using out = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("print(read_file('notes.txt'))"),
    cell("SUBMIT('The notes say hello.')"),
  ]));
  await using ws = await tempDir({ "notes.txt": "hello\n" });
  const overrides = {
    lm: `openai/${MAIN_MODEL}`,
    sub_lm: `openai/${SUB_MODEL}`,
    api_base: server.url,
    permission_mode: "yolo" as const,
    // JavaScript cells chosen: the program's Python sentences are adapted.
    repl: "js" as const,
  };
  let verbose = "";
  const agent = await CodingAgent.fromPrecompiled(FIXTURE, {
    workspace: ws.path,
    config: overrides,
    snapshotsDir: null,
    env: (name) => (name === "OPENAI_API_KEY" ? "k" : undefined),
    verboseOutput: (text) => verbose += text,
  });
  try {
    // Loaded: the original's settings, with the caller's overrides on top.
    assertEquals(agent.config.max_iters, 50);
    assertEquals(agent.config.max_tokens, 50000);
    assertEquals(agent.config.verbose, true);
    assertEquals(agent.config.track_trace, false);
    // The docstring, adapted: no sentence tells the model to write Python.
    assert(
      agent.instructions.startsWith("You are a concise coding assistant."),
    );
    assertStringIncludes(
      agent.instructions,
      "JavaScript code you write executes in an isolated sandbox",
    );
    assert(!/python/i.test(agent.instructions), agent.instructions);
    assertStringIncludes(
      verbose,
      "⏺ [PROGRAM] Instructions written for a Python REPL",
    );
    assertStringIncludes(
      verbose,
      'translated: "INTERNAL REPL (sandbox): Standard Python code you write executes in an isolated sandbox."',
    );

    // Run.
    const result = await agent.forward("What do the notes say?");
    assertEquals(result.answer, "The notes say hello.");
    assertEquals(result.trajectory[0].observation, "   1| hello");
    const system = messagesOf(requestsOf(server.requests, MAIN_MODEL)[0])[0];
    assert(!/python/i.test(system.content));

    // Save and compare key by key.
    await agent.savePrecompiled(out.path);
  } finally {
    await agent.close();
  }
  const config = await readJson(out.file("config.json"));
  const originalKeys = Object.keys(originalConfig);
  assertEquals(Object.keys(config).slice(0, originalKeys.length), originalKeys);
  for (const key of originalKeys) {
    const expected = key in overrides
      ? overrides[key as keyof typeof overrides]
      : originalConfig[key];
    assertEquals(config[key], expected, `config.json "${key}"`);
  }
  // nanocode's own fields follow the original's.
  assertEquals(
    Object.keys(config).slice(originalKeys.length),
    Object.keys(DEFAULT_CONFIG).filter((k) =>
      !originalKeys.includes(k) &&
      !(NOT_IN_PROGRAMS as readonly string[]).includes(k)
    ),
  );

  const program = await readJson(out.file("program.json"));
  assertEquals(Object.keys(program), Object.keys(originalProgram));
  for (const name of ["agent.generate_action", "agent.extract"]) {
    const saved = program[name] as Json;
    const loaded = originalProgram[name] as Json;
    assertEquals(Object.keys(saved), Object.keys(loaded), name);
    for (const key of ["traces", "train", "demos"]) {
      assertEquals(saved[key], loaded[key], `${name}.${key}`);
    }
    const savedFields = (saved.signature as Json).fields as Json[];
    const loadedFields = (loaded.signature as Json).fields as Json[];
    assertEquals(
      savedFields.map((f) => f.prefix),
      loadedFields.map((f) => f.prefix),
      `${name} field order`,
    );
    const lm = saved.lm as Json;
    for (const [key, value] of Object.entries(loaded.lm as Json)) {
      const expected = key === "model"
        ? overrides.lm
        : key === "api_base"
        ? overrides.api_base
        : value;
      assertEquals(lm[key], expected, `${name}.lm.${key}`);
    }
  }
  const metadata = program.metadata as Json;
  assertEquals(
    (metadata.dependency_versions as Json).python,
    "3.13",
  );

  // Loading what was saved gives the same program, and saving it again
  // writes the same bytes.
  const again = await readProgram(out.path);
  assertEquals(again.config, { ...again.config, ...overrides });
  assertEquals(
    again.instructions,
    (await readProgram(FIXTURE)).instructions,
  );
  await using second = await tempDir();
  const { writeProgram } = await import("../../src/program/files.ts");
  await writeProgram(second.path, again);
  assertEquals(
    await second.read("program.json"),
    await out.read("program.json"),
  );
  assertEquals(await second.read("config.json"), await out.read("config.json"));
});

Deno.test("nanocode --program with --verbose shows which Python sentences of a hub program were changed", async () => {
  await using ws = await tempDir({});
  await using server = await startLmServer(routeByModel([
    cell("SUBMIT('ok')"),
  ]));
  const run = await runCli(
    ["--program", FIXTURE, "--repl", "js", "--verbose", "-y", "say ok"],
    { cwd: ws.path, env: lmEnv(server.url) },
  );
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout, "ok\n");
  assertStringIncludes(
    run.stderr,
    "Program instructions written for a Python REPL, adapted to JavaScript:",
  );
  assertStringIncludes(
    run.stderr,
    'translated: "- Process data, do math, manipulate strings, iterate → write Python code directly in the REPL" → "- Process data, do math, manipulate strings, iterate → write JavaScript code directly in the REPL"',
  );
  const system = messagesOf(requestsOf(server.requests, MAIN_MODEL)[0])[0];
  assert(!/python/i.test(system.content), system.content.slice(0, 2000));
});
