/**
 * The official MCP conformance suite's client scenarios, run against
 * `nanocode mcp call` (the suite starts its test server and appends the
 * server's URL to the command).
 */

import { assert, assertEquals } from "../helpers/assert.ts";
import { baseEnv, MAIN } from "../helpers/cli.ts";
import {
  CONFORMANCE,
  denoRunArgs,
  ensureCached,
} from "../helpers/mcp_servers.ts";
import { tempDir } from "../helpers/temp.ts";

const SCENARIOS: [string, string][] = [
  ["initialize", ""],
  ["tools_call", ` --tool add_numbers --args '{"a":2,"b":3}'`],
  ["sse-retry", " --tool test_reconnection"],
];

/** A check the suite recorded (its `checks.json`). */
interface Check {
  id: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO";
  errorMessage?: string;
}

async function checksOf(dir: string): Promise<Check[]> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) {
      return JSON.parse(
        await Deno.readTextFile(`${dir}/${entry.name}/checks.json`),
      );
    }
  }
  throw new Error("the suite wrote no checks.json");
}

/** Lateness is the machine's load, not the client: the retry timing may warn, or be "very late". */
function loadBound(check: Check): boolean {
  return check.id === "client-sse-retry-timing" &&
    (check.status === "WARNING" || /very late/.test(check.errorMessage ?? ""));
}

for (const [scenario, extra] of SCENARIOS) {
  Deno.test(`nanocode mcp call passes the conformance scenario ${scenario}`, async () => {
    await ensureCached();
    await using home = await tempDir();
    const client = `${Deno.execPath()} run -A ${MAIN} mcp call${extra}`;
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        ...denoRunArgs(CONFORMANCE, "client"),
        "--command",
        client,
        "--scenario",
        scenario,
        "--timeout",
        "60000",
        "--output-dir",
        `${home.path}/results`,
      ],
      cwd: home.path,
      clearEnv: true,
      env: baseEnv(home.path),
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    const checks = await checksOf(`${home.path}/results`);
    const judged = checks.filter((c) => c.status !== "INFO");
    assert(judged.length > 0, text);
    for (const check of judged) {
      if (loadBound(check)) continue;
      assertEquals(
        check.status,
        "SUCCESS",
        `${check.id}: ${check.errorMessage}\n${text}`,
      );
    }
    assert(!text.includes("CLIENT EXITED WITH ERROR"), text);
    if (!checks.some(loadBound)) assertEquals(out.code, 0, text);
  });
}
