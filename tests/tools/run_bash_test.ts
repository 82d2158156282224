import { join } from "node:path";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "./_assert.ts";
import { runBashTool } from "../../src/tools/run_bash.ts";
import { findMarkedProcesses } from "../../src/exec/process_tree.ts";
import type { ToolContext } from "../../src/tools/types.ts";
import { withContext, withWorkspace } from "./_helpers.ts";

const bash = (context: ToolContext, ...args: unknown[]) =>
  runBashTool.run(args, context);

/** True when the process is gone or a zombie (dead, not yet reaped). */
function deadNow(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** Whether `pid` is gone: a killed process on a busy machine may take a moment to exit. */
async function isDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && !deadNow(pid); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return deadNow(pid);
}

async function readPid(path: string): Promise<number | null> {
  try {
    const text = (await Deno.readTextFile(path)).trim();
    return text === "" ? null : Number(text);
  } catch {
    return null;
  }
}

const IS_LINUX = Deno.build.os === "linux";

Deno.test("run_bash() returns output and the exit code", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(await bash(context, "echo hello"), "hello\n[exit code 0]");
    assertEquals(
      await bash(context, "printf 'no newline'; exit 3"),
      "no newline\n[exit code 3]",
    );
    assertEquals(await bash(context, "false"), "(empty output)\n[exit code 1]");
  });
});

Deno.test("run_bash() merges stdout and stderr in order", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(
      await bash(context, "echo one; echo two >&2; echo three; echo four >&2"),
      "one\ntwo\nthree\nfour\n[exit code 0]",
    );
  });
});

Deno.test("run_bash() shows bash syntax errors", async () => {
  await withWorkspace(async (_ws, context) => {
    const out = await bash(context, "if then fi");
    assertStringIncludes(out, "syntax error");
    assert(out.endsWith("[exit code 2]"), out);
  });
});

Deno.test("run_bash() runs in the workspace folder", async () => {
  await withWorkspace(async (ws, context) => {
    assertEquals(await bash(context, "pwd"), `${ws}\n[exit code 0]`);
  });
});

Deno.test("run_bash() closes stdin so cat returns at once", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(
      await bash(context, "cat", 60),
      "(empty output)\n[exit code 0]",
    );
    assertEquals(
      await bash(context, 'read -r x; echo "read=$?"', 60),
      "read=1\n[exit code 0]",
    );
  });
});

Deno.test("run_bash() passes context.env and a run marker to the command", async () => {
  await withWorkspace(async (_ws, context) => {
    const env = {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      MY_VAR: "hello world",
    };
    const out = await bash(
      withContext(context, { env }),
      'echo "$MY_VAR"; echo "${HOME-unset}"; echo "${NANOCODE_RUN:+marked}"',
    );
    assertEquals(out, "hello world\nunset\nmarked\n[exit code 0]");
  });
});

Deno.test("run_bash() streams output to onOutput as it arrives", async () => {
  await withWorkspace(async (_ws, context) => {
    const seen: string[] = [];
    const live = withContext(context, { onOutput: (t) => seen.push(t) });
    await bash(live, "echo a; echo b >&2; echo c");
    assertEquals(seen.join(""), "a\nb\nc\n");
  });
});

Deno.test("run_bash() decodes invalid UTF-8 with replacement characters", async () => {
  await withWorkspace(async (_ws, context) => {
    assertEquals(
      await bash(context, "printf 'a\\xffb\\n'"),
      "a\uFFFDb\n[exit code 0]",
    );
  });
});

Deno.test("run_bash() returns the whole output of a few megabytes so code can process it", async () => {
  await withWorkspace(async (_ws, context) => {
    const out = await bash(context, "seq 1 500000", 60);
    const lines = out.split("\n");
    assertEquals(lines.length, 500_001);
    assertEquals(lines[0], "1");
    assertEquals(lines[250_000], "250001");
    assertEquals(lines.at(-2), "500000");
    assertEquals(lines.at(-1), "[exit code 0]");
  });
});

Deno.test("run_bash() fails with the exit code, the size and the output's ends when the output passes MAX_RESULT_BYTES", async () => {
  await withWorkspace(async (ws, context) => {
    const error = await assertRejects(
      () =>
        bash(
          context,
          "echo START; head -c 50000000 /dev/zero | tr '\\0' a; echo; echo END; touch done; exit 3",
          300,
        ),
      Error,
    );
    assert(
      error.message.startsWith(
        "run_bash: the command's output was 50.0 MB, more than the 8 MB run_bash returns (it ran to its end, exit code 3); send the output to a file and read or search it in parts",
      ),
      error.message.slice(0, 300),
    );
    assertStringIncludes(error.message, "Its start and end:\nSTART\naaaa");
    assert(error.message.endsWith(`${"a".repeat(100)}\nEND\n`));
    assert(error.message.length < 6000, `length ${error.message.length}`);
    // The command ran to its end.
    assert((await Deno.stat(join(ws, "done"))).isFile);
    // The same output through a file reads back in parts.
    const saved = await bash(
      context,
      "head -c 50000000 /dev/zero | tr '\\0' a > out.txt; wc -c < out.txt",
      300,
    );
    assertEquals(saved, "50000000\n[exit code 0]");
  });
});

