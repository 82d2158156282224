/**
 * A stand-in agent for the process tests: starts one sandboxed command
 * through the real executor and relays its output.
 *
 * Usage: `deno run -A _spawner_child.ts tree WORKSPACE TAG` (starts a tree
 * of sleeping processes, prints "ready", waits to be killed), `... input
 * WORKSPACE TAG` (the same tree, unsandboxed, with its input piped from
 * this process and ignoring it, as an MCP server that never reads might) or
 * `... tty WORKSPACE` (prints whether a plain and a sandboxed command can
 * open the controlling terminal).
 *
 * @module
 */

import { createExecutor } from "../../src/exec/executor.ts";
import { runToEnd } from "../../src/exec/run.ts";

const [what, workspace, tag] = Deno.args;
const executor = createExecutor({
  sandbox: "auto",
  roots: [workspace],
  home: "/nonexistent-home",
  protectedDirs: [],
  secretReason: () => undefined,
});
const env = {
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  TEST_TAG: tag ?? "",
};
const relay = (chunk: Uint8Array) => Deno.stdout.writeSync(chunk);

if (what === "tree") {
  const child = await executor.spawn({
    argv: [
      "/bin/bash",
      "-c",
      "setsid sleep 300 & nohup sleep 300 >/dev/null 2>&1 & (sleep 300 &); sleep 300 & echo ready; wait",
    ],
    cwd: workspace,
    env,
    sandbox: { level: "workspace" },
  });
  await runToEnd(child, { timeoutMs: 600_000, onOutput: relay });
} else if (what === "input") {
  const child = await executor.spawn({
    argv: [
      "/bin/bash",
      "-c",
      "setsid sleep 300 & sleep 300 & echo ready; exec sleep 300",
    ],
    cwd: workspace,
    env,
    stdin: "piped",
  });
  await runToEnd(child, { timeoutMs: 600_000, onOutput: relay });
} else {
  const probe = "(exec 3</dev/tty) 2>/dev/null && echo HAS_TTY || echo NO_TTY";
  const plain = await new Deno.Command("/bin/bash", {
    args: ["-c", probe],
  }).output();
  Deno.stdout.writeSync(plain.stdout);
  const child = await executor.spawn({
    argv: ["/bin/bash", "-c", probe],
    cwd: workspace,
    env,
    sandbox: { level: "workspace" },
  });
  await runToEnd(child, { timeoutMs: 60_000, onOutput: relay });
  await executor.close();
}
