/**
 * The entry of `deno task compile` (and of a bundle built without the
 * wrapper): the same program as `main.ts`, with every module reachable
 * through literal imports so the compiler includes them all. `--version`
 * answers before the program module is loaded.
 *
 * @module
 */

import { VERSION } from "../version.ts";

if (import.meta.main) {
  const args = Deno.args;
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    console.log(`nanocode ${VERSION}`);
  } else {
    const { run } = await import("./program_entry.ts");
    await run(args);
  }
}
