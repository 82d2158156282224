/**
 * The command-line program: parse arguments, load the configuration, build
 * the real dependencies, run, and return an exit code.
 *
 * @module
 */

import { CodingAgent } from "../agent/coding_agent.ts";
import { ConfigError, loadConfig } from "../config/load.ts";
import {
  processEnv,
  projectConfigPath,
  userConfigPath,
} from "../config/paths.ts";
import { colorWanted, createStyle } from "../ui/style.ts";
import { stderrOutput, stdoutOutput } from "../ui/terminal.ts";
import { VERSION } from "../version.ts";
import { parseCli, UsageError } from "./args.ts";
import { EXIT, runHeadless } from "./headless.ts";
import { helpText } from "./help.ts";

async function readStdin(): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of Deno.stdin.readable) chunks.push(chunk);
  return new TextDecoder().decode(
    chunks.length === 1
      ? chunks[0]
      : new Uint8Array(chunks.flatMap((c) => [...c])),
  );
}

/**
 * Runs nanocode with the given arguments and returns the exit code.
 *
 * @example
 * ```ts ignore
 * Deno.exit(await main(Deno.args));
 * ```
 */
export async function main(argv: string[]): Promise<number> {
  const stdout = stdoutOutput();
  const stderr = stderrOutput();
  const env = processEnv;
  let options;
  try {
    options = parseCli(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(
        `nanocode: ${error.message}\nRun "nanocode --help" for usage.\n`,
      );
      return EXIT.usage;
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
    if (error instanceof ConfigError) {
      stderr.write(`nanocode: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
  const errStyle = createStyle(colorWanted(stderr.isTerminal, env));
  for (const warning of loaded.warnings) {
    stderr.write(errStyle.yellow(`nanocode: ${warning}\n`));
  }
  const { config } = loaded;

  let task = options.task;
  if (task === undefined && !Deno.stdin.isTerminal()) {
    task = (await readStdin()).trim();
  }
  if (task === undefined) {
    stderr.write(
      "nanocode: interactive mode is not available yet; pass a task as an argument.\n",
    );
    return EXIT.usage;
  }

  const controller = new AbortController();
  const onSigint = () => controller.abort();
  Deno.addSignalListener("SIGINT", onSigint);
  const agent = new CodingAgent({ config, workspace: cwd, env });
  try {
    return await runHeadless({
      agent,
      task,
      format: options.outputFormat,
      stdout,
      stderr,
      style: errStyle,
      verbose: config.verbose,
      trackUsage: config.track_usage,
      signal: controller.signal,
    });
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
    await agent.close();
  }
}
