import { assert, assertEquals } from "../helpers/assert.ts";
import { NO_BWRAP } from "../helpers/bwrap.ts";
import { plainExecutor } from "../../src/exec/executor.ts";
import { findMarkedProcesses } from "../../src/exec/process_tree.ts";
import { tempDir } from "../helpers/temp.ts";

const CHILD = new URL("./_spawner_child.ts", import.meta.url).pathname;
const HAS_SCRIPT = new Deno.Command("sh", {
  args: ["-c", "command -v script"],
  stdout: "null",
}).outputSync().success;

/** Starts `_spawner_child.ts MODE`, SIGKILLs it once its tree runs, and checks nothing of the tree is left. */
async function treeDiesWithAgent(mode: "tree" | "input"): Promise<void> {
  await using ws = await tempDir();
  const tag = crypto.randomUUID();
  const agent = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD, mode, ws.path, tag],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = agent.stdout.getReader();
  let seen = "";
  while (!seen.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  assertEquals(seen, "ready\n");
  // Several sleeps (and their shells) are running, tagged.
  assert((await findMarkedProcesses(`TEST_TAG=${tag}`)).length >= 3);
  agent.kill("SIGKILL");
  await agent.status;
  reader.releaseLock();
  await agent.stdout.cancel().catch(() => {});
  // Give the kernel (or the supervisor) a generous while on a busy machine.
  let left = await findMarkedProcesses(`TEST_TAG=${tag}`);
  for (let i = 0; i < 200 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    left = await findMarkedProcesses(`TEST_TAG=${tag}`);
  }
  assertEquals(left, []);
}

Deno.test({
  name:
    "executor: SIGKILL of the agent takes the whole sandboxed tree with it (setsid, nohup, subshells)",
  ignore: NO_BWRAP,
  fn: () => treeDiesWithAgent("tree"),
});

Deno.test("executor: SIGKILL of the agent takes an unsandboxed command that reads input and ignores its end, and its children", async () => {
  await treeDiesWithAgent("input");
});

Deno.test({
  name: "executor: a sandboxed command has no controlling terminal",
  ignore: NO_BWRAP || !HAS_SCRIPT,
  fn: async () => {
    await using ws = await tempDir();
    const command = `'${Deno.execPath()}' run -A '${CHILD}' tty '${ws.path}'`;
    const out = await new Deno.Command("script", {
      args: ["-qec", command, "/dev/null"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout).replace(/\r/g, "");
    // The plain command on the same terminal can open it; the sandboxed one cannot.
    assertEquals(text.trim().split("\n"), ["HAS_TTY", "NO_TTY"]);
  },
});

Deno.test("plainExecutor.spawn() with piped input passes it through; closing it ends the command and what it left running", async () => {
  const tag = crypto.randomUUID();
  const child = await plainExecutor.spawn({
    argv: [
      "/bin/bash",
      "-c",
      'sleep 300 & while read -r line; do echo "got $line"; done',
    ],
    cwd: "/tmp",
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", TEST_TAG: tag },
    stdin: "piped",
  });
  const writer = child.stdin!.getWriter();
  await writer.write(new TextEncoder().encode("one\ntwo\n"));
  const reader = child.stdout.pipeThrough(new TextDecoderStream())
    .getReader();
  let seen = "";
  while (!seen.includes("got two\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  assertEquals(seen, "got one\ngot two\n");
  assert((await findMarkedProcesses(`TEST_TAG=${tag}`)).length >= 2);
  await writer.close();
  assertEquals((await child.status).code, 0);
  // The background sleep goes too, once the input is closed.
  let left = await findMarkedProcesses(`TEST_TAG=${tag}`);
  for (let i = 0; i < 200 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    left = await findMarkedProcesses(`TEST_TAG=${tag}`);
  }
  assertEquals(left, []);
  reader.releaseLock();
  await child.stdout.cancel().catch(() => {});
  await child.stderr.cancel();
});
