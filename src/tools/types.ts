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
  name: string;
  /** Type shown in the prompt: `string`, `number`, `boolean`, `string[]`. */
  type: string;
  optional?: boolean;
  description: string;
}

/**
 * A function callable from cell code. `run` receives the positional
 * arguments as the cell passed them (or one object keyed by parameter
 * name) and returns the text the cell gets back.
 */
export interface Tool {
  readonly name: string;
  /** One line: what the tool does, for the prompt. */
  readonly description: string;
  readonly params: readonly ToolParam[];
  run(args: unknown[], context: ToolContext): Promise<string>;
}
