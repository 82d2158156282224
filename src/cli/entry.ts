/**
 * The entry of single-file builds (`deno task bundle`, `deno task
 * compile`): the same program as `main.ts`, with every module imported
 * statically so the bundler and the compiler include them all.
 *
 * @module
 */

import * as codingAgent from "../agent/coding_agent.ts";
import * as instructions from "../agent/instructions.ts";
import * as batch from "../batch/cli.ts";
import * as precompiled from "../program/precompiled.ts";
import { runSelfHostedSandbox, SELF_HOST_FLAG } from "../sandbox/bootstrap.ts";
import * as input from "../ui/input.ts";
import * as headless from "./headless.ts";
import * as interactive from "./interactive.ts";
import * as sessionActions from "./session_actions.ts";
import { provide } from "./lazy.ts";
import { main } from "./main.ts";
import * as undoCli from "./undo_cli.ts";

provide({
  batch,
  codingAgent,
  instructions,
  precompiled,
  input,
  headless,
  interactive,
  sessionActions,
  undoCli,
});

if (import.meta.main) {
  const args = Deno.args;
  if (args[0] === SELF_HOST_FLAG) {
    // A compiled binary starts itself as its sandbox process.
    runSelfHostedSandbox(Number(args[1]));
  } else {
    Deno.exit(await main(args));
  }
}
