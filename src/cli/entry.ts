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
import {
  runSelfHostedSearchChild,
  SEARCH_CHILD_FLAG,
} from "../tools/search/search_child.ts";
import * as input from "../ui/input.ts";
import * as approvalPrompt from "./approval_prompt.ts";
import * as headless from "./headless.ts";
import * as interactive from "./interactive.ts";
import { provide } from "./lazy.ts";
import { main } from "./main.ts";
import * as undoCli from "./undo_cli.ts";

provide({
  batch,
  codingAgent,
  instructions,
  precompiled,
  input,
  approvalPrompt,
  headless,
  interactive,
  undoCli,
});

if (import.meta.main) {
  const args = Deno.args;
  if (args[0] === SELF_HOST_FLAG) {
    // A compiled binary starts itself as its sandbox process.
    runSelfHostedSandbox(args.slice(1));
  } else if (args[0] === SEARCH_CHILD_FLAG) {
    // ... and as the built-in search's child process.
    runSelfHostedSearchChild();
  } else {
    Deno.exit(await main(args));
  }
}
