/**
 * Puts the safety pieces together for an agent: the policy (workspace,
 * modes, rules), the approver, the file-state tracker, the undo snapshots
 * and the scrubbed command environment.
 *
 * @module
 */

import type { Config } from "../config/fields.ts";
import { dataDir, type EnvReader, userConfigPath } from "../config/paths.ts";
import { createExecutor } from "../exec/executor.ts";
import type { Executor } from "../exec/types.ts";
import { scrubEnv } from "../policy/env.ts";
import { Policy } from "../policy/policy.ts";
import { type Approver, headlessApprover } from "../safety/approval.ts";
import { FileStateTracker } from "../safety/file_states.ts";
import { guardedContext } from "../safety/guard.ts";
import { openSnapshots } from "../undo/open.ts";
import type { Snapshots } from "../undo/snapshots.ts";
import { findRipgrep } from "../tools/context.ts";
import type { ToolContext, WriteChange } from "../tools/types.ts";
import { dirname } from "../util/path.ts";

/** Settings of {@linkcode setUpSafety}. */
export interface SafetyOptions extends SafetySettings {
  /** Absolute, real path of the workspace. */
  workspace: string;
  /** The configuration (its `permission_mode` starts the policy's mode). */
  config: Config;
  /** Where `HOME` and nanocode's folders are read from. */
  env: EnvReader;
  /** The current turn's number (a snapshot is taken once per turn). */
  turn: () => number;
  /** The current turn's request (shown when undoing it). */
  task?: () => string | undefined;
}

/** The safety settings an agent takes (all optional, with safe defaults). */
export interface SafetySettings {
  /**
   * Answers approval requests (a terminal prompt in the CLI). Default:
   * refuse whatever would ask, as headless mode does; set
   * `config.permission_mode` to `auto-edit` or `yolo` to ask less.
   */
  approver?: Approver;
  /** Allow and deny rules, e.g. `{ allow: ["run_bash(git status*)"], deny: ["read_file(.env)"] }`. */
  permissions?: { allow?: string[]; deny?: string[] };
  /** More folders the tools may use besides the workspace. */
  addDirs?: string[];
  /** Variables `run_bash` keeps although their names look secret (`GITHUB_TOKEN`). */
  envAllow?: string[];
  /** The environment commands start from, before scrubbing. Default: this process's. */
  commandEnv?: Record<string, string>;
  /** Folder of the undo snapshots; `null` turns them off. Default: under nanocode's data folder. */
  snapshotsDir?: string | null;
  /** Whether MCP tools marked read-only (`readOnlyHint`) run without asking. Default false. */
  mcpAllowReadOnly?: boolean;
  /**
   * Starts `run_bash` commands. Default: bubblewrap where it works (see
   * `config.sandbox`), plain processes otherwise.
   */
  executor?: Executor;
  /**
   * The session `undo` belongs to: only its turns can be undone. Give the
   * same id again to undo a resumed session's turns. Default: a new id.
   */
  sessionId?: string;
}

/** The assembled safety layer of one agent. */
export interface Safety {
  /** Decides file accesses and commands. */
  readonly policy: Policy;
  /** Starts commands (sandboxed where it can). */
  readonly executor: Executor;
  /** Undo snapshots, or `null` when unavailable (no git) or turned off. */
  readonly snapshots: Snapshots | null;
  /** Builds the context for one call of `tool`. */
  contextFor(
    tool: string,
    signal: AbortSignal,
    onOutput?: (text: string) => void,
    onChange?: (change: WriteChange) => void,
  ): ToolContext;
  /** Stops background snapshot work and releases the executor's temporary folder. */
  close(): Promise<void>;
}

function processEnvironment(): Record<string, string> {
  try {
    return Deno.env.toObject();
  } catch {
    return {};
  }
}

/**
 * Builds the safety layer.
 *
 * @example
 * ```ts ignore
 * const safety = setUpSafety({ workspace, config, env: processEnv, approver });
 * const context = safety.contextFor("read_file", signal);
 * ```
 */
export function setUpSafety(options: SafetyOptions): Safety {
  const { env } = options;
  const homeVar = env("HOME") ?? env("USERPROFILE");
  // `~` means the home folder only when it is a real absolute path.
  const home = homeVar && homeVar.startsWith("/") ? homeVar : "/";
  const roots = [options.workspace];
  for (const dir of options.addDirs ?? []) {
    try {
      roots.push(Deno.realPathSync(dir));
    } catch {
      throw new Error(`Cannot add folder ${dir}: it does not exist`);
    }
  }
  // nanocode's own config and data folders (none known without a home folder).
  let ownDirs: { config: string; data: string } | null = null;
  try {
    ownDirs = { config: dirname(userConfigPath(env)), data: dataDir(env) };
  } catch {
    ownDirs = null;
  }
  const protectedDirs = ownDirs ? [ownDirs.config, ownDirs.data] : [];
  // A snapshot store elsewhere is nanocode's own too.
  if (options.snapshotsDir) protectedDirs.push(options.snapshotsDir);
  const policy = new Policy({
    roots,
    home,
    protectedDirs,
    mode: options.config.permission_mode,
    allow: options.permissions?.allow,
    deny: options.permissions?.deny,
    mcpAllowReadOnly: options.mcpAllowReadOnly,
  });
  const approver = options.approver ?? headlessApprover(false);
  const files = new FileStateTracker();
  const snapshots = openSnapshots({
    workspace: options.workspace,
    env,
    session: options.sessionId,
    storeDir: options.snapshotsDir,
  });
  // The first snapshot runs in the background, so the first turn's only
  // adds what changed since.
  void snapshots?.start();
  const commandEnv = scrubEnv(
    options.commandEnv ?? processEnvironment(),
    options.envAllow ?? [],
  );
  const rgPath = findRipgrep();
  const executor = options.executor ?? createExecutor({
    sandbox: options.config.sandbox ?? "auto",
    roots,
    home,
    protectedDirs,
    secretReason: (path) => policy.secretReason(path),
  });
  const guard = {
    policy,
    approver,
    workspace: options.workspace,
    home,
    files,
    snapshot: snapshots
      ? () => snapshots.ensure(options.turn(), options.task?.())
      : undefined,
    env: commandEnv,
    rgPath,
    executor,
  };
  return {
    policy,
    executor,
    snapshots,
    contextFor: (tool, signal, onOutput, onChange) =>
      guardedContext(tool, signal, guard, onOutput, onChange),
    close: async () => {
      await snapshots?.close();
      await executor.close();
    },
  };
}
