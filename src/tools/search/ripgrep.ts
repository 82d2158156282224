/**
 * The search back end that runs ripgrep.
 *
 * @module
 */

import { basename, dirname, join, sep } from "node:path";
import type { FileHits, GrepRequest, SearchBackend } from "./backend.ts";
import { ripgrepNameArgs } from "./name_glob.ts";
import { RipgrepOutputParser } from "./rg_output.ts";

/** Flags every ripgrep call gets: no user config, same ignore rules as the built-in walk. */
const COMMON_FLAGS = [
  "--no-config",
  "--no-require-git",
  "--no-ignore-global",
  "--no-messages",
];

/**
 * A {@linkcode SearchBackend} that runs the `rg` at `rgPath` with
 * `--no-require-git --no-ignore-global --no-config`, matching lines with
 * `--crlf` (so `$` matches before `\r\n`). Patterns are Rust regular
 * expressions. Files in which ripgrep finds binary data are dropped
 * entirely, like the built-in back end does.
 *
 * @example
 * ```ts
 * const rg = ripgrepSearch("/usr/bin/rg");
 * const files = await rg.listFiles("/ws");
 * ```
 */
export function ripgrepSearch(rgPath: string): SearchBackend {
  return {
    kind: "ripgrep",
    async listFiles(root, signal, nameGlob) {
      const { cwd, args } = await target(root);
      const child = spawn(rgPath, cwd, [
        "--files",
        "--null",
        ...(args.length ? [] : ripgrepNameArgs(nameGlob)),
        ...args,
      ], signal);
      const [out, err, status] = await Promise.all([
        new Response(child.stdout).arrayBuffer(),
        new Response(child.stderr).text(),
        child.status,
      ]);
      signal?.throwIfAborted();
      if (status.code === 2 && err.trim() !== "") {
        throw new Error(`Cannot list files: ${err.trim()}`);
      }
      // ripgrep prints clean relative paths: a plain concatenation is the
      // join (much cheaper than node:path's for 100,000 of them).
      const prefix = cwd.endsWith("/") ? cwd : `${cwd}/`;
      return new TextDecoder().decode(out).split("\0").filter((p) => p !== "")
        .map((p) => sep === "/" ? prefix + p : join(cwd, p));
    },
    grep(request) {
      return grepWithRipgrep(rgPath, request);
    },
  };
}

async function target(root: string): Promise<{ cwd: string; args: string[] }> {
  const info = await Deno.stat(root);
  return info.isDirectory
    ? { cwd: root, args: [] }
    : { cwd: dirname(root), args: ["--", basename(root)] };
}

function spawn(
  rgPath: string,
  cwd: string,
  args: string[],
  signal?: AbortSignal,
): Deno.ChildProcess {
  return new Deno.Command(rgPath, {
    args: [...COMMON_FLAGS, ...args],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal,
  }).spawn();
}

async function* grepWithRipgrep(
  rgPath: string,
  request: GrepRequest,
): AsyncGenerator<FileHits> {
  const { cwd, args } = await target(request.root);
  const child = spawn(rgPath, cwd, [
    "--null",
    "--line-number",
    "--column",
    "--no-heading",
    "--with-filename",
    "--color=never",
    "--crlf",
    `--regexp=${request.pattern}`,
    ...(args.length ? [] : ripgrepNameArgs(request.nameGlob)),
    ...args,
  ], request.signal);
  const stderr = new Response(child.stderr).text();
  const parser = new RipgrepOutputParser(cwd, request);
  let finished = false;
  try {
    for await (const chunk of child.stdout) {
      parser.push(chunk);
      yield* parser.take();
    }
    finished = true;
  } finally {
    if (!finished) {
      try {
        child.kill();
      } catch {
        // already gone
      }
      await Promise.all([child.status, stderr]);
    }
  }
  const [status, err] = await Promise.all([child.status, stderr]);
  request.signal?.throwIfAborted();
  if (status.code === 2 && err.trim() !== "") {
    const detail = err.trim();
    throw new Error(
      /regex|pattern/i.test(detail)
        ? `Invalid regex ${JSON.stringify(request.pattern)}: ${detail}`
        : `Cannot search: ${detail}`,
    );
  }
  parser.finish();
  yield* parser.take();
}
