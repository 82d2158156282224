/**
 * Runs git on a private store whose work tree is the workspace (or its
 * `.git` folder), with a private configuration, so neither the user's
 * repository nor their git configuration is involved.
 *
 * @module
 */

import { join } from "node:path";

/**
 * Options of {@linkcode ShadowGit}.
 *
 * @example
 * ```ts
 * const options: ShadowGitOptions = { git: "/usr/bin/git", workTree: "/ws", storeDir: "/data/s1", path: "/usr/bin" };
 * ```
 */
export interface ShadowGitOptions {
  /** Path of the git executable. */
  git: string;
  /** Real path of the work tree. */
  workTree: string;
  /** Folder of the store; the repository is `<storeDir>/repo.git`. */
  storeDir: string;
  /** `PATH` for git (the only variable passed on from outside). */
  path: string;
  /** The index (stat cache) this work tree uses; default the store's own. */
  indexFile?: string;
  /** An ignore file applied besides the work tree's `.gitignore` files. */
  excludesFile?: string | null;
  /** Kills running commands when it aborts. */
  signal?: AbortSignal;
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
  "core.symlinks=true",
  "core.looseCompression=1",
  "pack.compression=1",
  "gc.auto=0",
  "maintenance.auto=false",
  "advice.addEmbeddedRepo=false",
  "init.defaultBranch=snapshots",
].flatMap((setting) => ["-c", setting]);

/** Attributes that keep stored bytes exactly as on disk (no eol or filters). */
const ATTRIBUTES = "* -text -filter -ident -working-tree-encoding\n";

/**
 * Git over `<storeDir>/repo.git` (a bare repository used with
 * `--work-tree`). Every command gets `-c core.hooksPath=/dev/null`, no
 * signing, a fixed identity, `GIT_CONFIG_NOSYSTEM=1`, HOME and the global
 * config pointed into the store, literal pathspecs and no other inherited
 * environment. The store's `info/attributes` turns off line-ending
 * conversion and filters, so files come back byte for byte.
 *
 * @example
 * ```ts ignore
 * const git = new ShadowGit({ git: "/usr/bin/git", workTree: "/ws", storeDir: "/data/s1", path: "/usr/bin" });
 * await ShadowGit.initStore(git, []);
 * const tree = new TextDecoder().decode(await git.run(["write-tree"])).trim();
 * ```
 */
export class ShadowGit {
  /** The options it runs with. */
  readonly options: ShadowGitOptions;
  /** `<storeDir>/repo.git`. */
  readonly gitDir: string;

  /**
   * Keeps the options; nothing runs yet.
   *
   * @example
   * ```ts
   * new ShadowGit({ git: "git", workTree: "/ws", storeDir: "/data/s1", path: "/usr/bin" });
   * ```
   */
  constructor(options: ShadowGitOptions) {
    this.options = options;
    this.gitDir = join(options.storeDir, "repo.git");
  }

