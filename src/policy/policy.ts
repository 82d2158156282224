/**
 * The permission policy: decides whether a file access or a command runs,
 * asks the user, or is refused, from the workspace, the permission mode,
 * the config's allow and deny rules and the user's "always" answers.
 *
 * @module
 */

import type { PermissionMode } from "../config/fields.ts";
import { join } from "../util/path.ts";
import {
  type ClassifyOptions,
  classifyPath,
  gitWriteReason,
  isWithin,
  secretGlobReason,
  secretReason,
} from "./classify.ts";
import type { ResolvedPath } from "./paths.ts";
import {
  denyCovers,
  isExplicitFileRule,
  matchesCommand,
  matchesFile,
  matchesMcp,
  parseRule,
  type Rule,
} from "./rules.ts";
import { commandMentions, redirectTargets, splitCommand } from "./shell.ts";
import { commandForms } from "./command_forms.ts";

/** What the policy says about one request. */
export type Decision =
  | { verdict: "allow" }
  | { verdict: "ask"; reasons: string[] }
  | { verdict: "deny"; reason: string };

/** How a {@linkcode Policy} is set up. */
export interface PolicyOptions {
  /** Absolute real workspace folders; the first is where commands run. */
  roots: string[];
  /** The user's home folder. */
  home: string;
  /** nanocode's own config and data folders (each root's `.nanocode` is added). */
  protectedDirs: string[];
  /** The permission mode. */
  mode: PermissionMode;
  /** Allow rules, e.g. `run_bash(git status*)`, `edit_file(src/**)`. */
  allow?: string[];
  /** Deny rules, e.g. `read_file(.env)`; deny beats allow. */
  deny?: string[];
  /** Whether MCP tools the server marks read-only (`readOnlyHint`) run without asking. */
  mcpAllowReadOnly?: boolean;
}

/** An "always" answer: a whole command line, or a real path for one kind of access. */
export type SessionApproval =
  | { command: string }
  | { access: "read" | "write"; real: string }
  | { mcp: string };

const ALLOW: Decision = { verdict: "allow" };

/**
 * Longest command line decided, in UTF-8 bytes: Linux takes at most
 * 128 KiB in one argument (`bash -c` would refuse a longer one anyway),
 * and reading a longer line costs time the agent must not lose.
 */
const MAX_COMMAND_BYTES = 127 * 1024;
const ask = (reasons: string[]): Decision => ({
  verdict: "ask",
  reasons: [...new Set(reasons)],
});
const deny = (reason: string): Decision => ({ verdict: "deny", reason });

/** Why plan mode refuses a change or a command. */
export const PLAN_MODE_REASON =
  "plan mode is read-only: no file changes and no commands; answer with a plan instead";

/**
 * Decides file accesses and commands. Order: a deny rule denies; a
 * secret-looking or protected path (for writes also anything under
 * `.git/`, and for commands output redirected there) asks in every mode
 * (is denied in `yolo`) unless an explicit allow rule names it; a session "always" allows; an allow rule allows; then the
 * mode decides.
 *
 * @example
 * ```ts
 * import { Policy } from "./policy.ts";
 * const policy = new Policy({
 *   roots: ["/w"],
 *   home: "/h",
 *   protectedDirs: [],
 *   mode: "ask",
 *   allow: ["run_bash(git status*)"],
 * });
 * console.log(policy.decideCommand("git status --short")); // { verdict: "allow" }
 * console.log(policy.decideCommand("rm -rf x"));
 * // { verdict: "ask", reasons: ["commands ask in ask mode"] }
 * ```
 */
export class Policy {
  /** The permission mode; may be changed during a session. */
  mode: PermissionMode;
  /** The workspace folders. */
  readonly roots: readonly string[];
  readonly #classify: ClassifyOptions;
  readonly #allow: Rule[];
  readonly #deny: Rule[];
  readonly #commands = new Set<string>();
  readonly #paths = new Set<string>();
  readonly #mcpAllowReadOnly: boolean;

