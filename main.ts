/**
 * nanocode's command-line entry: `deno run -A main.ts [task]`.
 *
 * `--version` is answered before anything else loads, so it starts as fast
 * as a bare Deno script.
 *
 * @module
 */

import { VERSION } from "./src/version.ts";

if (import.meta.main) {
  const args = Deno.args;
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    console.log(`nanocode ${VERSION}`);
  } else if (args[0] === "--nanocode-sandbox-host") {
    // A compiled binary starts itself as its sandbox process.
    const { runSelfHostedSandbox } = await import("./src/sandbox/bootstrap.ts");
    runSelfHostedSandbox(Number(args[1]));
  } else {
    const { main } = await import("./src/cli/main.ts");
    Deno.exit(await main(args));
  }
}
