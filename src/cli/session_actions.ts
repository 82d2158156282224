/**
 * What the interactive session does once the prompt is up: run turns and
 * commands, ask for approvals, page, pick sessions. Loaded right after the
 * prompt is drawn, so start-up only waits for the prompt itself.
 *
 * @module
 */

export { terminalApprover } from "./approval_prompt.ts";
export { runCommand } from "./commands.ts";
export { mentionNote } from "./mentions.ts";
export { pickSession } from "./resume_picker.ts";
export { compactCommand, resumeInto, showResumed } from "./session_commands.ts";
export { runSessionTurn } from "./turn_runner.ts";
export { runUserCommand } from "./user_command.ts";
export { WorkspaceFiles } from "./workspace_files.ts";
export { openPager } from "../ui/pager.ts";
export { turnLines } from "../ui/step_record.ts";
export { readSession } from "../session/store.ts";
