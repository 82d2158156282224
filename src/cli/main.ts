/**
 * The command-line program: parse arguments, load the configuration, build
 * the real dependencies, run, and return an exit code. Heavy modules (the
 * model SDK, the tools, the sandbox) load lazily, after the prompt is shown
 * or while the first request is prepared.
 *
 * @module
 */

import type { CodingAgent } from "../agent/coding_agent.ts";
import type { InstructionsFile } from "../agent/project_instructions.ts";
import type { Config } from "../config/fields.ts";
import { ConfigError, loadConfig } from "../config/load.ts";
import {
  type EnvReader,
  processEnv,
  projectConfigPath,
  userConfigPath,
} from "../config/paths.ts";
import type { LoadedSession } from "../session/store.ts";
import { colorWanted, createStyle } from "../ui/style.ts";
import { stderrOutput, stdoutOutput } from "../ui/terminal.ts";
import { VERSION } from "../version.ts";
import { parseCli, UsageError } from "./args.ts";
import { EXIT } from "./exit.ts";
import { helpText } from "./help.ts";
import {
  ensureModel,
  openSession,
  projectInstructions,
  sessionListing,
  SetupError,
} from "./setup.ts";
import { load } from "./lazy.ts";
import { applyProgram, pushProgram } from "./program_cli.ts";
import type { ProgramState } from "../program/state.ts";
import { type SafetySettings, safetySettings } from "./safety_settings.ts";
import { type Approver, headlessApprover } from "../safety/approval.ts";
import { notifyMode, rememberedRules } from "./session_settings.ts";

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
  safety: SafetySettings & { approver: Approver },
  program: ProgramState | undefined,
): Promise<CodingAgent> {
  const { CodingAgent } = await load("codingAgent");
  const agent = new CodingAgent({
    config,
    workspace: cwd,
    env,
    instructions: program?.instructions,
    projectInstructions: files,
    ...safety,
  });
  if (resumed) await agent.resume(resumed.history);
  return agent;
}

/**
 * Runs nanocode with the given arguments and returns the exit code.
 *
 * @example
 * ```ts ignore
 * Deno.exit(await main(Deno.args));
 * ```
 */
export async function main(
  argv: string[],
  env: EnvReader = processEnv,
): Promise<number> {
  const stdout = stdoutOutput();
  const stderr = stderrOutput();
  const errStyle = createStyle(colorWanted(stderr.isTerminal, env));
  const fail = (message: string, code: number) => {
    stderr.write(
      `${message.startsWith("nanocode") ? message : `nanocode: ${message}`}\n`,
    );
    return code;
  };
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
  const pickSession = options.resume === true && options.task === undefined &&
    Deno.stdin.isTerminal() && stdout.isTerminal;
  if (options.resume === true && !pickSession) {
    stdout.write(`${await sessionListing(env, cwd)}\n`);
    return EXIT.ok;
  }
  let loaded;
  try {
    loaded = await loadConfig({
      flags: options.flags,
      env,
      configFile: options.configFile,
      projectFile: projectConfigPath(cwd),
      userFile: userConfigPath(env),
    });
  } catch (error) {
    if (error instanceof ConfigError) return fail(error.message, EXIT.usage);
    throw error;
  }
  for (const warning of loaded.warnings) {
    stderr.write(errStyle.yellow(`nanocode: ${warning}\n`));
  }
  const { config } = loaded;
  let program: ProgramState | undefined;
  if (options.program) {
    try {
      program = await applyProgram(options.program, config, loaded.sources);
    } catch (error) {
      return fail(
        `Cannot load program ${options.program}: ${(error as Error).message}`,
        EXIT.usage,
      );
    }
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

  let task = options.task;
  const interactive = task === undefined && Deno.stdin.isTerminal();
  // Start loading what the mode needs while the rest is set up.
  const ui = interactive
    ? Promise.all([load("interactive"), load("input")])
    : null;
  ui?.catch(() => {});
  if (task === undefined && !interactive) {
    task = (await readStdin()).trim();
    if (!task) {
      return fail(
        "no task: give one as an argument, with -p, or on stdin",
        EXIT.usage,
      );
    }
  }

  let notes: string[];
  let files: InstructionsFile[];
  let session;
  let safety: SafetySettings;
  try {
    [notes, files] = await Promise.all([
      ensureModel(config, loaded.sources, env),
      projectInstructions(cwd),
    ]);
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
  try {
    safety = safetySettings(loaded.extras, options.addDirs);
  } catch (error) {
    return fail((error as Error).message, EXIT.usage);
  }
  const warn = (w: string) => stderr.write(errStyle.yellow(`nanocode: ${w}\n`));
  safety.permissions.allow.push(...await rememberedRules(env, cwd, warn));
  if (session.resumed && !interactive) {
    notes.push(
      `Resumed session ${session.resumed.header.id}: ${session.resumed.history.length} earlier turns (REPL variables start empty).`,
    );
  }
  if (files.length) {
    notes.push(`Project instructions: ${files.map((f) => f.path).join(", ")}`);
    if (config.verbose) {
      for (const file of files) {
        notes.push(`── ${file.path} ──\n${file.text.trim()}`);
      }
    }
  }
  const makeAgent = (approver: Approver) =>
    buildAgent(config, cwd, env, files, session.resumed, {
      ...safety,
      approver,
    }, program);

  if (interactive) {
    const [{ runInteractive }, { TerminalInput }] = await ui!;
    const style = createStyle(colorWanted(stdout.isTerminal, env));
    const input = new TerminalInput();
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
        pickSession,
        resumed: session.resumed,
        onInterrupt(handler) {
          Deno.addSignalListener("SIGINT", handler);
          return () => Deno.removeSignalListener("SIGINT", handler);
        },
      });
    } finally {
      input.close();
    }
  }

  for (const note of notes) stderr.write(errStyle.dim(`⏺ ${note}\n`));
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
