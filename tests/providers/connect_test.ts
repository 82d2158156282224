/**
 * Item 2 for servers that do not answer at all: Ollama not started (or
 * elsewhere), and a port fetch refuses to connect to. Each fails at once
 * with one line saying what to do.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { runCli } from "../helpers/cli.ts";
import { startEmulator } from "../helpers/emulator/server.ts";
import { tempDir } from "../helpers/temp.ts";

/** A loopback port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function run(env: Record<string, string>) {
  await using dir = await tempDir({});
  return await runCli(["-p", "hi"], { cwd: dir.path, env });
}

Deno.test("nanocode says to start Ollama (or set OLLAMA_HOST) when nothing answers for an ollama/ model", async () => {
  const result = await run({
    NANOCODE_LM: "ollama/qwen2.5-coder:7b",
    OLLAMA_HOST: `127.0.0.1:${closedPort()}`,
  });
  assertEquals(result.code, 1);
  const line = result.stderr.trim();
  assertStringIncludes(line, "Cannot reach Ollama");
  assertStringIncludes(line, "ollama serve");
  assertStringIncludes(line, "OLLAMA_HOST");
  assert(
    !line.includes("attempts"),
    "a refused local connection is not retried",
  );
});

Deno.test("nanocode names a port that fetch refuses instead of retrying it", async () => {
  const result = await run({
    NANOCODE_LM: "openai/qwen",
    NANOCODE_API_BASE: "http://127.0.0.1:6000/v1",
  });
  assertEquals(result.code, 1);
  const line = result.stderr.trim();
  assertStringIncludes(line, "fetch refuses its port 6000");
  assert(!line.includes("attempts"), line);
});

Deno.test("nanocode says the model does not fit in memory when Ollama cannot load it, without retrying", async () => {
  await using emu = await startEmulator({
    provider: "ollama",
    memory: { needGiB: 5.3, freeGiB: 4.4 },
    script: [],
  });
  await using dir = await tempDir({});
  const result = await runCli(["-p", "hi"], {
    cwd: dir.path,
    env: { NANOCODE_LM: "ollama/qwen2.5-coder:7b", OLLAMA_HOST: emu.url },
  });
  assertEquals(result.code, 1);
  const line = result.stderr.trim();
  assertStringIncludes(line, "cannot load model");
  assertStringIncludes(line, "requires more system memory (5.3 GiB)");
  assertStringIncludes(line, "smaller model");
  assertEquals(emu.chats().length, 1);
});
