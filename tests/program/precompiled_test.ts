import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { tempDir } from "../helpers/temp.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  messagesOf,
  requestsOf,
  routeByModel,
  SUB_MODEL,
} from "../helpers/script.ts";
import { CodingAgent } from "../../src/agent/coding_agent.ts";
import { Hub } from "../../src/program/hub.ts";
import {
  loadPrecompiled,
  pushToHub,
  savePrecompiled,
} from "../../src/program/precompiled.ts";
import { defaultProgramState } from "../../src/program/state.ts";
import { VERSION } from "../../src/version.ts";
import { type HubServer, startHubServer } from "./_hub_server.ts";
import {
  PYTHON_DEMO,
  PYTHON_DOCSTRING,
  pythonProgramFiles,
} from "./_python_fixture.ts";

function hubFor(server: HubServer, cacheDir: string): Hub {
  return new Hub({
    token: server.token,
    gitUrl: server.url,
    apiUrl: server.url,
    cacheDir,
    env: (name) => (name === "PATH" ? Deno.env.get("PATH") : undefined),
  });
}

Deno.test("loadPrecompiled() reads a saved folder and lets config overrides win", async () => {
  await using dir = await tempDir();
  const state = defaultProgramState({ max_iters: 12, verbose: true });
  state.instructions = "Only touch tests.";
  await savePrecompiled(dir.path, state);
  const loaded = await loadPrecompiled(dir.path, {
    config: { max_iters: 3, lm: undefined },
  });
  assertEquals(loaded.instructions, "Only touch tests.");
  assertEquals(loaded.config, { ...state.config, max_iters: 3 });
});

Deno.test("pushToHub() pushes a program that loadPrecompiled() loads back at a revision", async () => {
  await using server = await startHubServer();
  await using cache = await tempDir();
  const hub = hubFor(server, cache.path);
  const state = defaultProgramState({ max_iters: 21 });
  state.instructions = "Version one.";
  const pushed = await pushToHub("alice/nano", state, {
    hub,
    branch: "prod",
    tag: "v1",
    commitMessage: "Release",
  });
  assertEquals(pushed.branch, "prod");
  state.instructions = "Version two.";
  await pushToHub("alice/nano", state, { hub, branch: "prod" });

  const atTag = await loadPrecompiled("alice/nano", { hub, rev: "v1" });
  assertEquals(atTag.instructions, "Version one.");
  assertEquals(atTag.config.max_iters, 21);
  const atBranch = await loadPrecompiled("alice/nano", {
    hub,
    rev: "prod",
    config: { verbose: true },
  });
  assertEquals(atBranch.instructions, "Version two.");
  assertEquals(atBranch.config.verbose, true);
  assertStringIncludes(
    await server.show("alice", "nano", "prod", "README.md"),
    `---\nnanocode_version: "${VERSION}"\ndspy_state_format: "3.1.2"\n---\n`,
  );
});

Deno.test("loadPrecompiled() loads a Python program from the hub and it drives the agent", async () => {
  await using server = await startHubServer();
  await server.createRepo("alice", "pynano");
  await server.commit("alice", "pynano", "prod", {
    ...pythonProgramFiles(),
    "nanocode.py": "class Nanocode: ...\n",
    "auto_classes.json": '{"AutoProgram": "nanocode.Nanocode"}',
  });
  await using cache = await tempDir();
  await using lm = await startLmServer(
    routeByModel([cell("SUBMIT('Loaded from the hub.')")]),
  );
  const state = await loadPrecompiled("alice/pynano", {
    hub: hubFor(server, cache.path),
    rev: "prod",
    config: {
      lm: `openai/${MAIN_MODEL}`,
      sub_lm: `openai/${SUB_MODEL}`,
      api_base: lm.url,
      cell_timeout: 30,
    },
  });
  assertEquals(state.instructions, PYTHON_DOCSTRING);
  assertEquals(state.config.max_iters, 30);
  assertEquals(state.config.max_output_chars, 90000);

  await using workspace = await tempDir({ "a.txt": "hi\n" });
  await using agent = new CodingAgent({
    workspace: workspace.path,
    config: state.config,
    instructions: state.instructions,
    env: (name) => (name === "OPENAI_API_KEY" ? "test-key" : undefined),
  });
  const result = await agent.forward("Say where you came from.");
  assertEquals(result.answer, "Loaded from the hub.");
  const system = messagesOf(requestsOf(lm.requests, MAIN_MODEL)[0])[0];
  assertEquals(system.role, "system");
  assert(system.content.startsWith(PYTHON_DOCSTRING), system.content);
  assert(!system.content.includes("You are tasked with producing"));
  assertStringIncludes(system.content, "30 cells");

  // Saving it back keeps the Python side's demos and extra files.
  await using dir = await tempDir();
  await savePrecompiled(dir.path, state);
  const program = JSON.parse(await dir.read("program.json"));
  assertEquals(program["agent.generate_action"].demos, [PYTHON_DEMO]);
});
