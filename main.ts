/**
 * nanocode's command-line entry: `deno run -A main.ts [task]`.
 *
 * `--version` is answered before anything else loads. The rest of the
 * program is imported through a computed specifier on purpose: Deno
 * resolves every literal `import()` of the entry module at start-up, which
 * would cost `--version` the whole program's module graph. (Single-file
 * builds start from `src/cli/entry.ts`, which imports everything
 * statically.)
 *
 * @module
 */

import { VERSION } from "./src/version.ts";
import { startEarlyPrompt } from "./src/cli/early_prompt.ts";

if (import.meta.main) {
  const args = Deno.args;
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    console.log(`nanocode ${VERSION}`);
  } else if (args[0] === "--nanocode-sandbox-host") {
    const bootstrap = new URL("./src/sandbox/bootstrap.ts", import.meta.url);
    const { runSelfHostedSandbox } = (await import(
      bootstrap.href
    )) as typeof import("./src/sandbox/bootstrap.ts");
    runSelfHostedSandbox(args.slice(1));
  } else {
    // A plain launch in a terminal shows its prompt before the program loads.
    const early = startEarlyPrompt(args) ?? undefined;
    let code: number;
    try {
      const cli = new URL("./src/cli/main.ts", import.meta.url);
      const { main } =
        (await import(cli.href)) as typeof import("./src/cli/main.ts");
      code = await main(args, undefined, early);
    } finally {
      early?.close();
    }
    Deno.exit(code);
  }
}
