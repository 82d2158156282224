/**
 * The program of single-file builds, as a module: `run(args)` is the
 * command line. The bundle (`deno task bundle`) wraps it so `--version`
 * answers before this module is even parsed.
 *
 * @module
 */

import { runSelfHostedSandbox, SELF_HOST_FLAG } from "../sandbox/bootstrap.ts";
import {
  runSelfHostedSearchChild,
  SEARCH_CHILD_FLAG,
} from "../tools/search/search_child.ts";
import { provide } from "./lazy.ts";
import { main } from "./main.ts";

provide({
  batch: () => import("../batch/cli.ts"),
  codingAgent: () => import("../agent/coding_agent.ts"),
  instructions: () => import("../agent/instructions.ts"),
  precompiled: () => import("../program/precompiled.ts"),
  input: () => import("../ui/input.ts"),
  sessionActions: () => import("./session_actions.ts"),
  headless: () => import("./headless.ts"),
  interactive: () => import("./interactive.ts"),
  undoCli: () => import("./undo_cli.ts"),
});

/**
 * Runs the command line with `args` and exits with its code.
 *
 * @example
 * ```ts ignore
 * await run(Deno.args);
 * ```
 */
export async function run(args: string[]): Promise<void> {
  if (args[0] === SELF_HOST_FLAG) {
    // A compiled binary starts itself as its sandbox process ...
    runSelfHostedSandbox(args.slice(1));
    return;
  }
  if (args[0] === SEARCH_CHILD_FLAG) {
    // ... and as the built-in search's child process.
    runSelfHostedSearchChild();
    return;
  }
  Deno.exit(await main(args));
}
