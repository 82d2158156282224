/**
 * Commands known to need more than the sandbox gives (the network, writes
 * into `.git`, installs outside the workspace), so nanocode can ask to run
 * them outside it up front instead of letting them fail inside.
 *
 * @module
 */

import { commandForms, programWords } from "../policy/command_forms.ts";
import { shellWords, splitCommand } from "../policy/shell.ts";

/** git subcommands that only read the repository. */
const GIT_READS = new Set([
  "status",
  "diff",
  "log",
  "show",
  "blame",
  "grep",
  "ls-files",
  "ls-tree",
  "rev-parse",
  "rev-list",
  "describe",
  "shortlog",
  "cat-file",
  "for-each-ref",
  "show-ref",
  "reflog",
  "whatchanged",
  "help",
  "version",
  "check-ignore",
  "merge-base",
  "name-rev",
  "var",
  "count-objects",
  "fsck",
  "archive",
  "format-patch",
  "difftool",
  "range-diff",
]);
/** git subcommands that only read when given no arguments or a listing word. */
const GIT_LISTS = new Set([
  "branch",
  "tag",
  "remote",
  "stash",
  "config",
  "worktree",
  "notes",
]);
const GIT_NETWORK = new Set([
  "push",
  "pull",
  "fetch",
  "clone",
  "ls-remote",
  "submodule",
]);
/** Options of `git` itself that take a value. */
const GIT_VALUE_OPTIONS = new Set(["-C", "-c", "--git-dir", "--work-tree"]);
const LISTING_WORDS = new Set([
  "list",
  "show",
  "-l",
  "--list",
  "-v",
  "-vv",
  "-a",
  "-r",
  "--all",
  "--get",
  "--get-all",
  "--get-regexp",
  "--show-current",
  "--contains",
  "--merged",
  "--no-merged",
  "get-url",
]);

/** Package managers: subcommands that download (or publish). */
const PACKAGE_NETWORK: Record<string, Set<string>> = {
  npm: new Set([
    "install",
    "i",
    "ci",
    "add",
    "update",
    "upgrade",
    "publish",
    "login",
    "audit",
    "outdated",
    "view",
    "info",
    "exec",
  ]),
  pnpm: new Set([
    "install",
    "i",
    "add",
    "update",
    "up",
    "upgrade",
    "dlx",
    "publish",
    "fetch",
    "outdated",
  ]),
  yarn: new Set([
    "",
    "install",
    "add",
    "upgrade",
    "up",
    "dlx",
    "publish",
    "npm",
  ]),
  bun: new Set(["install", "i", "add", "update", "x", "publish"]),
  pip: new Set(["install", "download"]),
  pip3: new Set(["install", "download"]),
  uv: new Set(["add", "sync", "lock", "pip", "tool", "run"]),
  poetry: new Set(["install", "add", "update", "lock"]),
  cargo: new Set(["install", "fetch", "update", "add", "publish", "search"]),
  go: new Set(["get", "install", "mod"]),
  gem: new Set(["install", "update"]),
  bundle: new Set(["", "install", "update"]),
  deno: new Set(["install", "add", "cache", "upgrade"]),
  apt: new Set(["install", "update", "upgrade"]),
  "apt-get": new Set(["install", "update", "upgrade"]),
  brew: new Set(["install", "update", "upgrade"]),
  dnf: new Set(["install", "update", "upgrade"]),
  conda: new Set(["install", "update", "create"]),
};

/** Programs that always reach the network or a daemon outside the sandbox. */
const NETWORK_PROGRAMS = new Set([
  "curl",
  "wget",
  "ssh",
  "scp",
  "sftp",
  "ftp",
  "telnet",
  "nc",
  "ncat",
  "netcat",
  "ping",
  "dig",
  "nslookup",
  "gh",
  "npx",
  "bunx",
  "pipx",
  "kubectl",
  "aws",
  "gcloud",
  "az",
  "http",
  "https",
]);

/**
 * Why `command` needs to run outside the sandbox, or `undefined` when it
 * should work inside. Looks at every simple command, including those run
 * through `sh -c`, `xargs`, `find -exec` and wrappers.
 *
 * @example
 * ```ts
 * import { whyLeave } from "./leave.ts";
 * console.log(whyLeave("git add -A && git commit -m fix")); // "git add writes into .git"
 * console.log(whyLeave("npm install")); // "npm install needs the network"
 * console.log(whyLeave("npm test")); // undefined
 * ```
 */
export function whyLeave(command: string): string | undefined {
  for (const segment of splitCommand(command).segments) {
    const first = shellWords(segment).find((w) => !/^[A-Za-z_]\w*=/.test(w));
    const program = first?.slice(first.lastIndexOf("/") + 1);
    if (program === "sudo" || program === "doas" || program === "su") {
      return `${program} needs privileges the sandbox drops`;
    }
    for (const form of commandForms(segment)) {
      const reason = formReason(programWords(form));
      if (reason) return reason;
    }
  }
  return undefined;
}

function formReason(words: string[]): string | undefined {
  const [program, ...rest] = words;
  if (program === undefined) return undefined;
  if (program === "git") return gitReason(rest);
  if (program === "docker" || program === "podman") {
    return `${program} talks to its daemon outside the sandbox`;
  }
  if (NETWORK_PROGRAMS.has(program)) return `${program} needs the network`;
  if (program === "rsync" && rest.some((w) => /^[^/-][^/]*:/.test(w))) {
    return "rsync to another host needs the network";
  }
  const network = PACKAGE_NETWORK[program];
  if (network) {
    const sub = rest.find((w) => !w.startsWith("-")) ?? "";
    if (network.has(sub)) {
      return `${[program, sub].filter(Boolean).join(" ")} needs the network`;
    }
  }
  return undefined;
}

function gitReason(args: string[]): string | undefined {
  let i = 0;
  while (i < args.length && args[i].startsWith("-")) {
    i += GIT_VALUE_OPTIONS.has(args[i]) ? 2 : 1;
  }
  const sub = args[i];
  if (sub === undefined) return undefined;
  const rest = args.slice(i + 1);
  if (GIT_NETWORK.has(sub)) return `git ${sub} needs the network`;
  if (GIT_READS.has(sub)) return undefined;
  if (GIT_LISTS.has(sub) && !(sub === "stash" && rest.length === 0)) {
    const lists = rest.length === 0 || rest.some((w) => LISTING_WORDS.has(w));
    if (lists) return undefined;
  }
  return `git ${sub} writes into .git`;
}
