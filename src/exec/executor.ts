/**
 * The real {@linkcode Executor}: bubblewrap on Linux where it works, the
 * plain process otherwise.
 *
 * @module
 */

import type { SandboxSetting } from "../config/fields.ts";
import { isWithin } from "../policy/classify.ts";
import { bwrapArgs, type BwrapPlan } from "./bwrap_args.ts";
import { SETTING_OFF } from "./describe.ts";
import { probeBubblewrap, type ProbeResult } from "./probe.ts";
import { type SecretScan, SecretScanner } from "./secret_scan.ts";
import { spawnProcess } from "./spawn.ts";
import type {
  ExecProcess,
  ExecRequest,
  Executor,
  SandboxRequest,
  SandboxStatus,
} from "./types.ts";

/** How {@linkcode createExecutor} is set up. */
export interface ExecutorOptions {
  /** The `sandbox` setting. */
  sandbox: SandboxSetting;
  /** Workspace folders (absolute, real): writable in the sandbox. */
  roots: readonly string[];
  /** The user's home folder (its credential folders are masked). */
  home: string;
  /** nanocode's own folders (config, data): masked. */
  protectedDirs: readonly string[];
  /** Why a path looks secret, or `undefined`: the policy's own test. */
  secretReason(path: string): string | undefined;
  /** Whether bubblewrap works; default {@linkcode probeBubblewrap}. */
  probe?: () => Promise<ProbeResult>;
}

/**
 * Starts every command as a plain process (no OS sandbox): what a tool
 * context without an executor uses.
 *
 * @example
 * ```ts ignore
 * const child = await plainExecutor.spawn({ argv: ["/bin/bash", "-c", "ls"], cwd: "/w", env: {} });
 * ```
 */
export const plainExecutor: Executor = {
  status: () =>
    Promise.resolve({ kind: "none", reason: "no command sandbox is set up" }),
  spawn: (request) =>
    Promise.resolve(spawnProcess({
      argv: request.argv,
      cwd: request.cwd,
      env: request.env,
      stdin: request.stdin ?? "null",
      level: "none",
    })),
  close: () => Promise.resolve(),
};

/** Folders hidden at the `workspace` level: sockets (Docker, ssh-agent) and mounted secrets live there. */
const HIDDEN = ["/run", "/var/run"];

/**
 * Builds the executor. With `sandbox: "auto"` the first `status()` or
 * sandboxed `spawn()` probes bubblewrap once; where it is missing or
 * cannot start, commands run as plain processes and `status()` says why.
 *
 * @example
 * ```ts ignore
 * const executor = createExecutor({
 *   sandbox: "auto", roots: ["/w"], home: "/h", protectedDirs: [],
 *   secretReason: (p) => policy.secretReason(p),
 * });
 * const child = await executor.spawn({
 *   argv: ["/bin/bash", "-c", "make test"], cwd: "/w", env: { PATH: "/usr/bin:/bin" },
 *   sandbox: { level: "workspace" },
 * });
 * ```
 */
export function createExecutor(options: ExecutorOptions): Executor {
  const scanner = new SecretScanner(options);
  let probing: Promise<ProbeResult> | null = null;
  let state: { base: string; empty: string; tmp: string } | null = null;
  const probe = () =>
    probing ??= options.sandbox === "off"
      ? Promise.resolve({ ok: false, reason: SETTING_OFF } as ProbeResult)
      : (options.probe ?? probeBubblewrap)();

  const ensureState = () => {
    if (state) return state;
    const base = Deno.makeTempDirSync({ prefix: "nanocode-exec-" });
    const empty = `${base}/empty`;
    Deno.writeFileSync(empty, new Uint8Array(), { mode: 0o444 });
    Deno.chmodSync(empty, 0o444);
    const tmp = `${base}/tmp`;
    Deno.mkdirSync(tmp, { mode: 0o700 });
    return state = { base, empty, tmp };
  };

  return {
    async status(): Promise<SandboxStatus> {
      const result = await probe();
      return result.ok
        ? { kind: "bubblewrap" }
        : { kind: "none", reason: result.reason };
    },

    async spawn(request: ExecRequest): Promise<ExecProcess> {
      const sandbox = request.sandbox ?? { level: "none" };
      const plain = () => plainExecutor.spawn(request);
      if (sandbox.level === "none") return plain();
      const result = await probe();
      if (!result.ok) return plain();
      const { empty, tmp } = ensureState();
      const plan = planFor(sandbox, request.cwd, scanner.scan(), {
        roots: options.roots,
        emptyFile: empty,
        tmp,
      });
      const env = plan.level === "workspace"
        ? { ...request.env, TMPDIR: tmp }
        : request.env;
      return spawnProcess({
        argv: [result.path, ...bwrapArgs(plan, request.argv)],
        cwd: request.cwd,
        env,
        stdin: request.stdin ?? "null",
        level: plan.level,
      });
    },

    async close(): Promise<void> {
      const base = state?.base;
      state = null;
      if (base) await Deno.remove(base, { recursive: true }).catch(() => {});
    },
  };
}

/** The bubblewrap plan for one request, from a fresh scan. */
function planFor(
  sandbox: SandboxRequest,
  cwd: string,
  scan: SecretScan,
  where: { roots: readonly string[]; emptyFile: string; tmp: string },
): BwrapPlan {
  const level = sandbox.level === "open" ? "open" : "workspace";
  const unmask = sandbox.unmask ?? [];
  const kept = (path: string) =>
    !unmask.some((u) => isWithin(path, u) || isWithin(u, path));
  const holdsRoot = (dir: string) =>
    [...where.roots, where.tmp].some((root) => isWithin(root, dir));
  return {
    level,
    network: level === "open" || sandbox.network === true,
    cwd,
    hide: HIDDEN.filter((dir) => isRealDir(dir) && !holdsRoot(dir)),
    writable: [...where.roots, where.tmp],
    gitDirs: scan.gitDirs,
    ownDirs: scan.ownDirs,
    maskFiles: scan.maskFiles.filter(kept),
    maskDirs: scan.maskDirs.filter(kept),
    emptyFile: where.emptyFile,
  };
}

function isRealDir(path: string): boolean {
  try {
    return Deno.lstatSync(path).isDirectory;
  } catch {
    return false;
  }
}
