/**
 * A coding agent for tests: the scripted server's models, a test key, no
 * undo snapshots, and "yolo" unless the test's config says otherwise.
 *
 * @module
 */

import { CodingAgent } from "../../src/agent/coding_agent.ts";
import type { CodingAgentOptions } from "../../src/agent/types.ts";
import { MAIN_MODEL, SUB_MODEL } from "../helpers/script.ts";

/** An agent in `workspace` talking to the scripted server at `url`. */
export function testAgent(
  url: string,
  workspace: string,
  options: Partial<CodingAgentOptions> = {},
): CodingAgent {
  return new CodingAgent({
    workspace,
    snapshotsDir: null,
    env: (name) => (name === "OPENAI_API_KEY" ? "test-key" : undefined),
    ...options,
    config: {
      lm: `openai/${MAIN_MODEL}`,
      sub_lm: `openai/${SUB_MODEL}`,
      api_base: url,
      cell_timeout: 30,
      // Tests of the loop and the tools; the policy has tests of its own.
      permission_mode: "yolo",
      ...options.config,
    },
  });
}
