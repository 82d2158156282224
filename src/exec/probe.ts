/**
 * Whether bubblewrap can sandbox commands on this machine: it must be
 * installed and able to create the namespaces nanocode uses (containers
 * and kernels without user namespaces often refuse).
 *
 * @module
 */

import { findExecutable } from "../tools/context.ts";

/** The answer of {@linkcode probeBubblewrap}. */
export type ProbeResult =
  | { ok: true; path: string }
  | { ok: false; reason: string };

/** Options of {@linkcode probeBubblewrap}. */
export interface ProbeOptions {
  /** The operating system (default `Deno.build.os`). */
  os?: typeof Deno.build.os;
  /** `PATH` to look for `bwrap` in (default this process's). */
  path?: string;
}

const PROBE_TIMEOUT_MS = 10_000;
const cache = new Map<string, Promise<ProbeResult>>();

/**
 * Looks for `bwrap` and starts `true` in the sandbox nanocode uses (new
 * PID, IPC and network namespaces, read-only root, private `/proc` and
 * `/dev`, a read-only tmpfs). The answer is cached per `os` and `PATH`.
 *
 * @example
 * ```ts ignore
 * const probe = await probeBubblewrap();
 * console.log(probe.ok ? `sandbox: ${probe.path}` : probe.reason);
 * ```
 */
export function probeBubblewrap(
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const os = options.os ?? Deno.build.os;
  const pathEnv = options.path ?? Deno.env.get("PATH") ?? "";
  const key = `${os}\0${pathEnv}`;
  let probe = cache.get(key);
  if (!probe) {
    probe = runProbe(os, pathEnv);
    cache.set(key, probe);
  }
  return probe;
}

async function runProbe(
  os: typeof Deno.build.os,
  pathEnv: string,
): Promise<ProbeResult> {
  if (os === "darwin") {
    return {
      ok: false,
      reason:
        "macOS has no bubblewrap (a sandbox-exec profile is planned, not built yet)",
    };
  }
  if (os !== "linux") {
    return { ok: false, reason: `there is no command sandbox for ${os} yet` };
  }
  const bwrap = findExecutable("bwrap", pathEnv);
  if (!bwrap) {
    return {
      ok: false,
      reason:
        "bubblewrap is not installed (Debian/Ubuntu: apt-get install bubblewrap)",
    };
  }
  const args = [
    "--ro-bind",
    "/",
    "/",
    "--dev",
    "/dev",
    "--proc",
    "/proc",
    "--perms",
    "0555",
    "--tmpfs",
    "/tmp",
    "--remount-ro",
    "/tmp",
    "--unshare-pid",
    "--unshare-ipc",
    "--cap-drop",
    "ALL",
    "--unshare-net",
    "--die-with-parent",
    "--new-session",
    "--",
    "true",
  ];
  try {
    const child = new Deno.Command(bwrap, {
      args,
      clearEnv: true,
      env: { PATH: pathEnv || "/usr/bin:/bin" },
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }, PROBE_TIMEOUT_MS);
    const out = await child.output().finally(() => clearTimeout(timer));
    if (out.success) return { ok: true, path: bwrap };
    const said = new TextDecoder().decode(out.stderr).trim().split("\n")[0] ||
      `exit code ${out.code}`;
    return { ok: false, reason: `bubblewrap cannot start here (${said})` };
  } catch (error) {
    return {
      ok: false,
      reason: `bubblewrap cannot start here (${(error as Error).message})`,
    };
  }
}
