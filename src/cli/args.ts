/**
 * Command-line parsing: config flags (one per config field), modes and
 * session options.
 *
 * @module
 */

import { type Config, FIELDS } from "../config/fields.ts";

/** How headless output is written. */
export type OutputFormat = "text" | "json" | "stream-json";

/** What the command line asks for. */
export interface CliOptions {
  /** Subcommand, if any (`push`, `mcp`). */
  command?: "push" | "mcp";
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
  /** `--undo` / `--redo`: undo the session's last turn, or redo its last undo. */
  undo?: "undo" | "redo";
  /** `--overwrite`: an undo also puts back files changed after the turn. */
  overwrite: boolean;
  /** `--trust-project`: apply this folder's config in full for this run. */
  trustProject: boolean;
  /** `push` options: branch, tag, commit message, public repository. */
  push: { branch?: string; tag?: string; message?: string; public: boolean };
}

/** How one command-line option is read. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}

/**
 * A small strict option parser (in the manner of `node:util`'s `parseArgs`,
 * which would load Node compatibility before the prompt can show):
 * `--name value`, `--name=value`, `-x value`, `-xVALUE`, grouped boolean
 * short flags (`-yc`, the last of a group may take a value: `-yp TASK`),
 * booleans, repeatable options, and `--` ending the options.
 *
 * @throws {UsageError} naming an unknown flag or a missing value.
 * @example
 * ```ts
 * import { parseOptions } from "./args.ts";
 * const { values } = parseOptions(["--out", "r.jsonl"], { out: { type: "string" } });
 * console.log(values.out); // "r.jsonl"
 * ```
 */
export function parseOptions(
  args: string[],
  spec: Record<string, OptionSpec>,
): { values: Record<string, unknown>; positionals: string[] } {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const byShort = new Map(
    Object.entries(spec).filter(([, o]) => o.short).map((
      [name, o],
    ) => [o.short!, name]),
  );
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      if (!spec[name]) throw new UsageError(`Unknown flag '--${name}'`);
    } else if (arg.startsWith("-") && arg.length > 1) {
      // Leading boolean flags of a group (`-yc`) are set here; the last
      // letter, or one that takes a value, is handled below.
      let at = 1;
      while (at < arg.length - 1) {
        const short = byShort.get(arg[at]);
        if (!short) throw new UsageError(`Unknown flag '-${arg[at]}'`);
        if (spec[short].type !== "boolean") break;
        values[short] = true;
        at++;
      }
      name = byShort.get(arg[at]);
      if (!name) throw new UsageError(`Unknown flag '-${arg[at]}'`);
      if (at + 1 < arg.length) inline = arg.slice(at + 1);
    } else {
      positionals.push(arg);
      continue;
    }
    const option = spec[name];
    let value: unknown = true;
    if (option.type === "string") {
      value = inline ?? args[++i];
      if (value === undefined) {
        throw new UsageError(`Flag --${name} needs a value`);
      }
    } else if (inline !== undefined) {
      throw new UsageError(`Flag --${name} takes no value`);
    }
    if (option.multiple) {
      values[name] = [...(values[name] as string[] | undefined ?? []), value];
    } else values[name] = value;
  }
  return { values, positionals };
}

/** Thrown for a command line that cannot be understood (exit code 2). */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * The options of the config fields: `--max-iters N`, ..., and `--no-X` for
 * booleans.
 *
 * @example
 * ```ts
 * import { configFlagSpec } from "./args.ts";
 * console.log(configFlagSpec()["max-iters"]); // { type: "string" }
 * ```
 */
export function configFlagSpec(): Record<string, OptionSpec> {
  const spec: Record<string, OptionSpec> = {};
  for (const field of FIELDS) {
    spec[field.flag] = {
      type: field.kind === "boolean" ? "boolean" : "string",
    };
    if (field.kind === "boolean") {
      spec[`no-${field.flag}`] = { type: "boolean" };
    }
  }
  return spec;
}

/**
 * The raw config values given as flags, by field.
 *
 * @example
 * ```ts
 * import { configFlags } from "./args.ts";
 * console.log(configFlags({ "max-iters": "5", "no-verbose": true })); // { max_iters: "5", verbose: false }
 * ```
 */
export function configFlags(
  values: Record<string, unknown>,
): Partial<Record<keyof Config, unknown>> {
  const flags: Partial<Record<keyof Config, unknown>> = {};
  for (const field of FIELDS) {
    if (values[field.flag] !== undefined) flags[field.key] = values[field.flag];
    if (field.kind === "boolean" && values[`no-${field.flag}`]) {
      flags[field.key] = false;
    }
  }
  return flags;
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
  // `nanocode mcp ...` has its own options (src/mcp/cli.ts).
  if (argv[0] === "mcp") {
    return { ...parseCli([]), command: "mcp", positionals: argv.slice(1) };
  }
  const spec: Record<string, OptionSpec> = {
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "V" },
    print: { type: "string", short: "p" },
    config: { type: "string" },
    "output-format": { type: "string" },
    continue: { type: "boolean", short: "c" },
    program: { type: "string" },
    yes: { type: "boolean", short: "y" },
    "add-dir": { type: "string", multiple: true },
    "trust-project": { type: "boolean" },
    branch: { type: "string" },
    tag: { type: "string" },
    message: { type: "string", short: "m" },
    public: { type: "boolean" },
    // An alias of --lm, as other coding agents spell it.
    model: { type: "string" },
    undo: { type: "boolean" },
    redo: { type: "boolean" },
    overwrite: { type: "boolean" },
  };
  Object.assign(spec, configFlagSpec());
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
  const parsed = parseOptions(args, spec);
  const values = parsed.values as Record<string, unknown>;
  const flags = configFlags(values);
  if (values.model !== undefined) {
    if (flags.lm !== undefined && flags.lm !== values.model) {
      throw new UsageError("Give the model with --lm or --model, not both");
    }
    flags.lm = values.model;
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
  if (command === "push" && positionals.length !== 1) {
    throw new UsageError(
      "Usage: nanocode push OWNER/NAME [--branch B] [--tag T] [-m MESSAGE] [--public]",
    );
  }
  for (const flag of ["branch", "tag", "message", "public"]) {
    if (command !== "push" && values[flag] !== undefined) {
      throw new UsageError(`--${flag} only goes with "nanocode push"`);
    }
  }
  const printed = values.print as string | undefined;
  const words = command ? [] : positionals;
  if (printed !== undefined && words.length) {
    throw new UsageError(
      "Give the task either with -p or as arguments, not both",
    );
  }
  const task = printed ?? (words.length ? words.join(" ") : undefined);
  const undo = values.undo ? "undo" : values.redo ? "redo" : undefined;
  if (values.undo && values.redo) {
    throw new UsageError("Give --undo or --redo, not both");
  }
  if (undo && (task !== undefined || command)) {
    throw new UsageError(`--${undo} takes no task`);
  }
  if (values.overwrite && !undo) {
    throw new UsageError("--overwrite only goes with --undo or --redo");
  }
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
    undo,
    overwrite: Boolean(values.overwrite),
    trustProject: Boolean(values["trust-project"]),
    push: {
      branch: values.branch as string | undefined,
      tag: values.tag as string | undefined,
      message: values.message as string | undefined,
      public: Boolean(values.public),
    },
  };
}
