/**
 * Command-line parsing: config flags (one per config field), modes and
 * session options.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type Config, FIELDS } from "../config/fields.ts";

/** How headless output is written. */
export type OutputFormat = "text" | "json" | "stream-json";

/** What the command line asks for. */
export interface CliOptions {
  /** Subcommand, if any (`push`). */
  command?: "push";
  /** Positional words after the subcommand (or the task words). */
  positionals: string[];
  /** The task (from the arguments or `-p`); undefined means interactive or stdin. */
  task?: string;
  /** Raw values of config flags, by field. */
  flags: Partial<Record<keyof Config, unknown>>;
  configFile?: string;
  outputFormat: OutputFormat;
  help: boolean;
  version: boolean;
  /** `--continue`: resume the last session of this folder. */
  continueLast: boolean;
  /** `--resume [id]`: `true` to list sessions, a string for one. */
  resume?: string | true;
  /** `--program owner/name[@rev]` or a local folder. */
  program?: string;
  /** `--yes`: in headless mode, allow what would ask (deny rules still hold). */
  yes: boolean;
  /** `--add-dir DIR` (repeatable): more folders the tools may use. */
  addDirs: string[];
}

/** Thrown for a command line that cannot be understood (exit code 2). */
export class UsageError extends Error {
  override name = "UsageError";
}

const FORMATS: readonly OutputFormat[] = ["text", "json", "stream-json"];

/**
 * Parses the command line.
 *
 * @throws {UsageError} naming the bad flag or value.
 * @example
 * ```ts
 * import { parseCli } from "./args.ts";
 * const options = parseCli(["--max-iters", "5", "what is here?"]);
 * console.log(options.task, options.flags.max_iters); // "what is here?" "5"
 * ```
 */
export function parseCli(argv: string[]): CliOptions {
  const configOptions: Record<string, { type: "string" | "boolean" }> = {};
  for (const field of FIELDS) {
    configOptions[field.flag] = {
      type: field.kind === "boolean" ? "boolean" : "string",
    };
    if (field.kind === "boolean") {
      configOptions[`no-${field.flag}`] = { type: "boolean" };
    }
  }
  // `--resume` takes an optional id: give it one when the next word is not a flag.
  const args = [...argv];
  const resumeAt = args.indexOf("--resume");
  let resume: string | true | undefined;
  if (resumeAt !== -1) {
    const next = args[resumeAt + 1];
    if (next !== undefined && !next.startsWith("-")) {
      resume = next;
      args.splice(resumeAt, 2);
    } else {
      resume = true;
      args.splice(resumeAt, 1);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        ...configOptions,
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "V" },
        print: { type: "string", short: "p" },
        config: { type: "string" },
        "output-format": { type: "string" },
        continue: { type: "boolean", short: "c" },
        program: { type: "string" },
        yes: { type: "boolean", short: "y" },
        "add-dir": { type: "string", multiple: true },
      },
    });
  } catch (error) {
    throw new UsageError(
      (error as Error).message.replace(/\. To specify.*$/s, "").replace(
        /^Unknown option/,
        "Unknown flag",
      ),
    );
  }
  const values = parsed.values as Record<string, unknown>;
  const flags: Partial<Record<keyof Config, unknown>> = {};
  for (const field of FIELDS) {
    if (values[field.flag] !== undefined) flags[field.key] = values[field.flag];
    if (field.kind === "boolean" && values[`no-${field.flag}`]) {
      flags[field.key] = false;
    }
  }
  const format = (values["output-format"] as string | undefined) ?? "text";
  if (!FORMATS.includes(format as OutputFormat)) {
    throw new UsageError(
      `--output-format must be one of ${FORMATS.join(", ")}, not "${format}"`,
    );
  }
  let positionals = parsed.positionals;
  let command: "push" | undefined;
  if (positionals[0] === "push") {
    command = "push";
    positionals = positionals.slice(1);
  }
  const printed = values.print as string | undefined;
  const words = command ? [] : positionals;
  if (printed !== undefined && words.length) {
    throw new UsageError(
      "Give the task either with -p or as arguments, not both",
    );
  }
  const task = printed ?? (words.length ? words.join(" ") : undefined);
  return {
    command,
    positionals,
    task,
    flags,
    configFile: values.config as string | undefined,
    outputFormat: format as OutputFormat,
    help: Boolean(values.help),
    version: Boolean(values.version),
    continueLast: Boolean(values.continue),
    resume,
    program: values.program as string | undefined,
    yes: Boolean(values.yes),
    addDirs: (values["add-dir"] as string[] | undefined) ?? [],
  };
}