Deno.test("run_bash() does not hang on a background child holding the output open", async () => {
  await withWorkspace(async (ws, context) => {
    const out = await bash(
      context,
      `sleep 1000 & echo $! > ${ws}/bg.pid; echo started`,
      60,
    );
    assertEquals(out, "started\n[exit code 0]");
    const pid = await readPid(join(ws, "bg.pid"));
    assert(pid !== null && await isDead(pid), "background sleep was killed");
  });
});

Deno.test({
  name:
    "run_bash() kills the whole process tree including setsid children when it times out",
  ignore: !IS_LINUX,
  fn: async () => {
    await withWorkspace(async (ws, context) => {
      const tag = crypto.randomUUID();
      const env = { ...context.env, TEST_TAG: tag };
      const script = [
        `sleep 1000 & echo $! > bg.pid`,
        `setsid bash -c 'echo $$ > ss.pid; exec sleep 1000' &`,
        `nohup sleep 1000 > /dev/null 2>&1 & echo $! > nohup.pid`,
        `echo ready`,
        `sleep 1000`,
      ].join("\n");
      const out = await bash(withContext(context, { env }), script, 1);
      assert(
        out.endsWith(
          "[timed out after 1 s: the command and its child processes were killed]",
        ),
        out,
      );
      for (const name of ["bg.pid", "ss.pid", "nohup.pid"]) {
        const pid = await readPid(join(ws, name));
        if (pid !== null) {
          assert(await isDead(pid), `${name} ${pid} still alive`);
        }
      }
      assertEquals(await findMarkedProcesses(`TEST_TAG=${tag}`), []);
    });
  },
});

Deno.test({
  name: "run_bash() kills the process tree and says so when the signal aborts",
  ignore: !IS_LINUX,
  fn: async () => {
    await withWorkspace(async (ws, context) => {
      const tag = crypto.randomUUID();
      const controller = new AbortController();
      const live = withContext(context, {
        env: { ...context.env, TEST_TAG: tag },
        signal: controller.signal,
        onOutput: (text) => {
          if (text.includes("ready")) controller.abort();
        },
      });
      const script = [
        `sleep 1000 & echo $! > bg.pid`,
        `setsid bash -c 'echo $$ > ss.pid; exec sleep 1000' &`,
        `while [ ! -s ss.pid ]; do sleep 0.01; done`,
        `echo ready`,
        `sleep 1000`,
      ].join("\n");
      const out = await bash(live, script, 600);
      assertEquals(
        out,
        "ready\n[exit code 137]\n[interrupted: the command and its child processes were killed]",
      );
      for (const name of ["bg.pid", "ss.pid"]) {
        const pid = await readPid(join(ws, name));
        assert(pid !== null, `${name} written before ready`);
        assert(await isDead(pid), `${name} ${pid} still alive`);
      }
      assertEquals(await findMarkedProcesses(`TEST_TAG=${tag}`), []);
    });
  },
});

Deno.test({
  name:
    "run_bash() kills a setsid child that holds the output open after the command exits",
  ignore: !IS_LINUX,
  fn: async () => {
    await withWorkspace(async (ws, context) => {
      const out = await bash(
        context,
        `setsid bash -c 'echo $$ > ss.pid; exec sleep 1000' & while [ ! -s ss.pid ]; do sleep 0.01; done; echo done`,
        60,
      );
      assertEquals(out, "done\n[exit code 0]");
      const pid = await readPid(join(ws, "ss.pid"));
      assert(pid !== null && await isDead(pid), "setsid sleep was killed");
    });
  },
});

Deno.test("run_bash() throws without running when the signal is already aborted", async () => {
  await withWorkspace(async (ws, context) => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await assertRejects(
      () =>
        bash(
          withContext(context, { signal: controller.signal }),
          `touch ${ws}/ran`,
        ),
      Error,
      "stop",
    );
    assertEquals(await readPid(join(ws, "ran")), null);
  });
});

Deno.test("run_bash() throws TypeError when timeout_s is out of range", async () => {
  await withWorkspace(async (_ws, context) => {
    await assertRejects(
      () => bash(context, "true", 0),
      TypeError,
      "run_bash(cmd, timeout_s?, sandbox?): timeout_s must be more than 0",
    );
    await assertRejects(
      () => bash(context, "true", 601),
      TypeError,
      "run_bash(cmd, timeout_s?, sandbox?): timeout_s must be at most 600",
    );
  });
});
