import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { tempDir } from "../helpers/temp.ts";
import type { TaskResult } from "../../src/batch/types.ts";
import { byTask, gitRepo, writeFilePlay } from "./_fixtures.ts";
import { gate, jsonLines, spawnCli } from "./_cli.ts";
import { plain, startPty } from "../helpers/pty.ts";

function taskLine(id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    id,
    task: `[task ${id}] Write the file task-${id}.txt.`,
    ...extra,
  });
}

Deno.test("nanocode batch prints one JSON event per task, the summary, and exits 1 when a task failed", async () => {
  await using repo = await gitRepo({ "README.md": "# app\n" });
  await using dir = await tempDir({
    "suite/tasks.jsonl": [
      taskLine("ok", { repo: "../repo", verify: "test -f task-ok.txt" }),
      taskLine("bad-setup", {
        repo: "../repo",
        setup:
          "echo installing; echo 'npm ERR! missing script: build' >&2; exit 7",
        verify: "true",
      }),
      taskLine("no-repo", { repo: "../missing" }),
      taskLine("fails-verify", { verify: "test -f nothing-here" }),
    ].join("\n") + "\n",
  });
  await Deno.symlink(repo.path, join(dir.path, "repo"));
  await using server = await startLmServer(byTask(writeFilePlay));
  const run = await runCli(
    ["batch", "suite/tasks.jsonl", "--permission-mode", "auto-edit", "-j", "2"],
    { cwd: dir.path, env: lmEnv(server.url) },
  );
  assertEquals(run.code, 1, run.stderr);
  const events = jsonLines(run.stdout);
  const tasks = events.filter((e) => e.type === "task");
  assertEquals(tasks.map((e) => e.id).sort(), [
    "bad-setup",
    "fails-verify",
    "no-repo",
    "ok",
  ]);
  assert(tasks.every((e) => !("diff" in e) && !("answer" in e)));
  const summary = events.at(-1)!;
  assertEquals(summary.type, "summary");
  assertEquals(summary.done, 2);
  assertEquals(summary.failed, 2);
  assertEquals(summary.causes, {
    setup: ["bad-setup"],
    copy: ["no-repo"],
    "verify failed": ["fails-verify"],
  });

  const results = new Map(
    (await dir.read("results.jsonl")).trim().split("\n").map((l) => {
      const r = JSON.parse(l) as TaskResult;
      return [r.id, r];
    }),
  );
  const setup = results.get("bad-setup")!;
  assertEquals(setup.status, "failed");
  assertEquals(setup.error?.cause, "setup");
  assertStringIncludes(setup.error!.message, "exited with code 7");
  assertStringIncludes(setup.error!.message, "npm ERR! missing script");
  assertEquals(setup.verify_exit, null);
  assertEquals(setup.answer, null);
  assertEquals(setup.usage.lmCalls, 0);
  assertEquals(results.get("no-repo")!.error?.cause, "copy");
  assertStringIncludes(
    results.get("no-repo")!.error!.message,
    "does not exist",
  );
  assertEquals(results.get("ok")!.verify_exit, 0);
  assertEquals(results.get("fails-verify")!.status, "done");
  assertEquals(results.get("fails-verify")!.verify_exit, 1);
  // The summary table goes to stderr, for people.
  assertStringIncludes(
    run.stderr,
    "verify    1/3 passed (33%), 1 failed, 1 not run",
  );
  assertStringIncludes(run.stderr, "not passed, by cause:");
  // No model call was made for the tasks that failed before the agent.
  const chats = server.requests.filter((r) => r.method === "POST");
  const asked = new Set(chats.map((r) => {
    const m = r.body.messages?.find((x) => x.role === "user")?.content ?? "";
    return /\[task ([^\]]+)\]/.exec(m)?.[1];
  }));
  assertEquals([...asked].sort(), ["fails-verify", "ok"]);
});

Deno.test("nanocode batch refuses a bad tasks file with one message per bad line and exit code 2", async () => {
  await using dir = await tempDir({
    "tasks.jsonl": [
      taskLine("a"),
      "{not json",
      taskLine("a"),
      JSON.stringify({ id: "b" }),
      JSON.stringify({ id: "c", task: "x", verfiy: "true" }),
    ].join("\n"),
  });
  const run = await runCli(["batch", "tasks.jsonl"], {
    cwd: dir.path,
    env: lmEnv("http://127.0.0.1:9/v1"),
  });
  assertEquals(run.code, 2);
  assertStringIncludes(run.stderr, "tasks.jsonl:2: not valid JSON");
  assertStringIncludes(
    run.stderr,
    'tasks.jsonl:3: id "a" was already used on line 1',
  );
  assertStringIncludes(run.stderr, 'tasks.jsonl:4: "task" is missing');
  assertStringIncludes(run.stderr, 'tasks.jsonl:5: unknown key "verfiy"');
  assertEquals(run.stdout, "");
  // Nothing ran, so nothing was written.
  assert(!(await Deno.stat(dir.file("results.jsonl")).catch(() => null)));
});

