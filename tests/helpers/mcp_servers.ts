/**
 * Real MCP servers from npm for tests, run with this Deno (pinned versions;
 * the first run fetches them from the npm registry into Deno's cache, later
 * runs work offline): `@modelcontextprotocol/server-everything` over stdio,
 * Streamable HTTP or SSE, and `@modelcontextprotocol/server-filesystem`.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** The pinned reference servers. */
export const EVERYTHING =
  "npm:@modelcontextprotocol/server-everything@2026.8.31";
export const FILESYSTEM =
  "npm:@modelcontextprotocol/server-filesystem@2026.8.31";
/** The pinned conformance suite. */
export const CONFORMANCE = "npm:@modelcontextprotocol/conformance@0.1.16";

/**
 * The servers' own configuration, whose lock file pins their packages.
 * Not the repository's deno.json: Deno installs every package of that lock
 * file on a fresh run of nanocode, so test servers listed there would be
 * downloaded by every new user.
 */
export const SERVERS_CONFIG = fileURLToPath(
  new URL("../mcp/servers/deno.json", import.meta.url),
);
/** The repository's deno.json: the import map local fixture servers use. */
export const REPO_CONFIG = fileURLToPath(
  new URL("../../deno.json", import.meta.url),
);

let cached: Promise<void> | null = null;

/**
 * Fetches the pinned servers and the conformance suite into Deno's cache
 * once per test process (from the npm registry on a clean machine), so no
 * server start-up waits on a download.
 */
export function ensureCached(): Promise<void> {
  return cached ??= (async () => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "cache",
        "--quiet",
        "--config",
        SERVERS_CONFIG,
        EVERYTHING,
        FILESYSTEM,
        CONFORMANCE,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(
        `Cannot fetch the MCP test servers: ${
          new TextDecoder().decode(out.stderr)
        }`,
      );
    }
  })();
}

/**
 * `deno run` arguments for a server: an npm program with the servers' own
 * lock, a local fixture file with the repository's configuration.
 */
export function denoRunArgs(spec: string, ...args: string[]): string[] {
  const config = spec.startsWith("npm:") ? SERVERS_CONFIG : REPO_CONFIG;
  return ["run", "-A", "--quiet", "--config", config, spec, ...args];
}

/** An `mcpServers` entry that runs server-everything over stdio. */
export function everythingStdio(): Record<string, unknown> {
  return { command: Deno.execPath(), args: denoRunArgs(EVERYTHING, "stdio") };
}

/** An `mcpServers` entry that runs server-filesystem over stdio, allowed `dirs`. */
export function filesystemStdio(...dirs: string[]): Record<string, unknown> {
  return { command: Deno.execPath(), args: denoRunArgs(FILESYSTEM, ...dirs) };
}

/** A server-everything process serving HTTP on 127.0.0.1. */
export interface HttpServer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT/mcp` (Streamable HTTP) or `.../sse` (SSE). */
  readonly url: string;
  readonly process: Deno.ChildProcess;
  close(): Promise<void>;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Starts server-everything in `streamableHttp` or `sse` mode on a free port
 * and waits until it listens.
 *
 * @example
 * ```ts ignore
 * await using server = await startEverythingHttp("streamableHttp");
 * ```
 */
export async function startEverythingHttp(
  mode: "streamableHttp" | "sse",
): Promise<HttpServer> {
  await ensureCached();
  const port = freePort();
  const process = new Deno.Command(Deno.execPath(), {
    args: denoRunArgs(EVERYTHING, mode),
    env: { PORT: String(port) },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = process.stderr.pipeThrough(new TextDecoderStream())
    .getReader();
  let seen = "";
  while (!/listening on port|running on port/i.test(seen)) {
    const { value, done } = await reader.read();
    if (done) {
      throw new Error(`server-everything ${mode} did not start: ${seen}`);
    }
    seen += value;
  }
  // Keep draining stderr so the server never blocks on it.
  (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })().catch(() => {});
  const close = async () => {
    try {
      process.kill("SIGKILL");
    } catch { /* gone */ }
    await process.status;
  };
  return {
    url: `http://127.0.0.1:${port}/${mode === "sse" ? "sse" : "mcp"}`,
    process,
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Whether a process is still running (not gone, not a zombie). */
export async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return false;
  }
}

/** Ids of processes whose command line contains `text` (Linux `/proc`). */
export async function processesWith(text: string): Promise<number[]> {
  const found: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name) || Number(entry.name) === Deno.pid) continue;
    try {
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      if (cmdline.includes(text) && await alive(Number(entry.name))) {
        found.push(Number(entry.name));
      }
    } catch { /* gone */ }
  }
  return found;
}
