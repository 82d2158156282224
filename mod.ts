/**
 * nanocode: a coding agent built as a Recursive Language Model. The model
 * writes JavaScript in a persistent, sandboxed REPL; file and shell tools
 * and sub-model calls are functions inside that REPL.
 *
 * @example Run one task in a folder
 * ```ts ignore
 * import { CodingAgent } from "@nanocode/nanocode";
 *
 * await using agent = new CodingAgent({
 *   workspace: ".",
 *   config: { lm: "openrouter/openai/gpt-5.2-codex" },
 * });
 * const { answer, usage } = await agent.forward("What does main.ts do?");
 * console.log(answer, usage.promptTokens);
 * ```
 *
 * @example Use the sandbox on its own
 * ```ts
 * import { Sandbox } from "@nanocode/nanocode";
 *
 * await using sandbox = new Sandbox({ cellTimeout: 5 });
 * await sandbox.run("const xs: number[] = [1, 2, 3]");
 * const result = await sandbox.run("xs.map((x) => x * 2)");
 * console.log(result.value); // "[ 2, 4, 6 ]"
 * ```
 *
 * @module
 */

// The coding agent (the Python original's RLMCodingProgram).
export { CodingAgent } from "./src/agent/coding_agent.ts";
export type {
  CodingAgentOptions,
  ForwardOptions,
  ForwardResult,
  Turn,
} from "./src/agent/types.ts";
export type { UserFunction } from "./src/agent/tool_functions.ts";
export {
  CODING_INSTRUCTIONS,
  codingSignature,
} from "./src/agent/instructions.ts";
export type { InstructionsFile } from "./src/agent/project_instructions.ts";
export type { SafetySettings } from "./src/agent/safety_setup.ts";
export type { UserCommand } from "./src/agent/user_command.ts";
export type { CompactResult } from "./src/agent/compact.ts";

// The RLM loop.
export { RLM } from "./src/rlm/rlm.ts";
export type {
  RlmOptions,
  RlmResult,
  RunOptions as RlmRunOptions,
  Step,
} from "./src/rlm/types.ts";
export type { EventSink, RlmEvent, UsageTotals } from "./src/rlm/events.ts";
export type { CallContext, ReplFunction } from "./src/rlm/functions.ts";
export type { Field, FieldType, Signature } from "./src/rlm/signature.ts";
export type { VariableView } from "./src/rlm/prompt.ts";
export { JAVASCRIPT, type ReplLanguage } from "./src/rlm/repl_language.ts";
export { ModelRefusal } from "./src/rlm/habits.ts";

// The sandbox.
export { Sandbox } from "./src/sandbox/sandbox.ts";
export type {
  CellError,
  CellResult,
  HostFunction,
  RunOptions as SandboxRunOptions,
  SandboxOptions,
  StateLoss,
} from "./src/sandbox/types.ts";
export type { SandboxCommand } from "./src/sandbox/bootstrap.ts";

// Language models.
export {
  OpenAiLm,
  type OpenAiLmOptions,
  type RetryInfo,
} from "./src/lm/client.ts";
export { LmError, type LmErrorKind } from "./src/lm/errors.ts";
export {
  type Provider,
  PROVIDERS,
  type ResolvedModel,
  resolveModel,
  type ResolveModelOptions,
} from "./src/lm/models.ts";
export type {
  ChatMessage,
  Completion,
  CompletionRequest,
  ContextBudget,
  LanguageModel,
  LmNotice,
  RetryNotice,
  Role,
  ToolCallReply,
  Usage,
} from "./src/lm/types.ts";

// Tools.
export { codingTools } from "./src/tools/all.ts";
export {
  createToolContext,
  type ToolContextOptions,
} from "./src/tools/context.ts";
export type {
  Access,
  FileStates,
  Tool,
  ToolContext,
  ToolParam,
  WriteChange,
} from "./src/tools/types.ts";

// Safety: approvals and the policy.
export {
  type ApprovalAnswer,
  type ApprovalReply,
  type ApprovalRequest,
  type Approver,
  headlessApprover,
  PermissionError,
} from "./src/safety/approval.ts";
export type { UndoOptions, UndoPlan, UndoResult } from "./src/undo/types.ts";

// Programs: saving, loading and sharing on the Modaic hub.
export type { ProgramState } from "./src/program/state.ts";
export {
  Hub,
  type HubOptions,
  type PushOptions,
  type PushResult,
} from "./src/program/hub.ts";
export type { HubUser } from "./src/program/hub_api.ts";
export type { FrontMatterValue } from "./src/program/front_matter.ts";

// Configuration.
export {
  type Config,
  DEFAULT_CONFIG,
  type PermissionMode,
} from "./src/config/fields.ts";
export {
  type ConfigSources,
  loadConfig,
  type LoadedConfig,
} from "./src/config/load.ts";
export type { EnvReader } from "./src/config/paths.ts";
export { VERSION } from "./src/version.ts";
