/**
 * Why a server could not be started or reached, in one sentence: a
 * missing program, a refused connection, a server that needs OAuth, a
 * process that exited (with the last line it wrote to stderr).
 *
 * @module
 */

import type { McpServerConfig } from "./config.ts";

function lastLine(text: string | undefined): string {
  return (text ?? "").trim().split("\n").at(-1)?.slice(0, 200) ?? "";
}

/**
 * One clause saying what went wrong.
 *
 * @example
 * ```ts
 * import { describeFailure } from "./errors.ts";
 * const error = Object.assign(new Error("spawn mcp-x ENOENT"), { code: "ENOENT" });
 * console.log(describeFailure(error, { type: "stdio", command: "mcp-x", args: [], env: {} }));
 * // "the program mcp-x was not found (is it installed and on PATH?)"
 * ```
 */
export function describeFailure(
  error: unknown,
  config: McpServerConfig,
  stderr?: string,
): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown })?.code;
  if (config.type === "stdio") {
    if (code === "ENOENT" || /ENOENT/.test(message)) {
      return `the program ${config.command} was not found (is it installed and on PATH?)`;
    }
    if (code === "EACCES") {
      return `the program ${config.command} cannot be run (permission denied)`;
    }
    const said = lastLine(stderr);
    if (/Connection closed/i.test(message)) {
      return `it exited before answering${said ? `: ${said}` : ""}`;
    }
    return said ? `${message} (${said})` : message;
  }
  if (
    error instanceof Error && error.name === "UnauthorizedError" ||
    code === 401 || code === 403 || /\b401\b|Unauthorized/i.test(message)
  ) {
    return `${config.url} asks for authorization (${
      code === 403 ? 403 : 401
    }); nanocode does not run OAuth sign-in yet: put a token in the entry's "headers", e.g. "Authorization": "Bearer \${TOKEN}"`;
  }
  if (/ECONNREFUSED|Connection refused|error sending request/i.test(message)) {
    return `nothing answers at ${config.url}`;
  }
  return message.split("\n")[0].slice(0, 300);
}
