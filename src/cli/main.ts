/**
 * The command-line program: parse arguments, load the configuration, build
 * the real dependencies, run, and return an exit code. Heavy modules (the
 * model SDK, the tools, the sandbox) load lazily, after the prompt is shown
 * or while the first request is prepared.
 *
 * @module
 */

import type { CodingAgent } from "../agent/coding_agent.ts";
import {
  findUserInstructions,
  type InstructionsFile,
} from "../agent/project_instructions.ts";
import type { Config } from "../config/fields.ts";
import { ConfigError } from "../config/load.ts";
import { type EnvReader, processEnv } from "../config/paths.ts";
import type { LoadedSession } from "../session/store.ts";
import { colorWanted, createStyle } from "../ui/style.ts";
import { stderrOutput, stdoutOutput } from "../ui/terminal.ts";
import { VERSION } from "../version.ts";
import { parseCli, UsageError } from "./args.ts";
import { EXIT } from "./exit.ts";
import {
  describeSandbox,
  sandboxStatus,
  SETTING_OFF,
} from "../exec/describe.ts";
import type { SandboxStatus } from "../exec/types.ts";
import { helpText } from "./help.ts";
import {
  ensureModel,
  openSession,
  sessionListing,
  SetupError,
} from "./setup.ts";
import { load } from "./lazy.ts";
import { loadProgramSpec, programNotes, pushProgram } from "./program_cli.ts";
import type { ProgramState } from "../program/state.ts";
import { decideStartup, ProgramRefused } from "../trust/decide.ts";
import { trustReport } from "../trust/report.ts";
import { terminalTrustAsker } from "../trust/prompt.ts";
import { forStream } from "./safe_output.ts";
import { killAllCommands } from "../exec/supervisor.ts";
import { sealAgentProcess, sealNote } from "../exec/seal.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { TerminalInput } from "../ui/input.ts";
import type { Output } from "../ui/terminal.ts";
import type { EarlyPrompt } from "./early_prompt.ts";
import { type SafetySettings, safetySettings } from "./safety_settings.ts";
import { type Approver, headlessApprover } from "../safety/approval.ts";
import {
  notifyAfterMs,
  notifyMode,
  rememberedRules,
} from "./session_settings.ts";
import { type McpConfigSettings, mcpSettings } from "../mcp/settings.ts";
import { mcpCommand } from "./mcp_command.ts";

async function readStdin(): Promise<string> {
  return await new Response(Deno.stdin.readable).text();
}

/** Builds the agent (loading its modules on first use). */
async function buildAgent(
  config: Config,
  cwd: string,
  env: EnvReader,
  files: InstructionsFile[],
  resumed: LoadedSession | undefined,
  safety: SafetySettings & McpConfigSettings & {
    approver: Approver;
    sessionId: string;
  },
  program: ProgramState | undefined,
): Promise<CodingAgent> {
  const { CodingAgent } = await load("codingAgent");
  const agent = new CodingAgent({
    config,
    workspace: cwd,
    env,
    instructions: program?.instructions,
    projectInstructions: files,
    // The CLI keeps a conversation and renders verbose output itself.
    conversation: true,
    verboseOutput: null,
    ...safety,
  });
  if (resumed) await agent.resume(resumed.history, resumed.header.id);
  return agent;
}

/** `out`, erasing the early prompt before its first write. */
function afterEarlyPrompt(out: Output, early: EarlyPrompt | undefined): Output {
  if (!early) return out;
  return {
    write(text) {
      early.clear();
      out.write(text);
    },
    isTerminal: out.isTerminal,
    columns: () => out.columns(),
    rows: () => out.rows?.() ?? 24,
  };
}

/**
 * Runs nanocode with the given arguments and returns the exit code.
 * `early` is the prompt `main.ts` drew before this module loaded (see
 * `early_prompt.ts`): the session takes its keys over.
 *
 * @example
 * ```ts ignore
 * Deno.exit(await main(Deno.args));
 * ```
 */
