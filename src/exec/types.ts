/**
 * The one interface every command nanocode starts goes through (`run_bash`
 * now; `!cmd`, batch set-up and verify commands and MCP stdio servers
 * later): what to run, where, with which environment, inside which sandbox.
 *
 * @module
 */

/**
 * How much a command may reach.
 *
 * - `workspace`: the root file system read-only, the workspace folders and
 *   a private temporary folder writable, `.git/` and `.nanocode/`
 *   read-only, secret files masked, private `/proc` and PID namespace, no
 *   network, no controlling terminal.
 * - `open`: the whole file system writable and the network shared (what
 *   `yolo` and an approved "leave the sandbox" get), but secret files stay
 *   masked and `/proc` private.
 * - `none`: no OS sandbox at all (the plain fallback).
 */
export type SandboxLevel = "workspace" | "open" | "none";

/** What a caller asks of the sandbox for one command. */
export interface SandboxRequest {
  /** How much the command may reach. */
  level: SandboxLevel;
  /** Share the network at the `workspace` level too (default false; `open` always has it). */
  network?: boolean;
  /**
   * Absolute paths of secret files the user approved for this command:
   * masks at or below them are left off.
   */
  unmask?: readonly string[];
}

/** One command to start. */
export interface ExecRequest {
  /** The program and its arguments, e.g. `["/bin/bash", "-c", "make"]`. */
  argv: readonly string[];
  /** Absolute folder the command starts in. */
  cwd: string;
  /** The command's whole environment (nothing else is inherited). */
  env: Record<string, string>;
  /** The sandbox to run in; default `{ level: "none" }`. */
  sandbox?: SandboxRequest;
  /** `piped` for a command that reads input (an MCP stdio server); default `null`. */
  stdin?: "null" | "piped";
}

/** A started command. */
export interface ExecProcess {
  /** Process id of what was started (bubblewrap's, when sandboxed). */
  readonly pid: number;
  /** The sandbox level actually in force (`none` where there is no sandbox). */
  readonly level: SandboxLevel;
  /**
   * The command's input, when `stdin: "piped"` was asked for. Close it when
   * done: outside the sandbox it is also the supervisor's lifeline, and
   * closing it ends the command and what it left running.
   */
  readonly stdin: WritableStream<Uint8Array> | null;
  /** The command's standard output. */
  readonly stdout: ReadableStream<Uint8Array>;
  /** The command's standard error. */
  readonly stderr: ReadableStream<Uint8Array>;
  /** Resolves when the started process exits (and the sandbox has checked what it left). */
  readonly status: Promise<Deno.CommandStatus>;
  /**
   * Lines for the model about what the sandbox did after the command
   * (nanocode's own files it created and that were removed); filled
   * before `status` resolves.
   */
  readonly notes?: readonly string[];
  /**
   * SIGKILLs the started process's group (cheap; call as soon as it must
   * stop). Returns whether any process of the group was left.
   */
  stop(): boolean;
  /**
   * Kills every process the command started, also those that left its
   * process group (`setsid`, `nohup ... &`); resolves when none is left.
   */
  killTree(): Promise<void>;
}

/** Whether commands get an OS sandbox here, and why not when they do not. */
export interface SandboxStatus {
  /** `bubblewrap` when commands run sandboxed; `none` otherwise. */
  kind: "bubblewrap" | "none";
  /** Why there is no sandbox (missing program, failed start, setting), for the user. */
  reason?: string;
}

/**
 * Starts commands. The real one is {@linkcode createExecutor}; tests and
 * embedders may pass their own.
 */
export interface Executor {
  /** Whether commands are sandboxed; probes once and caches the answer. */
  status(): Promise<SandboxStatus>;
  /** Starts a command (sandboxed as asked, when a sandbox is available). */
  spawn(request: ExecRequest): Promise<ExecProcess>;
  /** Removes what the executor made (its private temporary folder). */
  close(): Promise<void>;
}
