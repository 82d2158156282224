/**
 * With the command sandbox off (by setting, or where bubblewrap cannot
 * start), a command runs with the user's rights and sees the real `/proc`.
 * Its parent is the scrubbed supervisor, but it can walk up to the agent
 * or scan every process: the agent's own environment (which holds the
 * API key from the moment it started) must stay out of its reach.
 */

import { assert, assertEquals, assertMatch } from "../helpers/assert.ts";
import { lmEnv, runCli } from "../helpers/cli.ts";
import { startLmServer } from "../helpers/lm_server.ts";
import {
  cell,
  MAIN_MODEL,
  requestsOf,
  routeByModel,
} from "../helpers/script.ts";
import { tempDir } from "../helpers/temp.ts";

/** A distinctive fake key: nothing else on the machine holds it. */
const KEY = "sk-proj-nanocode-envhide-7f3a9c1e5b2d4086";

/**
 * The attack, as a script in the repository: every process's environment
 * and command line searched for the key (the pattern's `[c]` keeps this
 * script's own command line from matching), then the agent itself found
 * by walking up from the command's parent.
 */
const SCAN = `pattern='sk-proj-nano[c]ode-'
seen=0
read=0
for dir in /proc/[0-9]*; do
  seen=$((seen + 1))
  for file in environ cmdline; do
    if text=$(tr '\\0' '\\n' 2>/dev/null < "$dir/$file"); then
      read=$((read + 1))
      printf '%s\\n' "$text" | grep -a -e "$pattern" | sed "s|^|found in $dir/$file: |"
    fi
  done
done
echo "scanned $seen processes, read $read files"
read -r _ _ _ agent _ < /proc/$PPID/stat
name=$(cat /proc/$agent/comm)
if tr '\\0' '\\n' 2>/dev/null < /proc/$agent/environ | grep -q PATH; then
  echo "environ of $name (the agent): readable"
else
  echo "environ of $name (the agent): denied"
fi
echo "own environ: $(tr '\\0' '\\n' < /proc/$$/environ | grep -c '^PATH=') PATH"
`;

async function attack(env: Record<string, string>) {
  await using dir = await tempDir({ "scan.sh": SCAN });
  await using server = await startLmServer(routeByModel([
    cell("print(run_bash('bash scan.sh'))"),
    cell("SUBMIT('scanned')"),
  ]));
  const run = await runCli(["--output-format", "json", "look around"], {
    cwd: dir.path,
    env: lmEnv(server.url, {
      OPENAI_API_KEY: KEY,
      OPENROUTER_API_KEY: KEY,
      NANOCODE_PERMISSION_MODE: "yolo",
      ...env,
    }),
  });
  assertEquals(run.code, 0, run.stderr);
  const observation: string = JSON.parse(run.stdout).steps[0].observation;
  // The scan ran and read what it could: its own environment at least.
  assertMatch(observation, /scanned \d+ processes, read \d+ files/);
  assert(observation.includes("own environ: 1 PATH"), observation);
  assert(!observation.includes(KEY), observation);
  assert(!observation.includes("found in"), observation);
  assert(
    observation.includes("environ of deno (the agent): denied"),
    observation,
  );
  const requests = requestsOf(server.requests, MAIN_MODEL);
  assertEquals(requests.length, 2);
  for (const request of requests) {
    assert(!JSON.stringify(request.body).includes(KEY));
  }
  assert(!run.stdout.includes(KEY) && !run.stderr.includes(KEY));
}

Deno.test("hostile: with --sandbox off, a command scanning /proc/*/environ and /proc/*/cmdline finds no API key", async () => {
  await attack({ NANOCODE_SANDBOX: "off" });
});

Deno.test("hostile: where bubblewrap cannot start, a command scanning /proc/*/environ and /proc/*/cmdline finds no API key", async () => {
  // What bwrap prints in a container that forbids new namespaces.
  await using bin = await tempDir({
    bwrap:
      "#!/bin/sh\necho 'bwrap: Creating new namespace failed: Operation not permitted' >&2\nexit 1\n",
  });
  await Deno.chmod(bin.file("bwrap"), 0o755);
  await attack({
    PATH: `${bin.path}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    NANOCODE_SANDBOX: "auto",
  });
});

Deno.test("without FFI (--deny-ffi) nanocode still runs, and --verbose says commands can read its environment", async () => {
  await using dir = await tempDir();
  await using server = await startLmServer(routeByModel([
    cell("print(run_bash('echo ran'))"),
    cell("SUBMIT('done')"),
  ]));
  const run = await runCli(["--verbose", "--sandbox", "off", "say hi"], {
    cwd: dir.path,
    denoFlags: ["-A", "--deny-ffi"],
    env: lmEnv(server.url, { NANOCODE_PERMISSION_MODE: "yolo" }),
  });
  assertEquals(run.code, 0, run.stderr);
  assertEquals(run.stdout.trim(), "done");
  const notes = run.stderr.split("\n").filter((line) =>
    line.includes("can read nanocode's environment")
  );
  assertEquals(notes, [
    "⏺ Commands outside the sandbox can read nanocode's environment through /proc (FFI is not allowed: run with -A or --allow-ffi).",
  ]);
});
