/**
 * Runs `git` in a private environment: no system or user config, no hooks,
 * no credential helpers, no terminal prompts, and secrets redacted from
 * everything it reports.
 *
 * @module
 */

/** What a git command printed and how it ended. */
export interface GitResult {
  /** Whether it exited with status 0. */
  ok: boolean;
  /** Exit status. */
  code: number;
  /** Standard output, with secrets redacted. */
  stdout: string;
  /** Standard error, with secrets redacted. */
  stderr: string;
}

/** How to run git. */
export interface GitOptions {
  /** The git executable (default `git`). */
  git?: string;
  /** A private home folder (no user config is read from it). */
  home: string;
  /** Reads the caller's environment (for `PATH`, proxies and CA settings). */
  env: (name: string) => string | undefined;
  /** Strings never to show in messages (tokens). */
  secrets?: string[];
}

/** Variables passed through from the caller's environment. */
const PASSED_THROUGH = [
  "PATH",
  "SYSTEMROOT",
  "TMPDIR",
  "TEMP",
  "TMP",
  "http_proxy",
  "https_proxy",
  "all_proxy",
  "no_proxy",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "ALL_PROXY",
  "NO_PROXY",
  "GIT_SSL_CAINFO",
  "GIT_SSL_CAPATH",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
];

/** Settings given on every command line, overriding any config. */
const SETTINGS = [
  "core.hooksPath=/dev/null",
  "credential.helper=",
  "core.autocrlf=false",
  "core.fsmonitor=false",
  "commit.gpgsign=false",
  "tag.gpgsign=false",
  "init.defaultBranch=main",
  "advice.detachedHead=false",
  "http.lowSpeedLimit=1",
  "http.lowSpeedTime=120",
];

/**
 * Replaces the user information of URLs (`https://user:token@` becomes
 * `https://***@`) and every given secret (plain and URL-encoded) with `***`.
 *
 * @example
 * ```ts
 * import { redact } from "./git.ts";
 * console.log(redact("fatal: https://me:abc123@git.example/x.git", ["abc123"]));
 * // fatal: https://***@git.example/x.git
 * ```
 */
export function redact(text: string, secrets: string[] = []): string {
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, "$1***@");
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      out = out.split(form).join("***");
    }
  }
  return out;
}

/**
 * Runs git commands with a private environment: `GIT_CONFIG_NOSYSTEM=1`,
 * `HOME` set to a private folder, hooks off (`core.hooksPath=/dev/null`),
 * no credential helper, `GIT_TERMINAL_PROMPT=0` and the C locale.
 *
 * @example
 * ```ts
 * import { Git } from "./git.ts";
 * const git = new Git({ home: "/tmp/git-home", env: (n) => Deno.env.get(n) });
 * const result = await git.run(["--version"], "/tmp");
 * console.log(result.stdout);
 * ```
 */
export class Git {
  #options: GitOptions;

  /** Uses `options` for every command. */
  constructor(options: GitOptions) {
    this.#options = options;
  }

  /** Redacts this runner's secrets (and URL credentials) from `text`. */
  redact(text: string): string {
    return redact(text, this.#options.secrets);
  }

  /**
   * Runs `git <args>` in `cwd`; never throws for a non-zero exit status
   * (see `ok`), only when git cannot be started.
   */
  async run(
    args: string[],
    cwd: string,
    env: Record<string, string> = {},
  ): Promise<GitResult> {
    const { home } = this.#options;
    await Deno.mkdir(home, { recursive: true });
    const base: Record<string, string> = {};
    for (const name of PASSED_THROUGH) {
      const value = this.#options.env(name);
      if (value !== undefined) base[name] = value;
    }
    const command = new Deno.Command(this.#options.git ?? "git", {
      args: [...SETTINGS.flatMap((s) => ["-c", s]), ...args],
      cwd,
      clearEnv: true,
      env: {
        ...base,
        HOME: home,
        XDG_CONFIG_HOME: `${home}/.config`,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: `${home}/.gitconfig`,
        GIT_TERMINAL_PROMPT: "0",
        GIT_ASKPASS: "",
        SSH_ASKPASS: "",
        LC_ALL: "C",
        LANG: "C",
        ...env,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    });
    let output: Deno.CommandOutput;
    try {
      output = await command.output();
    } catch (error) {
      throw new Error(
        `Cannot run git (${this.#options.git ?? "git"}): ${
          this.redact((error as Error).message)
        }`,
      );
    }
    const decoder = new TextDecoder();
    return {
      ok: output.success,
      code: output.code,
      stdout: this.redact(decoder.decode(output.stdout)),
      stderr: this.redact(decoder.decode(output.stderr)),
    };
  }
}
