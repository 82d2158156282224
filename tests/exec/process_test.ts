import { assert, assertEquals } from "../helpers/assert.ts";
import { NO_BWRAP } from "../helpers/bwrap.ts";
import { findMarkedProcesses } from "../../src/exec/process_tree.ts";
import { tempDir } from "../helpers/temp.ts";

const CHILD = new URL("./_spawner_child.ts", import.meta.url).pathname;
const HAS_SCRIPT = new Deno.Command("sh", {
  args: ["-c", "command -v script"],
  stdout: "null",
}).outputSync().success;

Deno.test({
  name:
    "executor: SIGKILL of the agent takes the whole sandboxed tree with it (setsid, nohup, subshells)",
  ignore: NO_BWRAP,
  fn: async () => {
    await using ws = await tempDir();
    const tag = crypto.randomUUID();
    const agent = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CHILD, "tree", ws.path, tag],
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
    // Four sleeps (and their shells) are running, tagged.
    assert((await findMarkedProcesses(`TEST_TAG=${tag}`)).length >= 4);
    agent.kill("SIGKILL");
    await agent.status;
    reader.releaseLock();
    await agent.stdout.cancel().catch(() => {});
    // The kernel tears the namespace down; give it a generous while on a busy machine.
    let left = await findMarkedProcesses(`TEST_TAG=${tag}`);
    for (let i = 0; i < 200 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      left = await findMarkedProcesses(`TEST_TAG=${tag}`);
    }
    assertEquals(left, []);
  },
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