export async function main(
  argv: string[],
  env: EnvReader = processEnv,
  early?: EarlyPrompt,
): Promise<number> {
  // Before any command can run: the API keys in this process's environment
  // stay out of reach of commands run outside the sandbox.
  const seal = sealAgentProcess();
  const stdout = afterEarlyPrompt(stdoutOutput(), early);
  const stderr = afterEarlyPrompt(stderrOutput(), early);
  const errStyle = createStyle(colorWanted(stderr.isTerminal, env));
  // The keyboard, once something needs it (the trust question or the session).
  let terminal: TerminalInput | undefined;
  const fail = (message: string, code: number) => {
    terminal?.close();
    // Messages quote what config files and programs chose: made inert.
    const text = sanitize(message);
    stderr.write(
      `${text.startsWith("nanocode") ? text : `nanocode: ${text}`}\n`,
    );
    return code;
  };
  if (argv[0] === "batch" || argv[0] === "worker") {
    const { batchCommand } = await load("batch");
    return await batchCommand(argv[0], argv.slice(1), env);
  }
  let options;
  try {
    options = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      return fail(
        `${error.message}\nRun "nanocode --help" for usage.`,
        EXIT.usage,
      );
    }
    throw error;
  }
  if (options.help) {
    stdout.write(helpText());
    return EXIT.ok;
  }
  if (options.version) {
    stdout.write(`nanocode ${VERSION}\n`);
    return EXIT.ok;
  }
  const cwd = Deno.cwd();
  // `--resume` alone: a picker in the interactive session, a listing otherwise.
  const pickSession = options.resume === true && options.task === undefined &&
    options.command !== "push" && !options.undo && Deno.stdin.isTerminal() &&
    stdout.isTerminal;
  if (options.resume === true && !pickSession) {
    const listing = await sessionListing(env, cwd);
    stdout.write(`${forStream(listing, stdout.isTerminal)}\n`);
    return EXIT.ok;
  }
  if (options.undo) {
    const { runUndoCli, askLine } = await load("undoCli");
    return await runUndoCli({
      kind: options.undo,
      cwd,
      env,
      session: typeof options.resume === "string" ? options.resume : undefined,
      yes: options.yes,
      overwrite: options.overwrite,
      format: options.outputFormat,
      stdout,
      stderr,
      style: createStyle(colorWanted(stdout.isTerminal, env)),
      ask: Deno.stdin.isTerminal() ? (q) => askLine(q, stderr) : null,
    });
  }
  let task = options.task;
  const interactive = !options.command && task === undefined &&
    Deno.stdin.isTerminal();
  // Start loading what the mode needs while the rest is set up.
  const ui = interactive
    ? Promise.all([load("interactive"), load("input")])
    : null;
  ui?.catch(() => {});
  const keys = async () =>
    terminal ??= new (await ui!)[1].TerminalInput(undefined, early?.takeOver());

  let decision;
  try {
    decision = await decideStartup({
      cwd,
      env,
      flags: options.flags,
      configFile: options.configFile,
      trustProject: options.trustProject,
      program: options.program
        ? { spec: options.program, load: loadProgramSpec }
        : undefined,
      // Only a person at the terminal can trust a folder; headless never does.
      ask: interactive
        ? terminalTrustAsker(
          stdout,
          createStyle(colorWanted(stdout.isTerminal, env)),
          keys,
        )
        : undefined,
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ProgramRefused) {
      return fail(error.message, EXIT.usage);
    }
    if (options.program) {
      return fail(
        `Cannot load program ${options.program}: ${(error as Error).message}`,
        EXIT.usage,
      );
    }
    throw error;
  }
  const { loaded } = decision;
  for (const warning of loaded.warnings) {
    stderr.write(errStyle.yellow(`nanocode: ${sanitize(warning)}\n`));
  }
  const { config } = loaded;
  const program: ProgramState | undefined = decision.program?.state;
  const report = trustReport(decision, {
    cwd,
    home: env("HOME"),
    interactive,
  });
  if (options.command === "mcp") {
    return await mcpCommand(options.positionals, decision, {
      cwd,
      env,
      stdout,
      stderr,
    });
  }
  if (options.command === "push") {
    const { CODING_INSTRUCTIONS } = await load("instructions");
    try {
      stdout.write(`${await pushProgram(
        options.positionals[0],
        program ?? { config: { ...config }, instructions: CODING_INSTRUCTIONS },
        options.push,
      )}\n`);
      return EXIT.ok;
    } catch (error) {
      return fail((error as Error).message, EXIT.failed);
    }
  }

  if (task === undefined && !interactive) {
    task = (await readStdin()).trim();
    if (!task) {
      return fail(
        "no task: give one as an argument, with -p, or on stdin",
        EXIT.usage,
      );
    }
  }

  // The user's own AGENTS.md applies to every project, before the project's.
  const files: InstructionsFile[] = [
    ...await findUserInstructions(env),
    ...decision.instructions,
  ];
  const notes: string[] = [...report.notices];
  if (interactive || config.verbose) {
    if (report.configLine) notes.push(report.configLine);
  }
  if (config.verbose) notes.push(...report.details);
  let sandbox: SandboxStatus;
  let session;
  try {
    const [modelNotes, status] = await Promise.all([
      ensureModel(config, loaded.sources, env),
      sandboxStatus(config.sandbox),
    ]);
    notes.push(...modelNotes);
    sandbox = status;
    session = await openSession({
      env,
      cwd,
      lm: config.lm,
      continueLast: options.continueLast,
      resumeId: typeof options.resume === "string" ? options.resume : undefined,
    });
  } catch (error) {
    if (error instanceof SetupError) return fail(error.message, EXIT.usage);
    throw error;
  }
  if (session.resumed && !interactive) {
    notes.push(
      `Resumed session ${session.resumed.header.id}: ${session.resumed.history.length} earlier turns (REPL variables start empty).`,
    );
  }
  if (program && config.verbose) notes.push(...programNotes(program));
  if (config.track_trace && config.verbose) {
    notes.push(
      `track_trace: full tool results and sub-model queries go to the session file; OpenTelemetry spans ${
        env("OTEL_DENO") === "true"
          ? "are exported"
          : "are off (set OTEL_DENO=true)"
      }.`,
    );
  }
  // The banner always says what commands may do; a headless run says so
  // when the sandbox it was meant to have cannot start.
  const fallback = sandbox.kind === "none" && sandbox.reason !== SETTING_OFF;
  if (interactive || config.verbose || fallback) {
    notes.push(describeSandbox(sandbox, config.permission_mode));
  }
  const unsealed = config.verbose ? sealNote(seal) : null;
  if (unsealed) notes.push(unsealed);
  if (files.length) {
    notes.push(`Project instructions: ${files.map((f) => f.path).join(", ")}`);
    if (config.verbose) {
      for (const file of files) {
        notes.push(`── ${file.path} ──\n${sanitize(file.text.trim())}`);
      }
    }
  }
  let safety: SafetySettings & McpConfigSettings;
  try {
    safety = {
      ...safetySettings(loaded.extraLayers, options.addDirs),
      ...mcpSettings(loaded.extraLayers),
    };
  } catch (error) {
    return fail((error as Error).message, EXIT.usage);
  }
  const warn = (w: string) => stderr.write(errStyle.yellow(`nanocode: ${w}\n`));
  safety.permissions.allow.push(...await rememberedRules(env, cwd, warn));
  const makeAgent = (approver: Approver) =>
    buildAgent(config, cwd, env, files, session.resumed, {
      ...safety,
      approver,
      sessionId: session.log.id,
    }, program);

  // Closing the terminal: no command this agent started outlives it.
  Deno.addSignalListener("SIGHUP", () => {
    killAllCommands().finally(() => Deno.exit(EXIT.hangup));
  });
  if (interactive) {
    const [{ runInteractive }] = await ui!;
    const style = createStyle(colorWanted(stdout.isTerminal, env));
    const input = await keys();
    try {
      return await runInteractive({
        config,
        env,
        cwd,
        out: stdout,
        style,
        input,
        agent: makeAgent,
        log: session.log,
        notes,
        notify: notifyMode(loaded.extras, env, (w) => notes.push(w)),
        notifyAfterMs: notifyAfterMs(loaded.extras, env, (w) => notes.push(w)),
        pickSession,
        resumed: session.resumed,
        sandbox: sandbox.kind === "bubblewrap" ? "bubblewrap" : "off",
        onInterrupt(handler) {
          Deno.addSignalListener("SIGINT", handler);
          return () => Deno.removeSignalListener("SIGINT", handler);
        },
      });
    } finally {
      input.close();
    }
  }

  for (const note of notes) {
    stderr.write(errStyle.dim(`⏺ ${sanitize(note)}\n`));
  }
  const { runHeadless } = await load("headless");
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  Deno.addSignalListener("SIGINT", onSigint);
  Deno.addSignalListener("SIGTERM", onSigint);
  const agent = await makeAgent(headlessApprover(options.yes));
  try {
    return await runHeadless({
      agent,
      task: task!,
      format: options.outputFormat,
      stdout,
      stderr,
      style: errStyle,
      verbose: config.verbose,
      trackUsage: config.track_usage,
      signal: controller.signal,
      log: session.log,
    });
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    Deno.removeSignalListener("SIGTERM", onSigint);
    await agent.close();
  }
}
