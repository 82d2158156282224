/**
 * Runs git on a private store whose work tree is the workspace, with a
 * private configuration, so neither the user's repository nor their git
 * configuration is involved.
 *
 * @module
 */

import { join, resolve } from "node:path";

/**
 * Options of {@linkcode ShadowGit}.
 *
 * @example
 * ```ts
 * const options: ShadowGitOptions = { git: "/usr/bin/git", workspace: "/ws", storeDir: "/data/s1", path: "/usr/bin" };
 * ```
 */
export interface ShadowGitOptions {
  /** Path of the git executable. */
  git: string;
  /** Real path of the work tree. */
  workspace: string;
  /** Folder of the store; the repository is `<storeDir>/repo.git`. */
  storeDir: string;
  /** `PATH` for git (the only variable passed on from outside). */
  path: string;
  /** Patterns the store's own `info/exclude` leaves out (the store, when it is inside the work tree). */
  exclude?: string[];
}

/**
 * Exit code and output of a git command.
 *
 * @example
 * ```ts
 * const result: GitResult = { code: 0, stdout: new Uint8Array(), stderr: "" };
 * ```
 */
export interface GitResult {
  /** Exit code. */
  code: number;
  /** Standard output, raw. */
  stdout: Uint8Array;
  /** Standard error, decoded. */
  stderr: string;
}

/** Configuration every git command runs with (no hooks, signing, filters). */
const CONFIG = [
  "core.hooksPath=/dev/null",
  "commit.gpgSign=false",
  "tag.gpgSign=false",
  "user.name=nanocode",
  "user.email=nanocode@localhost",
  "core.autocrlf=false",
  "core.safecrlf=false",
  "core.fsmonitor=false",
  "core.untrackedCache=false",
  "core.quotePath=false",
  "gc.auto=0",
  "maintenance.auto=false",
  "advice.addEmbeddedRepo=false",
  "init.defaultBranch=snapshots",
].flatMap((setting) => ["-c", setting]);

/** Attributes that keep stored bytes exactly as on disk (no eol or filters). */
const ATTRIBUTES = "* -text -filter -ident -working-tree-encoding\n";

/**
 * Git over `<storeDir>/repo.git` (a bare repository used with
 * `--work-tree=<workspace>`). Every command gets `-c core.hooksPath=/dev/null`,
 * no signing, a fixed identity, `GIT_CONFIG_NOSYSTEM=1`, HOME and the global
 * config pointed into the store, literal pathspecs and no other inherited
 * environment. The store's `info/attributes` turns off line-ending
 * conversion and filters, so files come back byte for byte. The
 * workspace's `.gitignore` files apply, and so does the `info/exclude` of
 * the user's repository when the workspace is in one.
 *
 * @example
 * ```ts
 * const git = new ShadowGit({ git: "/usr/bin/git", workspace: "/ws", storeDir: "/data/s1", path: "/usr/bin" });
 * await git.init();
 * const tree = new TextDecoder().decode(await git.run(["write-tree"])).trim();
 * ```
 */
export class ShadowGit {
  #options: ShadowGitOptions;
  #gitDir: string;
  #ready = false;
  #excludes: string[] = [];

  /**
   * Keeps the options; nothing runs until {@linkcode ShadowGit.init}.
   *
   * @example
   * ```ts
   * new ShadowGit({ git: "git", workspace: "/ws", storeDir: "/data/s1", path: "/usr/bin" });
   * ```
   */
  constructor(options: ShadowGitOptions) {
    this.#options = options;
    this.#gitDir = join(options.storeDir, "repo.git");
  }

