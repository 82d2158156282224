/**
 * Types shared by the coding tools.
 *
 * @module
 */

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
 * name) and returns the text the cell gets back.
 */
export interface Tool {
  /** Function name in the REPL, e.g. `read_file`. */
  readonly name: string;
  /** One line: what the tool does, for the prompt. */
  readonly description: string;
  /** Parameters in positional order. */
  readonly params: readonly ToolParam[];
  /** Runs the tool with the cell's arguments and resolves with the text for the cell. */
  run(args: unknown[], context: ToolContext): Promise<string>;
}
