/**
 * The entry of single-file builds (`deno task bundle`, `deno task
 * compile`): the same program as `main.ts`, with every module imported
 * statically so the bundler and the compiler include them all.
 *
 * @module
 */

import { runSelfHostedSandbox, SELF_HOST_FLAG } from "../sandbox/bootstrap.ts";
import { main } from "./main.ts";

if (import.meta.main) {
  const args = Deno.args;
  if (args[0] === SELF_HOST_FLAG) {
    // A compiled binary starts itself as its sandbox process.
    runSelfHostedSandbox(Number(args[1]));
  } else {
    Deno.exit(await main(args));
  }
}
