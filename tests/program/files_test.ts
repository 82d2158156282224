import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { readProgram, writeProgram } from "../../src/program/files.ts";
import { defaultProgramState } from "../../src/program/state.ts";
import type { ProgramState } from "../../src/program/state.ts";
import { CODING_INSTRUCTIONS } from "../../src/agent/instructions.ts";
import { DEFAULT_CONFIG } from "../../src/config/fields.ts";
import { REPL_RULES } from "../../src/rlm/prompt.ts";
import { VERSION } from "../../src/version.ts";
import {
  pyDump,
  PYTHON_DEMO,
  PYTHON_DOCSTRING,
  PYTHON_PROGRAM,
  pythonProgramFiles,
} from "./_python_fixture.ts";

type Json = Record<string, unknown>;
const obj = (value: unknown) => value as Json;

async function readJson(path: string): Promise<Json> {
  return JSON.parse(await Deno.readTextFile(path));
}

Deno.test("readProgram() reads the config and the docstring when the files come from the Python original", async () => {
  await using dir = await tempDir(pythonProgramFiles());
  const state = await readProgram(dir.path);
  assertEquals(state.config, {
    ...DEFAULT_CONFIG,
    max_iters: 30,
    lm: "openrouter/anthropic/claude-opus-4.5",
    sub_lm: "openrouter/qwen/qwen-coder",
    api_base: "https://openrouter.ai/api/v1",
    max_tokens: 40000,
    max_output_chars: 90000,
    verbose: true,
    track_usage: true,
  });
  assertEquals(state.instructions, PYTHON_DOCSTRING);
});

Deno.test("writeProgram() keeps unknown fields, demos, other predictors and track_trace when saving a loaded Python program", async () => {
  await using dir = await tempDir(pythonProgramFiles());
  const state = await readProgram(dir.path);
  state.config.max_iters = 12;
  await using out = await tempDir();
  await writeProgram(out.path, state);

  const config = await readJson(out.file("config.json"));
  assertEquals(Object.keys(config), [
    "model",
    "max_iters",
    "lm",
    "sub_lm",
    "api_base",
    "max_tokens",
    "max_output_chars",
    "verbose",
    "track_usage",
    "track_trace",
    "cell_timeout",
    "permission_mode",
    "idle_timeout",
    "reasoning_effort",
    "sub_lm_concurrency",
    "repl",
  ]);
  assertEquals(config.max_iters, 12);
  assertEquals(config.track_trace, false);

  const program = await readJson(out.file("program.json"));
  assertEquals(Object.keys(program), [
    "agent.generate_action",
    "agent.extract",
    "judge.predict",
    "metadata",
  ]);
  assertEquals(program["judge.predict"], PYTHON_PROGRAM["judge.predict"]);
  const action = obj(program["agent.generate_action"]);
  assertEquals(Object.keys(action), [
    "traces",
    "train",
    "demos",
    "signature",
    "lm",
  ]);
  assertEquals(action.demos, [PYTHON_DEMO]);
  const signature = obj(action.signature);
  assertEquals(signature.x_signature_note, "kept");
  assertEquals(
    signature.instructions,
    `${PYTHON_DOCSTRING}\n\n${REPL_RULES}`,
  );
  const fields = signature.fields as Json[];
  assertEquals(fields.map((f) => f.prefix), [
    "Variables Info:",
    "Repl History:",
    "Iteration:",
    "Reasoning:",
    "Code:",
  ]);
  assertEquals(fields[4].format, "py");
  assert(!String(fields[4].description).includes("Python-side"));
  assertEquals(action.lm, {
    model: "openrouter/anthropic/claude-opus-4.5",
    model_type: "chat",
    cache: true,
    num_retries: 3,
    temperature: null,
    max_tokens: 40000,
    api_base: "https://openrouter.ai/api/v1",
    track_usage: true,
    reasoning_effort: "high",
  });
  const extract = obj(program["agent.extract"]);
  assertEquals(
    (obj(extract.signature).fields as Json[]).map((f) => f.prefix),
    ["Variables Info:", "Repl History:", "Answer:"],
  );
  assert(
    String(obj(extract.signature).instructions).startsWith(PYTHON_DOCSTRING),
  );
  assertEquals(obj(extract.lm).model, "openrouter/anthropic/claude-opus-4.5");
  assertEquals(program.metadata, {
    dependency_versions: { python: "3.12", dspy: "3.1.2", cloudpickle: "3.1" },
    saved_by: "fixture",
    nanocode: { version: VERSION, deno: Deno.version.deno },
  });

  // Loading what was saved gives the same program back.
  const again = await readProgram(out.path);
  assertEquals(again.instructions, PYTHON_DOCSTRING);
  assertEquals(again.config, state.config);
});

Deno.test("writeProgram() writes no key or token when the loaded files held masked ones", async () => {
  const program = structuredClone(PYTHON_PROGRAM) as Json;
  obj(program["agent.extract"]).lm = { model: "m", hf_token: "********" };
  obj(program["judge.predict"]).lm = { model: "m", api_key: "sk-real" };
  await using dir = await tempDir({
    "config.json": pyDump({
      model: null,
      max_iters: 5,
      api_key: "********",
      MODAIC_TOKEN: "x",
      db_password: "p",
    }),
    "program.json": pyDump(program),
  });
  await using out = await tempDir();
  await writeProgram(out.path, await readProgram(dir.path));
  for (const name of ["config.json", "program.json"]) {
    const text = await out.read(name);
    for (
      const bad of [
        "api_key",
        "hf_token",
        "TOKEN",
        "password",
        "********",
        "sk-real",
      ]
    ) {
      assert(!text.includes(bad), `${name} contains ${bad}`);
    }
  }
  assertStringIncludes(await out.read("program.json"), '"max_tokens": 50000');
});

