/**
 * The slash commands of the interactive session: names, aliases, arguments
 * and one line of help each. This list is the one source for `/help`, the
 * `/` completion menu and anything else that lists them; it loads nothing
 * else, so `--help` can use it too.
 *
 * @module
 */

/** A slash command's description. */
export interface SlashCommandInfo {
  /** The name without the slash. */
  name: string;
  /** Other names it answers to. */
  aliases?: string[];
  /** Its arguments, e.g. `[NAME]`. */
  args?: string;
  /** What it does. */
  help: string;
}

/**
 * Every built-in slash command, in the order `/help` lists them.
 *
 * @example
 * ```ts
 * import { SLASH_COMMANDS } from "./slash_registry.ts";
 * console.log(SLASH_COMMANDS.some((c) => c.name === "compact")); // true
 * ```
 */
export const SLASH_COMMANDS: readonly SlashCommandInfo[] = [
  { name: "help", help: "this list, and the keys" },
  {
    name: "clear",
    aliases: ["c"],
    help: "forget the conversation and reset the REPL",
  },
  {
    name: "quit",
    aliases: ["q", "exit"],
    help: "quit (also Ctrl-D, or Ctrl-C twice at an empty prompt)",
  },
  {
    name: "model",
    args: "[NAME]",
    help: "list the server's models, or switch the main model",
  },
  {
    name: "mode",
    args: "[MODE]",
    help:
      "show or set the permission mode: ask, auto-edit, plan, yolo (Shift-Tab cycles)",
  },
  {
    name: "status",
    help: "model, mode, sandbox, folder, context used, session",
  },
  { name: "usage", help: "tokens, cost and time of this session" },
  {
    name: "compact",
    help: "summarise the conversation so far into one turn of history",
  },
  {
    name: "resume",
    args: "[N|ID]",
    help: "pick an earlier session of this folder and continue it",
  },
  { name: "init", help: "draft an AGENTS.md for this repository" },
  { name: "diff", help: "the changes nanocode made to files in this session" },
  {
    name: "verbose",
    help: "show each step's reasoning, code and output (toggle)",
  },
  { name: "retry", help: "send the last failed or interrupted task again" },
  {
    name: "undo",
    help:
      "put back what this session's last turn changed (shows it and asks first)",
  },
  { name: "redo", help: "reverse the last /undo" },
];

/**
 * The command a typed name means (with or without its slash, aliases too).
 *
 * @example
 * ```ts
 * import { findSlashCommand } from "./slash_registry.ts";
 * console.log(findSlashCommand("/c")?.name); // "clear"
 * ```
 */
export function findSlashCommand(name: string): SlashCommandInfo | undefined {
  const bare = name.replace(/^\//, "");
  return SLASH_COMMANDS.find((c) =>
    c.name === bare || (c.aliases ?? []).includes(bare)
  );
}

/**
 * The help lines of the built-in commands: `[command with aliases and
 * arguments, help]`.
 *
 * @example
 * ```ts
 * import { COMMAND_HELP } from "./slash_registry.ts";
 * console.log(COMMAND_HELP[1]); // ["/clear, /c", "forget the conversation and reset the REPL"]
 * ```
 */
export const COMMAND_HELP: [string, string][] = SLASH_COMMANDS.map((c) => [
  [`/${c.name}`, ...(c.aliases ?? []).map((a) => `/${a}`)].join(", ") +
  (c.args ? ` ${c.args}` : ""),
  c.help,
]);
