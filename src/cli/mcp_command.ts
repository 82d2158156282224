/**
 * `nanocode mcp ...` from the start-up decision: the servers in force
 * (trusted files only) and those an untrusted file declares.
 *
 * @module
 */

import type { EnvReader } from "../config/paths.ts";
import type { StartupDecision } from "../trust/decide.ts";
import type { Output } from "../ui/terminal.ts";
import { mcpSettings } from "../mcp/settings.ts";
import { EXIT } from "./exit.ts";

/**
 * Runs the `mcp` subcommand; returns the exit code.
 *
 * @example
 * ```ts ignore
 * return await mcpCommand(options.positionals, decision, { cwd, env, stdout, stderr });
 * ```
 */
export async function mcpCommand(
  args: string[],
  decision: StartupDecision,
  io: { cwd: string; env: EnvReader; stdout: Output; stderr: Output },
): Promise<number> {
  const { runMcpCli, McpUsageError } = await import("../mcp/cli.ts");
  const settings = mcpSettings(decision.loaded.extraLayers);
  const ignored = decision.configFiles.flatMap((file) =>
    file.ignored.filter((item) => item.setting === "mcpServers").map(
      (item) => ({
        name: item.id.slice(4, item.id.indexOf("=")),
        why: `${file.path} is not trusted (${file.why})`,
      }),
    )
  );
  try {
    return await runMcpCli(args, {
      ...io,
      servers: settings.mcpServers ?? {},
      ignored,
      startupTimeout: settings.mcpStartupTimeout,
      toolTimeout: settings.mcpToolTimeout,
    });
  } catch (error) {
    if (error instanceof McpUsageError || error instanceof TypeError) {
      io.stderr.write(`nanocode: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
