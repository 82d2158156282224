/**
 * `deno task bundle`: builds `dist/nanocode.js`, one JavaScript file that
 * runs anywhere with `deno run -A dist/nanocode.js`. The program
 * (`src/cli/program_entry.ts`, bundled and minified by `deno bundle`) is
 * kept in the file compressed, as a string, and loaded as a module only
 * when needed, so `--version` costs little more than a bare script
 * (loading megabytes of bundled code takes several times Deno's own
 * start).
 *
 * Usage: `deno run -A scripts/bundle.ts [OUTPUT]` (default `dist/nanocode.js`).
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
import { VERSION } from "../src/version.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const output = Deno.args[0] ?? join(root, "dist", "nanocode.js");
const temp = await Deno.makeTempDir({ prefix: "nanocode-bundle-" });
try {
  const program = join(temp, "program.js");
  const built = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--platform",
      "deno",
      "--minify",
      "-o",
      program,
      join(root, "src", "cli", "program_entry.ts"),
    ],
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!built.success) Deno.exit(built.code || 1);
  // The program travels Brotli-compressed and base64-encoded in a string
  // literal: Deno reads, hashes and scans a 0.7 MB string far faster than
  // it loads 2.5 MB of code, and only a run that needs the program decodes it.
  const packed = brotliCompressSync(await Deno.readFile(program), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  });
  const text = `// nanocode ${VERSION}: single-file build (scripts/bundle.ts)
const PROGRAM = "${packed.toBase64()}";
const args = Deno.args;
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  console.log(${JSON.stringify(`nanocode ${VERSION}`)});
} else {
  // As a blob: module the program would see its own URL as "blob:...":
  // give it this file's, as if it ran from here (createRequire needs one).
  const code = (await new Response(
    new Blob([Uint8Array.fromBase64(PROGRAM)]).stream()
      .pipeThrough(new DecompressionStream("brotli")),
  ).text()).replaceAll("import.meta.url", JSON.stringify(import.meta.url));
  const url = URL.createObjectURL(
    new Blob([code], { type: "text/javascript" }),
  );
  const { run } = await import(url);
  await run(args);
}
`;
  await Deno.mkdir(dirname(output), { recursive: true });
  await Deno.writeTextFile(output, text);
  console.error(
    `wrote ${output} (${(text.length / 1e6).toFixed(1)} MB)`,
  );
} finally {
  await Deno.remove(temp, { recursive: true });
}
