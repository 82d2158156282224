/**
 * Closing the terminal (SIGHUP) or killing the agent never leaves a
 * `run_bash` process tree running: background, `setsid` and `nohup`
 * children included; without the command sandbox (the supervisor's work)
 * and inside it (the sandbox dies with the agent).
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { NO_BWRAP } from "../helpers/bwrap.ts";
import { baseEnv, MAIN } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import { startPty } from "../helpers/pty.ts";
import { cell, routeByModel } from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

/** A command tree: a background child, a setsid one, a nohup one and another background sleep. */
const TREE = [
  "sleep 1001 &",
  "setsid sleep 1002 &",
  "nohup sleep 1003 >/dev/null 2>&1 &",
  "sleep 1004 &",
  "touch started",
  "wait",
].join("\n");

const lmEnv = (url: string, sandbox: string) => ({
  NANOCODE_SANDBOX: sandbox,
  NANOCODE_API_BASE: url,
  NANOCODE_LM: "openai/main-model",
  NANOCODE_SUB_LM: "openai/sub-model",
  NANOCODE_PERMISSION_MODE: "yolo",
  OPENAI_API_KEY: "test-key",
});

async function waitFor(check: () => Promise<boolean>, what: string) {
  // Generous: a busy machine is slow, a broken build never gets there.
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

/**
 * Host pids of the tree's four sleeps, found by their command line and the
 * case's marker (a `$!` written inside the sandbox is its own PID
 * namespace's number, not the host's).
 */
async function treePids(marker: string): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      const environ = await Deno.readTextFile(`/proc/${entry.name}/environ`);
      if (
        /^sleep 100[1-4] $/.test(cmdline.replaceAll("\0", " ")) &&
        environ.split("\0").includes(marker)
      ) pids.push(Number(entry.name));
    } catch { /* gone or not ours */ }
  }
  return pids;
}

/** The agent: the deno process running main.ts with this test's marker. */
async function agentPid(marker: string): Promise<number> {
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const exe = await Deno.realPath(`/proc/${entry.name}/exe`);
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      const environ = await Deno.readTextFile(`/proc/${entry.name}/environ`);
      if (
        exe === await Deno.realPath(Deno.execPath()) &&
        cmdline.split("\0").includes(MAIN) && environ.includes(marker)
      ) return Number(entry.name);
    } catch { /* gone or not ours */ }
  }
  throw new Error("agent process not found");
}

async function startedTree(dir: string, marker: string) {
  await waitFor(async () => {
    try {
      await Deno.stat(`${dir}/started`);
      return true;
    } catch {
      return false;
    }
  }, "the command to start");
  let pids: number[] = [];
  await waitFor(
    async () => (pids = await treePids(marker)).length === 4,
    "the four sleeps",
  );
  for (const pid of pids) assert(await alive(pid), `${pid} runs`);
  return { pids, agent: await agentPid(marker) };
}

async function assertTreeGone(pids: number[]) {
  await waitFor(async () => {
    for (const pid of pids) if (await alive(pid)) return false;
    return true;
  }, "the command tree to go");
}

/** A folder, a model that runs {@linkcode TREE}, and the environment marking this case's processes. */
async function treeCase(sandbox: string) {
  const dir = await tempDir();
  const server = await startLmServer(
    routeByModel([cell(`print(run_bash(${JSON.stringify(TREE)}, 600))`)]),
  );
  const id = crypto.randomUUID();
  return {
    dir: dir.path,
    marker: `HOSTILE_RUN=${id}`,
    env: { ...lmEnv(server.url, sandbox), HOSTILE_RUN: id },
    async [Symbol.asyncDispose]() {
      await server.close();
      await dir[Symbol.asyncDispose]();
    },
  };
}

for (
  const [sandbox, label] of [
    ["off", "no sandbox: the supervisor"],
    ["auto", "in the command sandbox"],
  ]
) {
  const variant = { ignore: sandbox === "auto" && NO_BWRAP };

  Deno.test({
    ...variant,
    name:
      `hostile: SIGHUP to the agent with a running command kills the whole tree and exits 129 (${label})`,
    fn: async () => {
      await using c = await treeCase(sandbox);
      await using pty = startPty([], { cwd: c.dir, env: c.env });
      await pty.waitFor("❯");
      await pty.send("start the tree\r");
      const { pids, agent } = await startedTree(c.dir, c.marker);
      Deno.kill(agent, "SIGHUP");
      assertEquals(await pty.exit(), 129);
      await assertTreeGone(pids);
    },
  });

  Deno.test({
    ...variant,
    name:
      `hostile: closing the terminal while a command runs kills the whole tree (${label})`,
    fn: async () => {
      await using c = await treeCase(sandbox);
      const pty = startPty([], { cwd: c.dir, env: c.env });
      await pty.waitFor("❯");
      await pty.send("start the tree\r");
      const { pids } = await startedTree(c.dir, c.marker);
      // Disposing ends `script`, the terminal itself: the kernel hangs up on the agent.
      await pty[Symbol.asyncDispose]();
      await assertTreeGone(pids);
    },
  });

  Deno.test({
    ...variant,
    name:
      `hostile: kill -9 of a headless agent with a running command still kills the whole tree (${label})`,
    fn: async () => {
      await using c = await treeCase(sandbox);
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MAIN, "start the tree"],
        cwd: c.dir,
        clearEnv: true,
        env: { ...baseEnv(c.dir), ...c.env },
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      const { pids } = await startedTree(c.dir, c.marker);
      child.kill("SIGKILL");
      await child.status;
      await assertTreeGone(pids);
    },
  });
}
