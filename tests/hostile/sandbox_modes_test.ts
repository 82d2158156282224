/**
 * The sandbox and the permission modes: what asks, what runs where, the
 * agent's own environment out of reach, the process tree tied to the
 * agent, and the plain fallback where bubblewrap cannot start.
 */

import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../helpers/assert.ts";
import { NO_BWRAP } from "../helpers/bwrap.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";
import { killMidCommand } from "./_kill.ts";
import { exists, hostile, ScriptedApprover } from "./_harness.ts";

const KEY = "sk-or-v1-agent-key-0123456789abcdef";

function git(dir: string, ...args: string[]): Promise<Deno.CommandOutput> {
  return new Deno.Command("git", {
    args: ["-C", dir, ...args],
    env: {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test({
  name:
    "hostile sandbox: auto-edit runs a sandboxed command without asking and asks for git commit, saying why",
  ignore: NO_BWRAP,
  fn: async () => {
    const approver = new ScriptedApprover(["yes"]);
    await using h = await hostile({
      mode: "auto-edit",
      approver,
      files: { "README.md": "# demo\n" },
      commandEnv: {
        PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@t",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@t",
      },
    });
    await git(h.ws.path, "init", "-q");
    const [built, committed] = await h.turn(
      "print(run_bash('echo built > out.txt && cat out.txt'))",
      "print(run_bash('git add -A && git commit -qm \"add build\" && git log --oneline'))",
    );
    assertStringIncludes(built, "built\n[exit code 0]");
    assertEquals(approver.asked.length, 1);
    assertEquals(
      approver.asked[0].subject,
      'git add -A && git commit -qm "add build" && git log --oneline',
    );
    assertEquals(approver.asked[0].reasons, [
      "runs outside the sandbox: git add writes into .git",
    ]);
    assertStringIncludes(committed, "add build");
    const log = new TextDecoder().decode(
      (await git(h.ws.path, "log", "--oneline")).stdout,
    );
    assertStringIncludes(log, "add build");
  },
});

Deno.test({
  name:
    "hostile sandbox: a command blocked by the sandbox says so; run_bash(cmd, {sandbox: false}) asks and runs outside once approved",
  ignore: NO_BWRAP,
  fn: async () => {
    await using outside = await tempDir();
    const approver = new ScriptedApprover(["no", "yes"]);
    await using h = await hostile({ mode: "auto-edit", approver });
    const target = `${outside.path}/made`;
    const [blocked, declined, approved] = await h.turn(
      `print(run_bash('mkdir ${target}'))`,
      `print(run_bash('mkdir ${target}', {sandbox: false}))`,
      `print(run_bash('mkdir ${target}', {sandbox: false, timeout_s: 30}))`,
    );
    assertStringIncludes(blocked, "No such file or directory");
    assertStringIncludes(blocked, "run_bash(cmd, {sandbox: false})");
    assertStringIncludes(declined, "Not allowed: the user declined");
    assertStringIncludes(approved, "[exit code 0]");
    assertEquals(approver.asked.map((r) => r.reasons), [
      ["runs outside the sandbox: the model asked to run it outside the sandbox"],
      ["runs outside the sandbox: the model asked to run it outside the sandbox"],
    ]);
    assert(await exists(target));
  },
});

for (const mode of ["yolo", "auto-edit"]) {
  Deno.test({
    name:
      `hostile sandbox: /proc/$PPID/environ and every /proc/*/environ read by a command in ${mode} show no API key`,
    ignore: NO_BWRAP,
    fn: async () => {
      await using dir = await tempDir({ "a.txt": "a\n" });
      await using server = await startLmServer(routeByModel([
        cell(
          "print(run_bash(\"cat /proc/$PPID/environ | tr '\\\\0' '\\\\n'; for f in /proc/[0-9]*/environ; do tr '\\\\0' '\\\\n' < $f; done; cat /proc/$PPID/cmdline; echo; ls /proc | grep -c '^[0-9]'\"))",
        ),
        cell("SUBMIT('looked')"),
      ]));
      const run = await runCli(["--output-format", "json", "look around"], {
        cwd: dir.path,
        env: lmEnv(server.url, {
          OPENAI_API_KEY: KEY,
          OPENROUTER_API_KEY: KEY,
          NANOCODE_PERMISSION_MODE: mode,
        }),
      });
      assertEquals(run.code, 0, run.stderr);
      const observation = JSON.parse(run.stdout).steps[0].observation;
      assertStringIncludes(observation, "PATH=");
      assert(!observation.includes(KEY), observation);
      for (const request of requestsOf(server.requests, MAIN_MODEL)) {
        assert(!JSON.stringify(request.body).includes(KEY));
      }
    },
  });
}

Deno.test({
  name:
    "hostile sandbox: SIGKILL of the agent during a command leaves none of its processes running",
  ignore: NO_BWRAP,
  fn: async () => {
    const { before, left } = await killMidCommand(
      "yolo",
      (s) =>
        `setsid sleep ${s} & nohup sleep ${s} >/dev/null 2>&1 & (sleep ${s} &); sleep ${s}`,
      4,
    );
    assertEquals(before, 4);
    assertEquals(left, []);
  },
});

Deno.test("hostile sandbox: where bubblewrap cannot start, nanocode says so once and asks as before", async () => {
  await using dir = await tempDir();
  // What bwrap prints in a container that forbids new namespaces.
  await using bin = await tempDir({
    bwrap:
      "#!/bin/sh\necho 'bwrap: Creating new namespace failed: Operation not permitted' >&2\nexit 1\n",
  });
  await Deno.chmod(bin.file("bwrap"), 0o755);
  await using server = await startLmServer(routeByModel([
    cell("print(run_bash('touch made-it'))"),
    cell("print(run_bash('touch made-it'))"),
    cell("SUBMIT('tried')"),
  ]));
  const run = await runCli(["--output-format", "json", "make a file"], {
    cwd: dir.path,
    env: lmEnv(server.url, {
      PATH: `${bin.path}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      NANOCODE_PERMISSION_MODE: "auto-edit",
      NANOCODE_SANDBOX: "auto",
    }),
  });
  assertEquals(run.code, 0, run.stderr);
  const notices = run.stderr.split("\n").filter((l) => l.includes("Sandbox"));
  assertEquals(notices, [
    "⏺ Sandbox: none, bubblewrap cannot start here (bwrap: Creating new namespace failed: Operation not permitted). Commands run with your full rights and ask as before (see the permission mode).",
  ]);
  const steps = JSON.parse(run.stdout).steps;
  for (const step of steps.slice(0, 2)) {
    assertStringIncludes(
      step.observation,
      "needs approval (commands ask in auto-edit mode)",
    );
  }
  assert(!await exists(dir.file("made-it")));
});