  /**
   * Creates the store's repository when missing (folders mode 0700) and
   * writes its attributes and `info/exclude` (`exclude`: patterns relative
   * to the workspace).
   *
   * @example
   * ```ts ignore
   * await ShadowGit.initStore(git, ["/.local/store/"]);
   * ```
   */
  static async initStore(git: ShadowGit, exclude: string[]): Promise<void> {
    const { storeDir } = git.options;
    await Deno.mkdir(storeDir, { recursive: true, mode: 0o700 });
    await Deno.chmod(storeDir, 0o700);
    try {
      await Deno.stat(join(git.gitDir, "HEAD"));
    } catch {
      git.#check(
        await git.#exec([...CONFIG, "init", "--bare", "-q", git.gitDir]),
        "init",
      );
    }
    await Deno.mkdir(join(git.gitDir, "info"), { recursive: true });
    await Deno.writeTextFile(
      join(git.gitDir, "info", "attributes"),
      ATTRIBUTES,
    );
    await Deno.writeTextFile(
      join(git.gitDir, "info", "exclude"),
      exclude.map((p) => `${p}\n`).join(""),
    );
  }

  /**
   * A copy of this runner with other options (another work tree or index).
   *
   * @example
   * ```ts ignore
   * const meta = git.with({ workTree: "/ws/.git", indexFile: "/data/s1/meta.index" });
   * ```
   */
  with(options: Partial<ShadowGitOptions>): ShadowGit {
    return new ShadowGit({ ...this.options, ...options });
  }

  /**
   * Runs a command on the store; resolves with its output, throws an
   * `Error` naming the command and git's message when it fails.
   *
   * @example
   * ```ts ignore
   * await git.run(["update-index", "-q", "--refresh"]);
   * ```
   */
  async run(args: string[], stdin?: Uint8Array): Promise<Uint8Array> {
    return this.#check(await this.tryRun(args, stdin), args[0]).stdout;
  }

  /**
   * Runs a command on the store and resolves with its result, failed or not.
   *
   * @example
   * ```ts ignore
   * const head = await git.tryRun(["rev-parse", "--verify", "-q", "HEAD"]);
   * ```
   */
  tryRun(args: string[], stdin?: Uint8Array): Promise<GitResult> {
    return this.#exec(this.#args(args), stdin);
  }

  /**
   * Starts a command on the store with its stdin open for streaming
   * (`fast-import`); the caller writes, closes stdin and awaits `output()`.
   *
   * @example
   * ```ts ignore
   * const child = git.spawn(["fast-import", "--quiet"]);
   * ```
   */
  spawn(args: string[]): Deno.ChildProcess {
    return this.#command(this.#args(args), "piped").spawn();
  }

  /**
   * Runs a read-only command in the work tree's own repository (`git -C
   * <workTree>`), with the same private configuration; resolves with its
   * result, failed or not (not a repository).
   *
   * @example
   * ```ts ignore
   * const tracked = await git.inWorkTree(["ls-files", "-z"]);
   * ```
   */
  inWorkTree(args: string[]): Promise<GitResult> {
    return this.#exec([...CONFIG, "-C", this.options.workTree, ...args]);
  }

  /** Throws the error a failed command stands for. */
  check(result: GitResult, command: string): GitResult {
    return this.#check(result, command);
  }

  #args(args: string[]): string[] {
    const exclude = this.options.excludesFile
      ? ["-c", `core.excludesFile=${this.options.excludesFile}`]
      : [];
    return [
      ...CONFIG,
      ...exclude,
      `--git-dir=${this.gitDir}`,
      `--work-tree=${this.options.workTree}`,
      ...args,
    ];
  }

  #check(result: GitResult, command: string): GitResult {
    if (result.code === 0) return result;
    throw new Error(
      `Cannot snapshot the workspace: git ${command} failed: ${
        result.stderr.trim() || `exit code ${result.code}`
      }`,
    );
  }

  #command(args: string[], stdin: "piped" | "null"): Deno.Command {
    const { storeDir } = this.options;
    const env: Record<string, string> = {
      PATH: this.options.path,
      HOME: storeDir,
      XDG_CONFIG_HOME: join(storeDir, "config"),
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: join(storeDir, "gitconfig"),
      GIT_LITERAL_PATHSPECS: "1",
      GIT_OPTIONAL_LOCKS: "0",
      GIT_TERMINAL_PROMPT: "0",
      LC_ALL: "C",
      // glibc would hand memory back after every file and fault it in
      // again for the next: most of a big snapshot's system time.
      GLIBC_TUNABLES:
        "glibc.malloc.trim_threshold=268435456:glibc.malloc.top_pad=16777216",
    };
    if (this.options.indexFile) env.GIT_INDEX_FILE = this.options.indexFile;
    return new Deno.Command(this.options.git, {
      args,
      // The work tree's root: commands list and add paths relative to it
      // (a cwd below it, such as a store kept inside it, would narrow them).
      cwd: this.options.workTree,
      env,
      clearEnv: true,
      stdin,
      stdout: "piped",
      stderr: "piped",
      signal: this.options.signal,
    });
  }

  async #exec(args: string[], stdin?: Uint8Array): Promise<GitResult> {
    this.options.signal?.throwIfAborted();
    const child = this.#command(args, stdin ? "piped" : "null").spawn();
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
    this.options.signal?.throwIfAborted();
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

/**
 * NUL-terminates strings for git's `-z` input.
 *
 * @example
 * ```ts
 * joinNul(["a", "b"]); // bytes of "a\0b\0"
 * ```
 */
export function joinNul(items: string[]): Uint8Array {
  return new TextEncoder().encode(items.map((s) => `${s}\0`).join(""));
}

/**
 * The trimmed text of git's output.
 *
 * @example
 * ```ts
 * text(new TextEncoder().encode("abc\n")); // "abc"
 * ```
 */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes).trim();
}
