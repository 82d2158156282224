/**
 * Start-up benchmarks (issue 15): the single-file bundle's `--version`
 * against `main.ts`'s, and importing the sandbox alone against importing
 * the whole library.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type Figure, tempScript, timeCommand, timePair } from "./lib.ts";

const deno = Deno.execPath();
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CONFIG = `${ROOT}deno.json`;

/** Runs the start-up benchmarks and returns their figures. */
export async function startupBench(): Promise<Figure[]> {
  const out = await Deno.makeTempDir({ prefix: "nanocode-startup-" });
  const bundle = `${out}/nanocode.js`;
  const built = await new Deno.Command(deno, {
    args: ["run", "-A", `${ROOT}scripts/bundle.ts`, bundle],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!built.success) throw new Error("the bundle did not build");
  const [sandboxOnly, cleanSandbox] = await tempScript(
    `import { Sandbox } from ${
      JSON.stringify(`${ROOT}src/sandbox/mod.ts`)
    };\nconsole.log(typeof Sandbox);`,
  );
  const [everything, cleanAll] = await tempScript(
    `import { Sandbox } from ${
      JSON.stringify(`${ROOT}mod.ts`)
    };\nconsole.log(typeof Sandbox);`,
  );
  try {
    const runs = 11;
    const version = await timePair(
      runs,
      () => timeCommand(deno, ["run", "-A", bundle, "--version"]),
      () => timeCommand(deno, ["run", "-A", `${ROOT}main.ts`, "--version"]),
      2,
    );
    const imports = await timePair(
      runs,
      () => timeCommand(deno, ["run", "-A", "--config", CONFIG, sandboxOnly]),
      () => timeCommand(deno, ["run", "-A", "--config", CONFIG, everything]),
      2,
    );
    return [
      {
        name: "bundle (dist/nanocode.js) --version",
        ...version,
        baselineName: "main.ts --version",
        unit: "ms",
        limit: 1.5,
      },
      {
        name: "import @nanocode/nanocode/sandbox",
        ...imports,
        baselineName: "import @nanocode/nanocode (all of it)",
        unit: "ms",
        limit: 0.6,
      },
    ];
  } finally {
    await Promise.all([cleanSandbox(), cleanAll()]);
    await Deno.remove(out, { recursive: true });
  }
}
