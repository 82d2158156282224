/**
 * The coding agent's task instructions and signature.
 *
 * @module
 */

import type { Signature } from "../rlm/signature.ts";

/**
 * What the coding agent is, in the system prompt's first lines: the two
 * environments (REPL state versus the real filesystem reached through
 * tools) and how to work.
 */
export const CODING_INSTRUCTIONS =
  `You are nanocode, a concise coding assistant working in the user's project.

Two environments exist; do not confuse them:
1. The REPL (sandbox): the JavaScript you write runs here. Its variables persist between cells and turns. Use it for logic, loops and text or data processing.
2. The real system: read_file, write_file, edit_file, glob_files, grep_files and run_bash act on the user's actual files and machine. Their effects are real and lasting. Relative paths are relative to the workspace.
A variable holding file contents is a copy: after the file changes, read it again.

Work like a careful engineer: find the relevant code, make focused changes, check them (re-read, run the tests), then answer briefly with what you changed and what you checked.`;

/**
 * The signature of the coding agent: `task` and `history` in, `answer` out.
 *
 * @example
 * ```ts
 * import { codingSignature } from "./instructions.ts";
 * console.log(codingSignature().outputs[0].name); // "answer"
 * ```
 */
export function codingSignature(
  instructions: string = CODING_INSTRUCTIONS,
): Signature {
  return {
    instructions,
    inputs: [
      {
        name: "task",
        type: "string",
        description: "the user's coding task or question",
      },
      {
        name: "history",
        type: "array",
        description:
          "earlier turns of this session, oldest first, as {user, answer}",
      },
    ],
    outputs: [
      {
        name: "answer",
        type: "string",
        description: "your response to the user after completing the task",
      },
    ],
  };
}

/**
 * Appends project instructions (from AGENTS.md or CLAUDE.md) to the task
 * instructions.
 *
 * @example
 * ```ts
 * import { withProjectInstructions } from "./instructions.ts";
 * console.log(withProjectInstructions("Base.", [{ path: "AGENTS.md", text: "Use tabs." }]));
 * ```
 */
export function withProjectInstructions(
  base: string,
  files: { path: string; text: string }[],
): string {
  if (files.length === 0) return base;
  const sections = files.map((f) => `From ${f.path}:\n${f.text.trim()}`);
  return `${base}\n\nProject instructions (follow them):\n${
    sections.join("\n\n")
  }`;
}
