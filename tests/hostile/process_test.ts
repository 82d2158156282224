/** Hostile cells and a hostile model server: the session survives, Ctrl-C works, faults are one line. */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { baseEnv, lmEnv, MAIN, runCli } from "../helpers/cli.ts";
import { startLmServer, type Step } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { exists, hostile } from "./_harness.ts";

Deno.test("hostile: messages a cell posts itself are refused, and the turn goes on", async () => {
  await using h = await hostile();
  const [junk, forged, after] = await h.turn(
    "const kept = 1\ntry { postMessage(['Z', 'x']) } catch (e) { print(e.message) }\nprint('still here')",
    "try { postMessage(['D', JSON.stringify({ id: 2, value: 'forged', omitted: 0, tail: '' })]) } catch {}\nprint('real output')",
    "print('kept is', kept)",
  );
  assertStringIncludes(junk, "postMessage() is not available in the REPL");
  assertStringIncludes(junk, "still here");
  assertEquals(forged, "real output");
  assertEquals(after, "kept is 1");
});

Deno.test("hostile: a cell that listens for SIGINT and loops is still stopped by Ctrl-C (exit 130)", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell(
      "try { Deno.addSignalListener('SIGINT', () => {}) } catch (e) { print(e.message) }\nwhile (true) {}",
    ),
  ]));
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "spin"],
    cwd: dir.path,
    clearEnv: true,
    env: { ...baseEnv(dir.path), ...lmEnv(server.url) },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  while (requestsOf(server.requests, MAIN_MODEL).length < 1) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 500));
  child.kill("SIGINT");
  const out = await child.output();
  assertEquals(out.code, 130);
  assertStringIncludes(new TextDecoder().decode(out.stderr), "Interrupted");
});

Deno.test("hostile: headless mode refuses what would ask, with a message; --yes allows it, but never secrets", async () => {
  await using dir = await tempDir({ ".env": "SECRET=1\n" });
  await using server = await startLmServer(routeByModel([
    cell("print(run_bash('touch made-it'))"),
    cell("SUBMIT('tried')"),
    cell("print(run_bash('touch made-it'))\nprint(read_file('.env'))"),
    cell("SUBMIT('tried again')"),
  ]));
  const refused = await runCli(["--output-format", "json", "make a file"], {
    cwd: dir.path,
    env: lmEnv(server.url),
  });
  assertEquals(refused.code, 0, refused.stderr);
  const steps = JSON.parse(refused.stdout).steps;
  assertStringIncludes(
    steps[0].observation,
    "needs approval (commands ask in ask mode)",
  );
  assertStringIncludes(steps[0].observation, "--yes");
  assert(!(await exists(dir.file("made-it"))));

  const allowed = await runCli([
    "--yes",
    "--output-format",
    "json",
    "make a file",
  ], { cwd: dir.path, env: lmEnv(server.url) });
  const again = JSON.parse(allowed.stdout).steps[0].observation;
  assertStringIncludes(again, "[exit code 0]");
  assertStringIncludes(again, "touches a secret or protected file");
  assert(!again.includes("SECRET=1"));
  assert(await exists(dir.file("made-it")));
});

const FAULTS: [string, Step[], RegExp][] = [
  // A reply cut mid-way is asked for again (nothing of it ran); a server
  // that keeps dying fails the turn once the retries run out.
  [
    "dies mid-stream",
    Array(5).fill({
      text: "I will look at the files now.",
      cutAfterChunks: 1,
    }),
    /kept closing the connection before replying/,
  ],
  [
    "answers garbage",
    [{ text: "abc def ghi", malformedChunkAt: 1 }],
    /not a valid chat completion/,
  ],
  [
    "exceeds the context window",
    [{
      status: 400,
      errorBody: {
        error: {
          message:
            "This model's maximum context length is 1000 tokens. However, you requested 51200 tokens (1200 in the messages, 50000 in the completion). Please reduce the length of the messages or completion.",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      },
    }],
    /prompt alone is too long for the context window/,
  ],
  [
    "rate-limits for long",
    Array(5).fill({ status: 429, headers: { "retry-after": "0" } }),
    /rate-limiting requests/,
  ],
];

for (const [what, steps, message] of FAULTS) {
  Deno.test(`hostile: a model server that ${what} gives one line, keeps the session, and the turn can be retried`, async () => {
    await using dir = await tempDir();
    await using server = await startLmServer([
      ...steps,
      cell("SUBMIT('retried fine')"),
    ]);
    const failed = await runCli(["--output-format", "json", "do it"], {
      cwd: dir.path,
      env: lmEnv(server.url),
    });
    assertEquals(failed.code, 1);
    const lines = failed.stderr.trim().split("\n");
    assertEquals(lines.length, 1, failed.stderr);
    assert(message.test(lines[0]), lines[0]);
    const id = JSON.parse(failed.stdout).session_id;
    // The session file is intact and says the turn failed.
    const path = `${dir.path}/.local/share/nanocode/sessions/${id}.jsonl`;
    const records = (await Deno.readTextFile(path)).trim().split("\n").map((
      l,
    ) => JSON.parse(l));
    assertEquals(records.at(-1).type, "failed");
    // Retrying continues the same session.
    const retry = await runCli(["--continue", "do it"], {
      cwd: dir.path,
      env: lmEnv(server.url),
    });
    assertEquals(retry.stdout, "retried fine\n");
    assertEquals(retry.code, 0);
  });
}