  /**
   * Creates the store on first use (and on every call makes sure of its
   * attributes); later calls on this object return at once.
   *
   * @example
   * ```ts
   * await git.init();
   * ```
   */
  async init(): Promise<void> {
    if (this.#ready) return;
    await Deno.mkdir(this.#options.storeDir, { recursive: true });
    try {
      await Deno.stat(join(this.#gitDir, "HEAD"));
    } catch {
      await this.#check(
        await this.#exec([...CONFIG, "init", "--bare", "-q", this.#gitDir]),
        "init",
      );
    }
    await Deno.mkdir(join(this.#gitDir, "info"), { recursive: true });
    await Deno.writeTextFile(
      join(this.#gitDir, "info", "attributes"),
      ATTRIBUTES,
    );
    await Deno.writeTextFile(
      join(this.#gitDir, "info", "exclude"),
      (this.#options.exclude ?? []).map((p) => `${p}\n`).join(""),
    );
    const exclude = await this.#userExclude();
    this.#excludes = exclude ? ["-c", `core.excludesFile=${exclude}`] : [];
    this.#ready = true;
  }

  /**
   * Runs a command on the store; resolves with its output, throws an
   * `Error` naming the command and git's message when it fails.
   *
   * @example
   * ```ts
   * await git.run(["add", "-u"]);
   * ```
   */
  async run(args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
    return this.#check(await this.tryRun(args, stdin), args[0]).stdout;
  }

  /**
   * Runs a command on the store and resolves with its result, failed or not.
   *
   * @example
   * ```ts
   * const head = await git.tryRun(["rev-parse", "--verify", "-q", "HEAD"]);
   * ```
   */
  tryRun(args: string[], stdin?: Uint8Array): Promise<GitResult> {
    return this.#exec([
      ...CONFIG,
      ...this.#excludes,
      `--git-dir=${this.#gitDir}`,
      `--work-tree=${this.#options.workspace}`,
      ...args,
    ], stdin);
  }

  /**
   * Runs a read-only command in the workspace's own repository (`git -C
   * <workspace>`), with the same private configuration and no optional
   * locks; resolves with its result, failed or not (not a repository).
   *
   * @example
   * ```ts
   * const tracked = await git.inWorkspace(["ls-files", "-z"]);
   * ```
   */
  inWorkspace(args: string[]): Promise<GitResult> {
    return this.#exec([...CONFIG, "-C", this.#options.workspace, ...args]);
  }

  /** The `info/exclude` file of the user's repository, if it exists. */
  async #userExclude(): Promise<string | null> {
    const result = await this.inWorkspace([
      "rev-parse",
      "--git-path",
      "info/exclude",
    ]);
    if (result.code !== 0) return null;
    const path = resolve(
      this.#options.workspace,
      new TextDecoder().decode(result.stdout).trim(),
    );
    try {
      return (await Deno.stat(path)).isFile ? path : null;
    } catch {
      return null;
    }
  }

  #check(result: GitResult, command: string): GitResult {
    if (result.code === 0) return result;
    throw new Error(
      `Cannot snapshot the workspace: git ${command} failed: ${
        result.stderr.trim() || `exit code ${result.code}`
      }`,
    );
  }

  async #exec(args: string[], stdin?: Uint8Array): Promise<GitResult> {
    const { storeDir } = this.#options;
    const child = new Deno.Command(this.#options.git, {
      args,
      // The work tree's root: commands list and add paths relative to it
      // (a cwd below it, such as a store kept inside it, would narrow them).
      cwd: this.#options.workspace,
      env: {
        PATH: this.#options.path,
        HOME: storeDir,
        XDG_CONFIG_HOME: join(storeDir, "config"),
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: join(storeDir, "gitconfig"),
        GIT_LITERAL_PATHSPECS: "1",
        GIT_OPTIONAL_LOCKS: "0",
        GIT_TERMINAL_PROMPT: "0",
        LC_ALL: "C",
      },
      clearEnv: true,
      stdin: stdin ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    if (stdin) {
      const writer = child.stdin.getWriter();
      try {
        await writer.write(stdin);
        await writer.close();
      } catch {
        // git stopped reading; its exit code and message tell why
      }
    }
    const output = await child.output();
    return {
      code: output.code,
      stdout: output.stdout,
      stderr: new TextDecoder().decode(output.stderr),
    };
  }
}

/**
 * Splits NUL-terminated git output (`-z`) into strings.
 *
 * @example
 * ```ts
 * splitNul(new TextEncoder().encode("a b\0c\nd\0")); // ["a b", "c\nd"]
 * ```
 */
export function splitNul(bytes: Uint8Array): string[] {
  const out = new TextDecoder().decode(bytes).split("\0");
  if (out[out.length - 1] === "") out.pop();
  return out;
}