Deno.test("writeProgram() formats both files like Python's json.dumps(indent=2) when saving", async () => {
  await using out = await tempDir();
  const state: ProgramState = {
    config: { ...DEFAULT_CONFIG },
    instructions: "Réponds brièvement 🙂",
  };
  await writeProgram(out.path, state);
  const config = await Deno.readFile(out.file("config.json"));
  assertEquals(
    new TextDecoder().decode(config),
    `{
  "model": null,
  "max_iters": 50,
  "lm": "openrouter/openai/gpt-5.2-codex",
  "sub_lm": "openrouter/openai/gpt-5-mini",
  "api_base": "https://openrouter.ai/api/v1",
  "max_tokens": 50000,
  "max_output_chars": 100000,
  "verbose": false,
  "track_usage": true,
  "track_trace": false,
  "cell_timeout": 120,
  "permission_mode": "ask",
  "idle_timeout": 600,
  "reasoning_effort": "",
  "sub_lm_concurrency": 32,
  "repl": "js"
}`,
  );
  const bytes = await Deno.readFile(out.file("program.json"));
  assert(bytes.every((b) => b < 0x80), "program.json has non-ASCII bytes");
  const text = new TextDecoder().decode(bytes);
  assert(!text.endsWith("\n"), "trailing newline");
  assert(
    text.startsWith(
      '{\n  "agent.generate_action": {\n    "traces": [],\n    "train": [],\n    "demos": [],\n    "signature": {\n      "instructions": "R\\u00e9ponds bri\\u00e8vement \\ud83d\\ude42\\n\\n',
    ),
    text.slice(0, 300),
  );
  for (const line of text.split("\n")) {
    assert(
      /^( {2})*[^ ]/.test(line),
      `bad indentation: ${JSON.stringify(line)}`,
    );
  }
  assertStringIncludes(text, '"temperature": null,');
  assertStringIncludes(
    text,
    '\n  "metadata": {\n    "dependency_versions": {\n      "dspy": "3.1.2"\n    },',
  );
  const parsed = JSON.parse(text);
  assertEquals(Object.keys(parsed), [
    "agent.generate_action",
    "agent.extract",
    "metadata",
  ]);
  assertEquals(
    parsed["agent.generate_action"].signature.instructions,
    `Réponds brièvement 🙂\n\n${REPL_RULES}`,
  );
});

Deno.test("readProgram() gives back what writeProgram() wrote when the program is nanocode's own", async () => {
  await using out = await tempDir();
  const state = defaultProgramState({
    max_iters: 7,
    verbose: true,
    cell_timeout: 2.5,
    permission_mode: "auto-edit",
  });
  state.instructions = "Work on the docs only.\n\nKeep answers short.";
  await writeProgram(out.path, state);
  const first = await out.read("program.json");
  const loaded = await readProgram(out.path);
  assertEquals(loaded.config, state.config);
  assertEquals(loaded.instructions, state.instructions);
  await writeProgram(out.path, loaded);
  assertEquals(await out.read("program.json"), first);
  const temps = [...Deno.readDirSync(out.path)].map((e) => e.name).sort();
  assertEquals(temps, ["config.json", "program.json"]);
});

Deno.test("readProgram() reads the flat single-predictor layout and a null lm", async () => {
  await using dir = await tempDir({
    "program.json": pyDump({
      traces: [],
      train: [],
      demos: [{ task: "t", answer: "a" }],
      signature: { instructions: "Answer in haiku.", fields: [] },
      lm: null,
      metadata: { dependency_versions: { dspy: "3.1.2" } },
    }),
  });
  const state = await readProgram(dir.path);
  assertEquals(state.instructions, "Answer in haiku.");
  assertEquals(state.config, { ...DEFAULT_CONFIG });
  await writeProgram(dir.path, state);
  const program = await readJson(dir.file("program.json"));
  assertEquals(obj(program["agent.generate_action"]).demos, [{
    task: "t",
    answer: "a",
  }]);
  assertEquals(Object.keys(program).at(-1), "metadata");
});

Deno.test("readProgram() uses CODING_INSTRUCTIONS when program.json is missing", async () => {
  await using dir = await tempDir({
    "config.json": '{"model": null, "max_iters": 3, "sub_lm": null}',
  });
  const state = await readProgram(dir.path);
  assertEquals(state.instructions, CODING_INSTRUCTIONS);
  assertEquals(state.config.max_iters, 3);
  assertEquals(state.config.sub_lm, DEFAULT_CONFIG.sub_lm);
});

Deno.test("readProgram() takes the whole text as instructions when it has no known template", async () => {
  await using dir = await tempDir({
    "program.json": pyDump({
      "agent.generate_action": { signature: { instructions: "Only this." } },
    }),
  });
  assertEquals((await readProgram(dir.path)).instructions, "Only this.");
});

Deno.test("readProgram() fails naming the file when a config value is invalid", async () => {
  await using dir = await tempDir({ "config.json": '{"max_iters": "many"}' });
  await assertRejects(
    () => readProgram(dir.path),
    TypeError,
    `"${dir.file("config.json")}" value "many": max_iters must be an integer`,
  );
});

Deno.test("readProgram() fails naming the file when it is not JSON", async () => {
  await using dir = await tempDir({ "program.json": "{nope" });
  await assertRejects(
    () => readProgram(dir.path),
    SyntaxError,
    `Cannot read "${dir.file("program.json")}": not valid JSON`,
  );
});

Deno.test("readProgram() fails when the folder holds no program", async () => {
  await using dir = await tempDir();
  await assertRejects(
    () => readProgram(dir.path),
    Deno.errors.NotFound,
    "neither config.json nor program.json",
  );
});
