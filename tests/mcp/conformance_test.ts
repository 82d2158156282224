/**
 * The official MCP conformance suite's client scenarios, run against
 * `nanocode mcp call` (the suite starts its test server and appends the
 * server's URL to the command).
 */

import { assertEquals, assertStringIncludes } from "../helpers/assert.ts";
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
      ],
      cwd: home.path,
      clearEnv: true,
      env: baseEnv(home.path),
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    assertStringIncludes(text, "OVERALL: PASSED", text);
    assertStringIncludes(text, "0 failed, 0 warnings");
    assertEquals(out.code, 0, text);
  });
}