  /**
   * @throws {TypeError} for a missing or relative root, or a malformed rule.
   */
  constructor(options: PolicyOptions) {
    if (options.roots.length === 0) {
      throw new TypeError("Cannot build the policy: no workspace folder");
    }
    for (const root of [...options.roots, options.home]) {
      if (!root.startsWith("/")) {
        throw new TypeError(
          `Cannot build the policy: ${JSON.stringify(root)} is not absolute`,
        );
      }
    }
    this.mode = options.mode;
    this.#mcpAllowReadOnly = options.mcpAllowReadOnly ?? false;
    this.roots = options.roots.map((root) => join(root));
    const home = join(options.home);
    this.#classify = {
      roots: [...this.roots],
      home,
      protectedDirs: [
        ...options.protectedDirs.map((dir) => join(dir)),
        ...this.roots.map((root) => join(root, ".nanocode")),
      ],
    };
    const parse = (text: string) => {
      const rule = parseRule(text);
      const pattern = rule.pattern?.startsWith("~/")
        ? home.replace(/\/$/, "") + rule.pattern.slice(1)
        : rule.pattern;
      return { ...rule, pattern };
    };
    this.#allow = (options.allow ?? []).map(parse);
    this.#deny = (options.deny ?? []).map(parse);
  }

  /**
   * Records an "always" answer for the rest of the session: the exact
   * command line, or the exact real path for one kind of access.
   *
   * @example
   * ```ts
   * import { Policy } from "./policy.ts";
   * const policy = new Policy({ roots: ["/w"], home: "/h", protectedDirs: [], mode: "ask" });
   * policy.allowForSession({ command: "make test" });
   * console.log(policy.decideCommand("make test")); // { verdict: "allow" }
   * ```
   */
  allowForSession(request: SessionApproval): void {
    if ("command" in request) this.#commands.add(request.command.trim());
    else if ("mcp" in request) this.#commands.add(`mcp:${request.mcp}`);
    else this.#paths.add(`${request.access}:${request.real}`);
  }

  /**
   * Why a path looks secret (for keeping secret files out of search
   * results), or `undefined`.
   *
   * @example
   * ```ts
   * import { Policy } from "./policy.ts";
   * const policy = new Policy({ roots: ["/w"], home: "/h", protectedDirs: [], mode: "ask" });
   * console.log(policy.secretReason("/w/.env")); // "secret-looking file (.env)"
   * ```
   */
  secretReason(path: string): string | undefined {
    return secretReason(path, this.#classify);
  }

  /**
   * Decides a file tool's access to a resolved path. `glob_files` and
   * `grep_files` count as reads of their folder. `given` is the path as
   * the model wrote it.
   *
   * @example
   * ```ts
   * import { Policy } from "./policy.ts";
   * const policy = new Policy({ roots: ["/w"], home: "/h", protectedDirs: [], mode: "ask" });
   * const resolved = { absolute: "/w/a.ts", real: "/w/a.ts", exists: true, hardLinks: 1 };
   * console.log(policy.decidePath("read_file", "read", resolved, "a.ts")); // { verdict: "allow" }
   * console.log(policy.decidePath("write_file", "write", resolved, "a.ts"));
   * // { verdict: "ask", reasons: ["writes ask in ask mode"] }
   * ```
   */
  decidePath(
    tool: string,
    access: "read" | "write",
    resolved: ResolvedPath,
    given: string,
  ): Decision {
    const kind = tool === "glob_files" || tool === "grep_files"
      ? "read"
      : access;
    const real = this.#relative(resolved.real);
    const spellings = [real, this.#relative(resolved.absolute)];
    const denied = this.#deny.find((rule) =>
      denyCovers(rule, tool, kind) &&
      spellings.some((path) => matchesFile(rule, rule.tool, path))
    );
    if (denied) return deny(`denied by rule ${denied.text}`);
    if (this.mode === "plan" && kind === "write") return deny(PLAN_MODE_REASON);

    const { inside, secret: realSecret } = classifyPath(
      resolved.real,
      given,
      this.#classify,
    );
    const secret = realSecret ??
      secretReason(resolved.absolute, this.#classify) ??
      (kind === "write"
        ? gitWriteReason(resolved.real) ?? gitWriteReason(resolved.absolute)
        : undefined);
    const outside = inside ? [] : ["outside the workspace"];
    if (secret !== undefined) {
      const named = this.#allow.some((rule) =>
        isExplicitFileRule(rule) && matchesFile(rule, tool, real)
      );
      if (named) return ALLOW;
      if (this.mode === "yolo") return deny(secret);
      return ask([secret, ...outside]);
    }

    if (this.#paths.has(`${kind}:${resolved.real}`)) return ALLOW;
    if (this.#allow.some((rule) => matchesFile(rule, tool, real))) return ALLOW;

    if (this.mode === "yolo") return ALLOW;
    if (kind === "read") return inside ? ALLOW : ask(outside);
    const reasons = inside
      ? this.mode === "ask" ? ["writes ask in ask mode"] : []
      : outside;
    if (resolved.hardLinks > 1) {
      reasons.push(
        `the file has ${resolved.hardLinks} hard links; the write replaces this name only`,
      );
    }
    return reasons.length > 0 ? ask(reasons) : ALLOW;
  }

  /**
   * Decides a `run_bash` command line. Deny rules apply to the whole line,
   * to each simple command and (file rules) to each path it mentions; a
   * line is allowed by rules only when it is not complex and every simple
   * command matches an allow rule. A line longer than 127 KiB, or nesting
   * substitutions more than 64 deep, is denied with the reason.
   *
   * @example
   * ```ts
   * import { Policy } from "./policy.ts";
   * const policy = new Policy({
   *   roots: ["/w"],
   *   home: "/h",
   *   protectedDirs: [],
   *   mode: "yolo",
   *   deny: ["run_bash(rm *)"],
   * });
   * console.log(policy.decideCommand("ls; rm -rf x").verdict); // "deny"
   * console.log(policy.decideCommand("cat .env").verdict); // "deny"
   * ```
   */
  decideCommand(command: string): Decision {
    const bytes = new TextEncoder().encode(command).length;
    if (bytes > MAX_COMMAND_BYTES) {
      return deny(
        `the command is ${bytes} bytes, more than one shell argument holds (${MAX_COMMAND_BYTES}): write it to a script file and run that`,
      );
    }
    try {
      return this.#decideCommand(command);
    } catch (error) {
      // Nesting too deep to read (or to recurse into): never guess.
      if (!(error instanceof RangeError)) throw error;
      return deny(`the command cannot be checked: ${error.message}`);
    }
  }

  #decideCommand(command: string): Decision {
    const text = command.trim();
    const split = splitCommand(text);
    const commandRules = (rules: Rule[]) =>
      rules.filter((rule) => rule.tool === "*" || rule.tool === "run_bash");
    // Deny rules also see each program as it runs (`/bin/rm`, `env rm`, `sh -c 'rm x'`).
    const lines = [
      text,
      ...split.segments,
      ...split.segments.flatMap(commandForms),
    ];
    const denied = commandRules(this.#deny).find((rule) =>
      lines.some((line) => matchesCommand(rule, line))
    );
    if (denied) return deny(`denied by rule ${denied.text}`);

    const secrets: string[] = [];
    for (const mention of commandMentions(text)) {
      const absolute = this.#lexical(mention);
      const relative = this.#relative(absolute);
      const rule = this.#deny.find((rule) =>
        rule.tool !== "run_bash" && rule.pattern !== null &&
        matchesFile(rule, rule.tool, relative)
      );
      if (rule) return deny(`denied by rule ${rule.text} (${mention})`);
      const secret = classifyPath(absolute, mention, this.#classify).secret ??
        secretGlobReason(mention);
      if (secret !== undefined) secrets.push(secret);
    }
    for (const target of redirectTargets(text)) {
      const reason = gitWriteReason(this.#lexical(target));
      if (reason !== undefined) secrets.push(reason);
    }
    if (this.mode === "plan") return deny(PLAN_MODE_REASON);

    const allowRules = commandRules(this.#allow);
    const allowedBy = (rules: Rule[]) =>
      !split.complex && split.segments.length > 0 &&
      split.segments.every((segment) =>
        rules.some((rule) => matchesCommand(rule, segment))
      );
    if (secrets.length > 0) {
      const exact = allowRules.filter((rule) =>
        rule.tool === "run_bash" && rule.pattern !== null &&
        !rule.pattern.includes("*")
      );
      if (allowedBy(exact)) return ALLOW;
      if (this.mode === "yolo") return deny(secrets[0]);
      return ask(secrets);
    }

    if (this.#commands.has(text)) return ALLOW;
    if (allowedBy(allowRules)) return ALLOW;
    if (this.mode === "yolo") return ALLOW;
    const reasons = [`commands ask in ${this.mode} mode`];
    if (split.complex) {
      reasons.push(`compound command: rules do not apply (${split.reason})`);
    }
    return ask(reasons);
  }

  /**
   * Decides a call of an MCP tool. Order: a deny rule (`mcp(github.*)`,
   * `mcp`, `*`) denies; plan mode denies a tool not marked read-only; a
   * session "always" or an allow rule allows; `yolo`
   * allows; a read-only tool (`readOnlyHint`) is allowed when
   * `mcpAllowReadOnly` is set; otherwise it asks (in `ask` and `auto-edit`).
   *
   * @example
   * ```ts
   * import { Policy } from "./policy.ts";
   * const policy = new Policy({ roots: ["/w"], home: "/h", protectedDirs: [], mode: "ask", deny: ["mcp(github.delete_*)"] });
   * console.log(policy.decideMcp({ server: "github", tool: "delete_repo", readOnly: false }).verdict); // "deny"
   * console.log(policy.decideMcp({ server: "github", tool: "list_issues", readOnly: true }).verdict); // "ask"
   * ```
   */
  decideMcp(
    call: { server: string; tool: string; readOnly: boolean },
  ): Decision {
    const matches = (rule: Rule) => matchesMcp(rule, call.server, call.tool);
    const denied = this.#deny.find(matches);
    if (denied) return deny(`denied by rule ${denied.text}`);
    // A tool not marked read-only may change the world: plan mode refuses it.
    if (this.mode === "plan" && !call.readOnly) return deny(PLAN_MODE_REASON);
    if (this.#commands.has(`mcp:${call.server}.${call.tool}`)) return ALLOW;
    if (this.#allow.some(matches)) return ALLOW;
    if (this.mode === "yolo") return ALLOW;
    if (call.readOnly && this.#mcpAllowReadOnly) return ALLOW;
    return ask([`MCP tools ask in ${this.mode} mode`]);
  }

  /** Workspace-relative form of an absolute path (`.` for a root), or the path itself outside. */
  #relative(path: string): string {
    let best: string | undefined;
    for (const root of this.roots) {
      if (isWithin(path, root) && (!best || root.length > best.length)) {
        best = root;
      }
    }
    if (best === undefined) return path;
    if (path === best) return ".";
    return path.slice(best === "/" ? 1 : best.length + 1);
  }

  /** A mentioned path made absolute without the file system (`$HOME` read as `~`). */
  #lexical(given: string): string {
    const path = given.replace(/^\$(HOME\b|\{HOME\})/, "~");
    const home = this.#classify.home;
    if (path === "~") return home;
    if (path.startsWith("~/")) return join(home, path.slice(2));
    return path.startsWith("/") ? join(path) : join(this.roots[0], path);
  }
}
