/**
 * Types shared by the coding tools.
 *
 * @module
 */

import type { Executor, SandboxRequest } from "../exec/types.ts";

/** Kinds of file access a tool asks for. */
export type Access = "read" | "write";

/**
 * What a tool may touch and how. The agent builds one per call; the policy
 * (workspace confinement, approvals) plugs in through `resolvePath` and
 * `authorize`.
 */
export interface ToolContext {
  /** Absolute, real path of the workspace; relative paths resolve here. */
  readonly workspace: string;
  /** Aborted when the user interrupts the turn. */
  readonly signal: AbortSignal;
  /**
   * Turns a path given by the model into the absolute path to use.
   * Throws an `Error` whose message is shown to the model when the access
   * is not allowed.
   */
  resolvePath(path: string, access: Access): Promise<string>;
  /** Environment variables for commands started by `run_bash`. */
  readonly env: Record<string, string>;
  /** Path of `rg` when ripgrep is to be used, or `null` for the built-in search. */
  readonly rgPath: string | null;
  /** Receives command output as it arrives (for a live view); optional. */
  readonly onOutput?: (text: string) => void;
  /**
   * Called by `write_file` and `edit_file` with the complete change, after
   * it is computed and before anything is written. The safety policy asks
   * the user here (showing a diff) and throws an `Error` whose message
   * tells the model the change was not made. Absent: allowed.
   */
  confirmWrite?(change: WriteChange): Promise<void>;
  /**
   * Called by `run_bash` with the command line (and the model's request to
   * leave the sandbox) before it starts; throws when the command may not
   * run. Returns where it runs; nothing (or absent): no sandbox.
   */
  confirmCommand?(
    command: string,
    request?: CommandRequest,
  ): Promise<CommandRun | void>;
  /** Starts commands; absent: plain processes (no OS sandbox). */
  readonly executor?: Executor;
  /**
   * Called by tools that act elsewhere (MCP tools) with the call before it
   * is made; throws when it may not run (the policy asks the user here).
   * Absent: allowed.
   */
  confirmCall?(call: ToolCallRequest): Promise<void>;
  /** Receives progress of a long call (for the spinner); optional. */
  readonly onProgress?: (progress: ToolProgress) => void;
  /**
   * What the model has seen of each file, so a write or edit can be refused
   * when the file changed on disk since it was last read. Absent: no checks.
   */
  readonly files?: FileStates;
  /**
   * Files the search tools must not show contents or names of (secret-looking
   * files). Absent: nothing is excluded.
   */
  excluded?(absolutePath: string): boolean;
}

/** A call of an MCP tool about to be made, for {@linkcode ToolContext.confirmCall}. */
export interface ToolCallRequest {
  /** The server's name as configured. */
  server: string;
  /** The tool's name as the server gives it. */
  tool: string;
  /** The arguments, as they will be sent. */
  args: Record<string, unknown>;
  /** Whether the server marks the tool read-only (`readOnlyHint`). */
  readOnly: boolean;
}

/** Progress a long call reports. */
export interface ToolProgress {
  /** Work done so far (grows with each report). */
  progress: number;
  /** Total work, when known. */
  total?: number;
  /** What the tool is doing, when it says. */
  message?: string;
}

/** What the model asked about a command besides its text. */
export interface CommandRequest {
  /** `false`: run it outside the sandbox (the user is asked). */
  sandbox?: boolean;
}

/** Where an allowed command runs. */
export interface CommandRun {
  /** The sandbox to start it in. */
  sandbox: SandboxRequest;
}

/** A write or edit about to happen, for {@linkcode ToolContext.confirmWrite}. */
export interface WriteChange {
  /** The tool making the change (`write_file`, `edit_file`). */
  tool: string;
  /** Absolute path of the file. */
  path: string;
  /** The path as the model gave it (for messages and prompts). */
  display: string;
  /** The file's current text, or `null` when it does not exist yet. */
  before: string | null;
  /** The text the file will hold. */
  after: string;
}

/**
 * Tracks what the model last saw of each file (size, mtime, content hash)
 * and serialises changes to one path.
 */
export interface FileStates {
  /** Records the state of a file the model has just read (or written). */
  record(path: string, bytes: Uint8Array): Promise<void>;
  /**
   * Records a file the model has read only part of (its first lines, say)
   * by size and modification time, without reading the rest to hash it.
   * Optional: without it, partial reads are not recorded.
   */
  recordPart?(path: string): Promise<void>;
  /**
   * Throws an `Error` telling the model to read the file again when it
   * changed on disk since it was last recorded. A file never recorded passes.
   */
  check(path: string, display: string): Promise<void>;
  /** Runs `fn` while holding the lock of `path` (changes to one path never overlap). */
  lock<T>(path: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Whether the model has read (or written) `path` in this session;
   * `write_file` refuses to replace an existing file it has not. Absent:
   * every file counts as read.
   */
  known?(path: string): boolean;
}

/** One parameter of a tool, as the model sees it. */
export interface ToolParam {
  /** Parameter name, shown in the call form and used as the key of a keyed-object call. */
  name: string;
  /** Type shown in the prompt: `string`, `number`, `boolean`, `string[]`. */
  type: string;
  /** Whether the parameter may be omitted (shown as `name?`). Default false. */
  optional?: boolean;
  /** One line on what the parameter means, for the prompt. */
  description: string;
}

/**
 * A function callable from cell code. `run` receives the positional
 * arguments as the cell passed them (or one object keyed by parameter
 * name) and returns the text the cell gets back (for tools that return
 * data, such as MCP tools, a JSON value: `Tool<unknown>`).
 */
export interface Tool<R = string> {
  /** Function name in the REPL, e.g. `read_file`. */
  readonly name: string;
  /** One line: what the tool does, for the prompt. */
  readonly description: string;
  /** Parameters in positional order. */
  readonly params: readonly ToolParam[];
  /** Runs the tool with the cell's arguments and resolves with the text for the cell. */
  run(args: unknown[], context: ToolContext): Promise<R>;
}
