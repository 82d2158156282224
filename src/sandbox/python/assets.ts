/**
 * Pyodide's files, read by the agent (the sandbox process has no file
 * permission) and sent to the sandbox in one "A" frame: a 4-byte header
 * length, a JSON header (file names and sizes, the prelude, settings), then
 * the files' bytes one after another, each starting at a multiple of 8
 * (Pyodide reads a snapshot through 32-bit views).
 *
 * The files come from the npm `pyodide` package that `deno.json` pins
 * (Deno keeps it in its npm cache); nothing is fetched from a CDN.
 *
 * @module
 */

import { PYTHON_PRELUDE, WARM_IMPORTS } from "./prelude.ts";

/** The Pyodide files the worker needs, in the order they are sent. */
export const PYODIDE_FILES: readonly string[] = [
  "pyodide.mjs",
  "pyodide.asm.mjs",
  "pyodide.asm.wasm",
  "python_stdlib.zip",
  "pyodide-lock.json",
];

/** Pyodide's files as bytes, and the package version they belong to. */
export interface PyodideFiles {
  /** The `pyodide` package version, e.g. `314.0.7`. */
  version: string;
  /** Each file's bytes, by name. */
  files: Map<string, Uint8Array>;
}

/**
 * The folder of the pinned `pyodide` package in Deno's npm cache, or
 * `undefined` when this program cannot resolve it (a single-file bundle).
 *
 * @example
 * ```ts
 * import { pyodideDir } from "./assets.ts";
 * console.log(pyodideDir()?.endsWith("/")); // true
 * ```
 */
export function pyodideDir(): string | undefined {
  try {
    const url = new URL(".", import.meta.resolve("pyodide/pyodide.mjs"));
    return url.protocol === "file:"
      ? decodeURIComponent(url.pathname)
      : undefined;
  } catch {
    return undefined;
  }
}

async function readFrom(where: string): Promise<PyodideFiles> {
  const manifest = JSON.parse(
    await Deno.readTextFile(where + "package.json"),
  ) as { version?: string };
  const entries = await Promise.all(
    PYODIDE_FILES.map(async (name) =>
      [name, await Deno.readFile(where + name)] as const
    ),
  );
  return { version: String(manifest.version), files: new Map(entries) };
}

/**
 * Reads Pyodide's files from `dir` (default {@linkcode pyodideDir}). When
 * the pinned package is not in Deno's cache yet, importing it once makes
 * Deno fetch it from the npm registry (as for any other dependency).
 *
 * @throws {Error} saying how to get the package when the files are missing.
 * @example
 * ```ts
 * import { readPyodideFiles } from "./assets.ts";
 * const { version, files } = await readPyodideFiles();
 * console.log(version, files.get("pyodide.asm.wasm")!.length > 1_000_000);
 * ```
 */
export async function readPyodideFiles(
  dir: string | undefined = pyodideDir(),
): Promise<PyodideFiles> {
  const where = dir?.replace(/\/?$/, "/");
  let failure: unknown = new Error("the package cannot be resolved here");
  if (where) {
    try {
      return await readFrom(where);
    } catch (error) {
      failure = error;
    }
    if (where === pyodideDir()) {
      try {
        await import("pyodide");
        return await readFrom(where);
      } catch { /* report the first failure */ }
    }
  }
  throw new Error(
    `Python cells need Pyodide's files (the npm package pyodide), which could not be read${
      where ? ` from ${where}` : ""
    }: ${
      (failure as Error).message
    }. Run nanocode from its source (deno run -A main.ts), or use --repl js.`,
  );
}

/** Settings sent with the files. */
export interface AssetSettings {
  /** What `os.getcwd()` says in cells (the workspace path; nothing is in it). */
  cwd: string;
  /** Largest Python heap (the wasm memory), in bytes. */
  heapBytes: number;
  /** Ask the worker for a snapshot after a cold boot. */
  makeSnapshot: boolean;
}

/**
 * The body of the "A" frame as parts to write one after another.
 *
 * @example
 * ```ts
 * import { assetFrame } from "./assets.ts";
 * const files = new Map([["pyodide.mjs", new Uint8Array(3)]]);
 * const parts = assetFrame(files, undefined, { cwd: "/w", heapBytes: 1 << 28, makeSnapshot: false });
 * console.log(parts.length); // 4
 * ```
 */
export function assetFrame(
  files: Map<string, Uint8Array>,
  snapshot: Uint8Array | undefined,
  settings: AssetSettings,
): Uint8Array[] {
  const all = [...files];
  if (snapshot) all.push(["snapshot", snapshot]);
  const json = JSON.stringify({
    files: all.map(([name, bytes]) => ({ name, size: bytes.length })),
    prelude: PYTHON_PRELUDE,
    warm: WARM_IMPORTS,
    ...settings,
  });
  const header = new TextEncoder().encode(json);
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, header.length);
  const parts = [length, header, padding(4 + header.length)];
  for (const [, bytes] of all) parts.push(bytes, padding(bytes.length));
  return parts.filter((part) => part.length > 0);
}

/** Zero bytes that bring `length` to a multiple of 8. */
function padding(length: number): Uint8Array {
  return new Uint8Array((8 - length % 8) % 8);
}
