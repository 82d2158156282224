/**
 * Command sandbox benchmarks (issue 10): the cost of running a command in
 * bubblewrap against a plain `bash -c`, measured in the same run, through
 * the exec layer and through `run_bash`, in a small workspace and in one of
 * 10,000 files (where the secret scan before each command shows).
 *
 * @module
 */

import { join } from "node:path";
import { createExecutor } from "../src/exec/executor.ts";
import { probeBubblewrap } from "../src/exec/probe.ts";
import { runToEnd } from "../src/exec/run.ts";
import type { Executor, SandboxLevel } from "../src/exec/types.ts";
import { secretReason } from "../src/policy/classify.ts";
import { createToolContext } from "../src/tools/context.ts";
import { runBashTool } from "../src/tools/run_bash.ts";
import { type Figure, median } from "./lib.ts";

const RUNS = 61;
const env = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" };

function executorFor(workspace: string, home: string): Executor {
  return createExecutor({
    sandbox: "auto",
    roots: [workspace],
    home,
    protectedDirs: [],
    secretReason: (path) => secretReason(path, { home, protectedDirs: [] }),
  });
}

async function runOnce(
  executor: Executor,
  cwd: string,
  level: SandboxLevel,
): Promise<void> {
  const child = await executor.spawn({
    argv: ["/bin/bash", "-c", "true"],
    cwd,
    env,
    sandbox: { level },
  });
  const result = await runToEnd(child, { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`exit code ${result.code}`);
}

/**
 * Medians of `a` and `b` timed in turn (a b a b ...), so a machine whose
 * speed drifts during the run moves both alike.
 */
async function paired(
  runs: number,
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number, number]> {
  for (let i = 0; i < 5; i++) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [j, fn] of [a, b].entries()) {
      const start = performance.now();
      await fn();
      times[j].push(performance.now() - start);
    }
  }
  return [median(times[0]), median(times[1])];
}

/** CPU seconds (user + system) of this process's reaped children so far, from /proc. */
function childCpuSeconds(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of stat (cutime, cstime) in clock ticks (USER_HZ = 100).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** Milliseconds of child CPU per call of `fn`, over `runs` calls. */
async function childCpuMs(runs: number, fn: () => Promise<unknown>) {
  const before = childCpuSeconds();
  for (let i = 0; i < runs; i++) await fn();
  return (childCpuSeconds() - before) * 1000 / runs;
}

/**
 * A workspace of 10,000 files in 1,000 folders, with a few secrets; its
 * folders are dated an hour back, as in a project that was not just made.
 */
async function bigWorkspace(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "nanocode-exec-bench-" });
  for (let d = 0; d < 1000; d++) {
    const dir = join(root, `pkg${d % 50}`, `mod${d}`);
    await Deno.mkdir(dir, { recursive: true });
    for (let f = 0; f < 10; f++) {
      await Deno.writeTextFile(
        join(dir, `f${f}.ts`),
        `export const x = ${f};\n`,
      );
    }
    if (d % 200 === 0) await Deno.writeTextFile(join(dir, ".env"), "A=1\n");
  }
  const hourAgo = Date.now() / 1000 - 3600;
  const age = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isDirectory) await age(join(dir, entry.name));
    }
    await Deno.utime(dir, hourAgo, hourAgo);
  };
  await age(root);
  return root;
}

/** Runs the command sandbox benchmarks and returns their figures. */
export async function execBench(): Promise<Figure[]> {
  const probe = await probeBubblewrap();
  if (!probe.ok) {
    console.error(`exec bench skipped: ${probe.reason}`);
    return [];
  }
  const small = await Deno.makeTempDir({ prefix: "nanocode-exec-bench-" });
  const home = await Deno.makeTempDir({ prefix: "nanocode-exec-home-" });
  const big = await bigWorkspace();
  const smallExec = executorFor(small, home);
  const bigExec = executorFor(big, home);
  try {
    const [plain, sandboxed] = await paired(
      RUNS,
      () => runOnce(smallExec, small, "none"),
      () => runOnce(smallExec, small, "workspace"),
    );
    const [plainAgain, open] = await paired(
      RUNS,
      () => runOnce(smallExec, small, "none"),
      () => runOnce(smallExec, small, "open"),
    );
    const [sandboxedAgain, bigSandboxed] = await paired(
      RUNS,
      () => runOnce(smallExec, small, "workspace"),
      () => runOnce(bigExec, big, "workspace"),
    );

    // What bubblewrap costs with nothing but one bind mount: the floor.
    const direct = (program: string, args: string[]) => async () => {
      const out = await new Deno.Command(program, {
        args,
        env,
        clearEnv: true,
        stdout: "null",
        stderr: "null",
      }).output();
      if (!out.success) throw new Error(`${program} failed`);
    };
    const [bare, floor] = await paired(
      RUNS,
      direct("/bin/bash", ["-c", "true"]),
      direct(probe.path, ["--bind", "/", "/", "/bin/bash", "-c", "true"]),
    );

    // CPU rather than wall time: the kernel's namespace set-up and
    // teardown make bubblewrap wait far more than it computes.
    const cpuRuns = 300;
    const plainCpu = await childCpuMs(
      cpuRuns,
      () => runOnce(smallExec, small, "none"),
    );
    const sandboxCpu = await childCpuMs(
      cpuRuns,
      () => runOnce(smallExec, small, "workspace"),
    );

    const context = createToolContext({ workspace: small, env, rgPath: null });
    const tool = (sandbox: SandboxLevel) => ({
      ...context,
      executor: smallExec,
      confirmCommand: () => Promise.resolve({ sandbox: { level: sandbox } }),
    });
    const plainTool = tool("none");
    const sandboxTool = tool("workspace");
    const [runBashPlain, runBashSandboxed] = await paired(
      RUNS,
      () => runBashTool.run(["true"], plainTool),
      () => runBashTool.run(["true"], sandboxTool),
    );

    const baseline = "plain bash -c true (same layer)";
    return [
      {
        name: "bash -c true in the sandbox (exec layer)",
        value: sandboxed,
        baseline: plain,
        baselineName: baseline,
        unit: "ms",
        limit: 1.5,
      },
      {
        name: "bwrap --bind / / bash -c true (bubblewrap's floor)",
        value: floor,
        baseline: bare,
        baselineName: "bash -c true spawned directly",
        unit: "ms",
        limit: 1.5,
      },
      {
        name: "CPU of bash -c true in the sandbox (all processes)",
        value: sandboxCpu,
        baseline: plainCpu,
        baselineName: "CPU of plain bash -c true",
        unit: "ms",
        limit: 1.5,
      },
      {
        name: "bash -c true at the open level (yolo)",
        value: open,
        baseline: plainAgain,
        baselineName: baseline,
        unit: "ms",
        limit: 1.5,
      },
      {
        name: "run_bash('true') in the sandbox",
        value: runBashSandboxed,
        baseline: runBashPlain,
        baselineName: "run_bash('true') without a sandbox",
        unit: "ms",
        limit: 1.5,
      },
      {
        name: "sandboxed true, 10,000-file workspace (secret scan)",
        value: bigSandboxed,
        baseline: sandboxedAgain,
        baselineName: "sandboxed true, empty workspace",
        unit: "ms",
        limit: 2,
      },
    ];
  } finally {
    await smallExec.close();
    await bigExec.close();
    for (const dir of [small, home, big]) {
      await Deno.remove(dir, { recursive: true });
    }
  }
}
