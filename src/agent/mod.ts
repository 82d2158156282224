/**
 * The coding agent: the Python original's `RLMCodingProgram` (the RLM, the
 * six coding tools, a persistent sandbox, the safety layer, and saving and
 * loading programs).
 *
 * @example
 * ```ts ignore
 * import { CodingAgent } from "@nanocode/nanocode/agent";
 *
 * await using agent = new CodingAgent({ workspace: ".", conversation: true });
 * const { answer } = await agent.forward("What does main.ts do?");
 * console.log(answer);
 * ```
 *
 * @module
 */

export { CodingAgent } from "./coding_agent.ts";
export { AgentProgram } from "./agent_program.ts";
export type {
  CodingAgentOptions,
  ForwardOptions,
  ForwardResult,
  Turn,
} from "./types.ts";
export type { UserFunction } from "./tool_functions.ts";
export { type ToolCallable, ToolRegistry } from "./tool_registry.ts";
export { CODING_INSTRUCTIONS, codingSignature } from "./instructions.ts";
export type { InstructionsFile } from "./project_instructions.ts";
export type { SafetySettings } from "./safety_setup.ts";
export type { UserCommand } from "./user_command.ts";
export type { CompactResult } from "./compact.ts";
export { REPL_NAMES } from "./reserved_names.ts";