Deno.test("nanocode batch says in one line when the results file cannot be opened", async () => {
  await using dir = await tempDir({
    "tasks.jsonl": taskLine("a") + "\n",
    "taken/.keep": "",
  });
  for (const out of ["tasks.jsonl/results.jsonl", "taken"]) {
    const run = await runCli(["batch", "tasks.jsonl", "--out", out], {
      cwd: dir.path,
      env: lmEnv("http://127.0.0.1:9/v1"),
    });
    assertEquals(run.code, 2, run.stderr);
    assertStringIncludes(run.stderr, "nanocode: Cannot open the results file");
    assert(!run.stderr.includes("Uncaught"), run.stderr);
    assertEquals(run.stderr.trim().split("\n").length, 1, run.stderr);
    assertEquals(run.stdout, "");
  }
});

Deno.test("with --queue, a task's permission mode is judged by the workers, not the submitter", async () => {
  await using dir = await tempDir({
    "tasks.jsonl": taskLine("a", { config: { permission_mode: "auto-edit" } }) +
      "\n",
  });
  // No Redis there: the submitter gets as far as connecting.
  const run = await runCli(
    ["batch", "tasks.jsonl", "--queue", "redis://127.0.0.1:9"],
    { cwd: dir.path, env: lmEnv("http://127.0.0.1:9/v1") },
  );
  assertEquals(run.code, 2, run.stderr);
  assert(!run.stderr.includes("is not allowed"), run.stderr);
  assertStringIncludes(run.stderr, "Cannot reach Redis at 127.0.0.1:9");
});

Deno.test("nanocode batch --help and worker --help say how to use them", async () => {
  await using dir = await tempDir();
  const batch = await runCli(["batch", "--help"], { cwd: dir.path });
  assertEquals(batch.code, 0);
  for (
    const flag of [
      "--out",
      "--concurrency",
      "--timeout",
      "--max-cost",
      "--queue",
      "--retry-failed",
    ]
  ) {
    assertStringIncludes(batch.stdout, flag);
  }
  const worker = await runCli(["worker", "--help"], { cwd: dir.path });
  assertEquals(worker.code, 0);
  assertStringIncludes(worker.stdout, "--stalled-after");
  const missing = await runCli(["worker"], { cwd: dir.path });
  assertEquals(missing.code, 2);
  assertStringIncludes(
    missing.stderr,
    "nanocode worker --queue redis://HOST:6379",
  );
});

Deno.test("nanocode batch on a terminal shows a progress bar, and Ctrl-C stops it with the summary", async () => {
  await using dir = await tempDir({
    "tasks.jsonl": ["t1", "t2", "t3"].map((id) =>
      taskLine(id, { verify: `test -f task-${id}.txt` })
    ).join("\n"),
  });
  const held = gate();
  await using server = await startLmServer(byTask(async (id, step) => {
    if (id === "t3") await held.promise;
    return writeFilePlay(id, step);
  }));
  try {
    await using pty = startPty(
      ["batch", "tasks.jsonl", "-j", "3", "--permission-mode", "auto-edit"],
      { cwd: dir.path, env: lmEnv(server.url), columns: 120 },
    );
    await pty.waitFor(/2\/3 done · 0 failed · 1 running · [\d.]+k? tok/);
    const shown = plain(pty.output);
    assertStringIncludes(shown, "✓ t1 done in");
    assertStringIncludes(shown, "verify passed");
    await pty.send("\x03");
    assertEquals(await pty.exit(), 130);
    const screen = plain(pty.output);
    assertStringIncludes(screen, "stopping (running tasks are abandoned");
    assertStringIncludes(screen, "Interrupted: finished tasks are kept");
    assertStringIncludes(
      screen,
      "tasks     3: 2 done, 0 failed, 0 timed out, 1 not finished",
    );
  } finally {
    held.open();
  }
  const results = (await dir.read("results.jsonl")).trim().split("\n")
    .map((l) => JSON.parse(l).id).sort();
  assertEquals(results, ["t1", "t2"]);
});

/** Live `sleep` processes whose argument starts with `prefix`. */
async function sleepers(prefix: string): Promise<number> {
  let found = 0;
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const argv = (await Deno.readTextFile(`/proc/${entry.name}/cmdline`)
      .catch(() => "")).split("\0");
    const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`)
      .catch(() => "");
    const zombie = stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
    if (!zombie && argv[0].endsWith("sleep") && argv[1]?.startsWith(prefix)) {
      found++;
    }
  }
  return found;
}

/** Waits until `check` is true, looking again every 50 ms (at most `ms`). */
async function eventually(check: () => Promise<boolean>, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!await check()) {
    if (Date.now() > deadline) throw new Error("the condition never held");
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test("a batch killed with SIGKILL while a verify command runs leaves none of its processes behind", async () => {
  const tag = `987.${Math.floor(Math.random() * 1e6)}`;
  await using dir = await tempDir({
    "tasks.jsonl": taskLine("v", {
      verify: `sleep ${tag}1 & setsid sleep ${tag}2 & sleep ${tag}3`,
    }),
  });
  await using server = await startLmServer(byTask(writeFilePlay));
  const run = spawnCli([
    "batch",
    "tasks.jsonl",
    "--permission-mode",
    "auto-edit",
  ], {
    cwd: dir.path,
    home: dir.path,
    env: lmEnv(server.url),
  });
  await eventually(async () => await sleepers(tag) === 3);
  run.child.kill("SIGKILL");
  await run.done;
  await eventually(async () => await sleepers(tag) === 0);
});
