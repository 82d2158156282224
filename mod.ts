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
 * @example Use the sandbox on its own (`@nanocode/nanocode/sandbox` loads only the sandbox)
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
export {
  AgentProgram,
  CODING_INSTRUCTIONS,
  CodingAgent,
  type CodingAgentOptions,
  codingSignature,
  type CompactResult,
  type ForwardOptions,
  type ForwardResult,
  type InstructionsFile,
  REPL_NAMES,
  type SafetySettings,
  type ToolCallable,
  ToolRegistry,
  type Turn,
  type UserCommand,
  type UserFunction,
} from "./src/agent/mod.ts";

// The RLM loop.
export {
  type CallContext,
  type EventSink,
  type Field,
  type FieldType,
  type FunctionDoc,
  JAVASCRIPT,
  ModelRefusal,
  PYTHON,
  type ReplFunction,
  type ReplLanguage,
  replLanguage,
  type ReplPrompt,
  RLM,
  type RlmEvent,
  type RlmOptions,
  type RlmResult,
  type RlmRunOptions,
  type Signature,
  type Step,
  type UsageTotals,
  type VariableView,
} from "./src/rlm/mod.ts";

// The sandbox.
export {
  type CellError,
  type CellResult,
  type HostFunction,
  type PythonSettings,
  type ReplName,
  Sandbox,
  type SandboxCommand,
  type SandboxOptions,
  type SandboxRunOptions,
  type StateLoss,
} from "./src/sandbox/mod.ts";

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
export {
  type Access,
  codingTools,
  type CommandRequest,
  type CommandRun,
  createToolContext,
  type FileStates,
  MAX_RESULT_BYTES,
  type Tool,
  type ToolContext,
  type ToolContextOptions,
  type ToolParam,
  type WriteChange,
} from "./src/tools/mod.ts";

// Commands: how a command runs (bubblewrap sandbox on Linux, plain elsewhere).
export {
  createExecutor,
  type ExecutorOptions,
  plainExecutor,
} from "./src/exec/executor.ts";
export {
  type RunResult,
  runToEnd,
  type RunToEndOptions,
} from "./src/exec/run.ts";
export {
  probeBubblewrap,
  type ProbeOptions,
  type ProbeResult,
} from "./src/exec/probe.ts";
export type {
  ExecProcess,
  ExecRequest,
  Executor,
  SandboxLevel,
  SandboxRequest,
  SandboxStatus,
} from "./src/exec/types.ts";

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
export type { InstructionChange } from "./src/program/python_instructions.ts";
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
  type SandboxSetting,
} from "./src/config/fields.ts";
export {
  type ConfigSources,
  loadConfig,
  type LoadedConfig,
} from "./src/config/load.ts";
export type { EnvReader } from "./src/config/paths.ts";
export { VERSION } from "./src/version.ts";

// MCP servers: give `mcpServers` (the `.mcp.json` shape) to CodingAgent;
// each tool is `mcp.<server>.<tool>(args)` in the REPL (also `./mcp`).
export * from "./src/mcp/mod.ts";
