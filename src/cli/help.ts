/**
 * The `--help` text.
 *
 * @module
 */

import { DEFAULT_CONFIG, FIELDS } from "../config/fields.ts";
import { COMMAND_HELP } from "./slash_registry.ts";
import { VERSION } from "../version.ts";

/**
 * The help text, listing every flag with its default and environment
 * variable, and every slash command of the interactive session (from the
 * same list `/help` shows).
 *
 * @example
 * ```ts
 * import { helpText } from "./help.ts";
 * console.log(helpText().includes("--max-iters")); // true
 * ```
 */
export function helpText(): string {
  const fieldLines = FIELDS.map((f) => {
    const flag = f.kind === "boolean"
      ? `--${f.flag}, --no-${f.flag}`
      : `--${f.flag} ${
        f.kind === "string"
          ? "TEXT"
          : f.kind === "mode" || f.kind === "effort"
          ? "MODE"
          : f.kind === "choice"
          ? (f.choices ?? []).join("|")
          : "N"
      }`;
    return `  ${flag.padEnd(34)}${f.description} (default ${
      JSON.stringify(DEFAULT_CONFIG[f.key])
    }; ${f.env})`;
  });
  const commandLines = COMMAND_HELP.map(([command, help]) =>
    `  ${command.padEnd(34)}${help}`
  );
  return `nanocode ${VERSION} — a coding agent that works through a sandboxed JavaScript (or Python) REPL

Usage:
  nanocode                         interactive session in the current folder
  nanocode "TASK"                  run one task, print the answer, exit
  nanocode -p "TASK"               the same (also: echo "TASK" | nanocode)
  nanocode push OWNER/NAME         save this configuration as a program on the Modaic hub
  nanocode mcp list|get|add|remove|call
                                   manage MCP servers (see: nanocode mcp --help)
  nanocode batch TASKS.jsonl       run many tasks, each in its own copy (see: nanocode batch --help)
  nanocode worker --queue URL      run batch tasks from a Redis queue (see: nanocode worker --help)

Session:
  -c, --continue                    resume the last session of this folder
  --resume [ID]                     resume a session (lists them when no ID)
  --output-format text|json|stream-json
                                    headless output (default text)
  -y, --yes                         headless: allow what would ask (deny rules still apply)
  --add-dir DIR                     let tools use another folder too (repeatable)
  --program OWNER/NAME[@REV]        load a saved program (hub id or local folder)
  --model NAME                      the same as --lm
  --config FILE                     read settings from FILE
  --trust-project                   apply this folder's .nanocode/config.json in full for this run

Undo (only the turns of one session; the last session of this folder, or --resume ID):
  --undo                            show what undoing its last turn changes, ask, undo
  --redo                            the same for reversing its last undo
  -y, --yes                         apply without asking (files changed after the turn are kept)
  --overwrite                       also put back files changed after the turn

Settings (flags > environment > --config > .nanocode/config.json > user config > defaults):
${fieldLines.join("\n")}
  MODEL                             environment variable that overrides lm

Keys: OPENROUTER_API_KEY for openrouter/... models, OPENAI_API_KEY for openai/...,
      ANTHROPIC_API_KEY, GEMINI_API_KEY, DEEPSEEK_API_KEY, GROQ_API_KEY, ... for the others
      (with only OPENROUTER_API_KEY set they go through OpenRouter), none for ollama/... or
      a server on 127.0.0.1 (--api-base http://127.0.0.1:8080/v1).

Interactive commands:
${commandLines.join("\n")}

Exit codes: 0 done, 1 the turn failed, 2 bad usage or configuration, 129 the terminal closed (SIGHUP), 130 interrupted.
  -h, --help                        this help
  -V, --version                     print the version
`;
}
