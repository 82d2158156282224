/**
 * The real {@linkcode Executor}: bubblewrap on Linux where it works, the
 * plain process otherwise.
 *
 * @module
 */

import type { SandboxSetting } from "../config/fields.ts";
import { homeSecretPaths, isWithin } from "../policy/classify.ts";
import { bwrapArgs, type BwrapPlan } from "./bwrap_args.ts";
import { GitConfigShield } from "./git_config.ts";
import { removePlanted } from "./planted.ts";
import { SETTING_OFF } from "./describe.ts";
import { probeBubblewrap, type ProbeResult } from "./probe.ts";
import { type SecretScan, SecretScanner } from "./secret_scan.ts";
import { spawnProcess } from "./spawn.ts";
import { commandCapDrop } from "./cap_drop.ts";
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
  /** Most workspace folders the secret scan lists before each command (default 100,000). */
  scanLimit?: number;
  /** Whether bubblewrap works; default {@linkcode probeBubblewrap}. */
  probe?: () => Promise<ProbeResult>;
}

/**
 * Starts every command as a plain process (no OS sandbox): what a tool
 * context without an executor uses. When nanocode runs as root and has
 * sealed itself, a command loses the capabilities that would read its
 * memory (`./cap_drop.ts`).
 *
 * @example
 * ```ts ignore
 * const child = await plainExecutor.spawn({ argv: ["/bin/bash", "-c", "ls"], cwd: "/w", env: {} });
 * ```
 */
export const plainExecutor: Executor = {
  status: () =>
    Promise.resolve({ kind: "none", reason: "no command sandbox is set up" }),
  spawn: async (request) =>
    spawnProcess({
      argv: request.argv,
      cwd: request.cwd,
      env: request.env,
      stdin: request.stdin ?? "null",
      level: "none",
      // A root agent's commands lose what would read its memory.
      prefix: (await commandCapDrop()).prefix,
    }),
  close: () => Promise.resolve(),
};

/**
 * Folders hidden at the `workspace` level: daemons' sockets (Docker,
 * ssh-agent, tmux, X11) and mounted secrets live there. A socket is
 * reached through a read-only file system too, and the network namespace
 * does not cover it.
 */
const HIDDEN = ["/run", "/var/run", "/tmp", "/var/tmp"];

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
  const scanner = new SecretScanner({
    ...options,
    maxDirs: options.scanLimit,
    alwaysMask: options.home === "/" ? [] : homeSecretPaths(options.home),
  });
  let probing: Promise<ProbeResult> | null = null;
  let state: {
    base: string;
    empty: string;
    tmp: string;
    shield: GitConfigShield;
  } | null = null;
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
    // nanocode's own folders exist before any command runs, so they are
    // masked rather than left for a command to create and fill.
    for (const dir of options.protectedDirs) {
      try {
        Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
      } catch {
        // an unwritable home: nothing can be planted there either
      }
    }
    const shield = new GitConfigShield(`${base}/git`);
    return state = { base, empty, tmp, shield };
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
      const { empty, tmp, shield } = ensureState();
      const scan = scanner.scan();
      const plan = planFor(sandbox, request.cwd, scan, {
        roots: options.roots,
        home: options.home,
        emptyFile: empty,
        tmp,
        replace: () => shield.binds(scan.gitConfigs),
      });
      const env = plan.level === "workspace"
        ? { ...request.env, TMPDIR: tmp }
        : request.env;
      const child = spawnProcess({
        argv: [result.path, ...bwrapArgs(plan, request.argv)],
        cwd: request.cwd,
        env,
        stdin: request.stdin ?? "null",
        level: plan.level,
      });
      // A `.nanocode` the command made (no mount can stop a new one) goes,
      // unless the user approved a command that names it.
      const before = new Set(scan.ownEntries);
      const approved = sandbox.unmask ?? [];
      const notes: string[] = [];
      const status = child.status.then((exit) => {
        const after = scanner.scan().ownEntries.filter((path) =>
          !approved.some((u) => isWithin(u, path) || isWithin(path, u))
        );
        const note = removePlanted(before, after, options.roots);
        if (note) notes.push(note);
        return exit;
      });
      return { ...child, status, notes };
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
  where: {
    roots: readonly string[];
    home: string;
    emptyFile: string;
    tmp: string;
    /** Redacted git configs to bind (written only when asked for). */
    replace: () => { source: string; path: string }[];
  },
): BwrapPlan {
  const level = sandbox.level === "open" ? "open" : "workspace";
  // What the user approved is shown: a named file or folder, and what is
  // in a named folder; a masked folder around a named file stays masked,
  // with only that file bound back into it.
  const unmask = sandbox.unmask ?? [];
  const kept = (path: string) => !unmask.some((u) => isWithin(path, u));
  const maskDirs = scan.maskDirs.filter(kept);
  const reveal = unmask.filter((u) =>
    maskDirs.some((dir) => isWithin(u, dir) && u !== dir) && exists(u)
  );
  // A hidden folder a workspace root lies in (or is) is hidden around it;
  // one inside a root (a workspace of `/`) is not hidden.
  const hide = level === "workspace"
    ? HIDDEN.filter((dir) =>
      isRealDir(dir) && !where.roots.some((root) => isWithin(dir, root))
    )
    : [];
  const home = where.home;
  return {
    level,
    network: level === "open" || sandbox.network === true,
    cwd,
    hide,
    readable: home !== "/" && hide.some((dir) => isWithin(home, dir))
      ? [home]
      : [],
    writable: [...where.roots, where.tmp],
    gitDirs: scan.gitDirs,
    ownDirs: scan.ownDirs,
    maskFiles: scan.maskFiles.filter(kept),
    maskDirs,
    reveal,
    replace: level === "workspace" ? where.replace() : [],
    emptyFile: where.emptyFile,
  };
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isRealDir(path: string): boolean {
  try {
    return Deno.lstatSync(path).isDirectory;
  } catch {
    return false;
  }
}
