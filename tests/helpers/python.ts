/**
 * Helpers for tests of Python cells: one snapshot folder shared by every
 * test (and run), so only the first Python sandbox of a machine boots cold,
 * and model replies with ```python blocks.
 *
 * @module
 */

import { join } from "node:path";
import { Sandbox } from "../../src/sandbox/sandbox.ts";
import type { SandboxOptions } from "../../src/sandbox/types.ts";
import type { Step } from "./lm_server.ts";

/** Where test sandboxes keep the Pyodide snapshot (a cache: safe to delete). */
export const TEST_CACHE_HOME = join(
  Deno.env.get("TMPDIR") ?? "/tmp",
  "nanocode-test-cache",
);

/** The snapshot folder inside {@linkcode TEST_CACHE_HOME}, as nanocode names it. */
export const TEST_SNAPSHOTS = join(TEST_CACHE_HOME, "nanocode", "python");

/** A sandbox that runs Python cells. */
export function pythonSandbox(options: SandboxOptions = {}): Sandbox {
  return new Sandbox({
    ...options,
    repl: "python",
    python: { snapshotDir: TEST_SNAPSHOTS, ...options.python },
  });
}

/** A model reply written as models write Python cells: prose, then one ```python block. */
export function pyReply(reasoning: string, code: string): string {
  return `${reasoning}\n\n\`\`\`python\n${code}\n\`\`\`\n`;
}

/** A scripted main-model step with one Python cell. */
export function pyCell(code: string, reasoning = "Next step."): Step {
  return { text: pyReply(reasoning, code) };
}
