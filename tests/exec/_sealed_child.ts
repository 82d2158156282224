/**
 * A stand-in agent for the seal tests: seals itself (unless `--no-seal`),
 * starts a command the way the plain executor does (through the
 * capability drop), and prints as JSON what the command could read of its
 * parent's environment and memory map.
 */

import { commandCapDrop } from "../../src/exec/cap_drop.ts";
import { sealAgentProcess } from "../../src/exec/seal.ts";

const seal = Deno.args.includes("--no-seal")
  ? { sealed: false, reason: "--no-seal" }
  : sealAgentProcess();
const drop = await commandCapDrop();
// The command's parent is this process (setpriv replaces itself with bash).
const script =
  `tr '\\0' '\\n' 2>/dev/null < /proc/$PPID/environ | grep -a '^SEALED_SECRET=' || echo "environ denied"
head -c 1 2>/dev/null < /proc/$PPID/maps >/dev/null && echo "maps readable" || echo "maps denied"
grep '^CapEff' /proc/self/status`;
const [program, ...args] = [...drop.prefix, "bash", "-c", script];
const out = await new Deno.Command(program, {
  args,
  clearEnv: true,
  env: { PATH: "/usr/bin:/bin" },
  stdout: "piped",
  stderr: "piped",
}).output();
console.log(JSON.stringify({
  seal,
  drop,
  uid: Deno.uid(),
  output: new TextDecoder().decode(out.stdout),
}));
