/**
 * The search back end that runs ripgrep.
 *
 * @module
 */

import { basename, dirname, join, sep } from "node:path";
import type { FileHits, GrepRequest, SearchBackend } from "./backend.ts";
import { builtinSearch } from "./builtin.ts";
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
 * Data memory (KiB) ripgrep may take. A repository's `.gitignore` may be a
 * symlink to `/dev/zero`, which ripgrep reads without end (gigabytes in
 * seconds); capped, it stops at once, and the built-in search (which
 * skips such files) answers instead.
 */
const RG_DATA_KIB = 1024 * 1024;

/** Whether ripgrep died (a signal, an abort) rather than finishing. */
function crashed(status: Deno.CommandStatus): boolean {
  return status.signal !== null || status.code > 2;
}

/**
 * A {@linkcode SearchBackend} that runs the `rg` at `rgPath` with
 * `--no-require-git --no-ignore-global --no-config`, matching lines with
 * `--crlf` (so `$` matches before `\r\n`). Patterns are Rust regular
 * expressions. Files in which ripgrep finds binary data are dropped
 * entirely, like the built-in back end does. Ripgrep runs with its data
 * memory capped; when it dies (out of memory on a hostile ignore file),
 * the built-in back end answers the call instead.
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
      if (crashed(status)) {
        return await builtinSearch.listFiles(root, signal, nameGlob);
      }
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
  const capped = Deno.build.os !== "windows";
  return new Deno.Command(capped ? "/bin/sh" : rgPath, {
    args: capped
      ? [
        "-c",
        `ulimit -d ${RG_DATA_KIB} 2>/dev/null; exec "$0" "$@"`,
        rgPath,
        ...COMMON_FLAGS,
        ...args,
      ]
      : [...COMMON_FLAGS, ...args],
    cwd,
    // None of the agent's environment (its API keys): a command left
    // running could read it in /proc while ripgrep runs.
    clearEnv: true,
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
  let yielded = false;
  try {
    for await (const chunk of child.stdout) {
      parser.push(chunk);
      for (const hits of parser.take()) {
        yielded = true;
        yield hits;
      }
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
  if (crashed(status)) {
    if (!yielded) return yield* builtinSearch.grep(request);
    throw new Error(`Cannot search: ripgrep failed (${err.trim()})`);
  }
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
