/**
 * Classifies a path: inside the workspace or not, and secret-looking or not
 * (credentials, keys, git config and hooks, nanocode's own files).
 *
 * @module
 */

import { join } from "../util/path.ts";

/** What the policy needs to know about a path. */
export interface PathClass {
  /** The path is a workspace root or below one. */
  inside: boolean;
  /** Why the path looks secret, e.g. `secret-looking file (.env)`; absent when it does not. */
  secret?: string;
}

/** Where the workspace is and which folders are sensitive. */
export interface ClassifyOptions {
  /** Absolute real paths of the workspace folders. */
  roots: string[];
  /** The user's home folder (for `~/.ssh` and friends). */
  home: string;
  /** Folders nanocode keeps its own config and data in. */
  protectedDirs: string[];
}

/** `.env` variants that hold examples rather than values. */
const ENV_EXAMPLES = new Set([
  ".env.example",
  ".env.sample",
  ".env.template",
  ".env.dist",
]);

/** File names that hold credentials wherever they are. */
const CREDENTIAL_NAMES = new Set([
  ".npmrc",
  ".yarnrc.yml",
  ".pypirc",
  ".netrc",
  ".git-credentials",
  ".pgpass",
  ".my.cnf",
  ".htpasswd",
  ".vault-token",
  ".boto",
  ".s3cfg",
]);

/** More credential file names, too common a shape to judge shell globs by. */
const CREDENTIAL_FILES = new Set(["credentials.json"]);

const KEY_PREFIXES = ["id_rsa", "id_ed25519", "id_ecdsa", "id_dsa"];
const KEY_SUFFIXES = [
  ".pem",
  ".key",
  ".p12",
  ".pfx",
  ".keystore",
  ".jks",
  ".ppk",
  ".kdbx",
  ".tfstate",
];

/** Home-relative folders (or files) whose whole subtree is secret. */
const HOME_SECRETS = [
  ".ssh",
  ".aws",
  ".azure",
  ".config/gcloud",
  ".kube/config",
  ".docker/config.json",
  ".config/gh/hosts.yml",
  ".gnupg",
  ".codex",
  ".claude",
  ".claude.json",
  ".cargo/credentials",
  ".cargo/credentials.toml",
  ".gem/credentials",
  ".terraform.d/credentials.tfrc.json",
  ".config/hub",
  ".password-store",
  ".local/share/keyrings",
  ".mozilla",
  ".config/google-chrome",
  ".config/chromium",
];

/**
 * The credential files and folders of a home folder (`~/.ssh`, `~/.aws`,
 * `~/.config/gh/hosts.yml`, ...), whether or not they exist.
 *
 * @example
 * ```ts
 * import { homeSecretPaths } from "./classify.ts";
 * console.log(homeSecretPaths("/h")[0]); // "/h/.ssh"
 * ```
 */
export function homeSecretPaths(home: string): string[] {
  return HOME_SECRETS.map((secret) => join(home, secret));
}

/**
 * Whether `path` equals `root` or lies below it (both absolute and
 * normalised).
 *
 * @example
 * ```ts
 * import { isWithin } from "./classify.ts";
 * console.log(isWithin("/w/src/a.ts", "/w")); // true
 * console.log(isWithin("/work", "/w")); // false
 * ```
 */
export function isWithin(path: string, root: string): boolean {
  const base = root.length > 1 ? root.replace(/\/+$/, "") : root;
  if (base === "/") return path.startsWith("/");
  return path === base || path.startsWith(base + "/");
}

/**
 * Why a path looks secret, or `undefined`. File-name patterns are matched
 * against the last path component, folder patterns against whole
 * components; home patterns apply to absolute paths and `~/...`.
 *
 * @example
 * ```ts
 * import { secretReason } from "./classify.ts";
 * console.log(secretReason("/w/.env.local", { home: "/h", protectedDirs: [] }));
 * // "secret-looking file (.env.local)"
 * console.log(secretReason("/w/.env.example", { home: "/h", protectedDirs: [] })); // undefined
 * ```
 */
export function secretReason(
  path: string,
  options: { home: string; protectedDirs: string[] },
): string | undefined {
  const home = options.home.replace(/\/+$/, "") || "/";
  const absolute = path === "~"
    ? home
    : path.startsWith("~/")
    ? join(home, path.slice(2))
    : path;
  const parts = absolute.split("/").filter((p) => p !== "" && p !== ".");
  const name = parts[parts.length - 1] ?? "";
  if (
    name === ".env" || name === ".envrc" ||
    (name.startsWith(".env.") && !ENV_EXAMPLES.has(name))
  ) {
    return `secret-looking file (${name})`;
  }
  if (name === ".mcp.json") {
    return "protected file (.mcp.json: it starts MCP servers)";
  }
  if (
    CREDENTIAL_NAMES.has(name) || CREDENTIAL_FILES.has(name) ||
    KEY_PREFIXES.some((p) => name.startsWith(p)) ||
    KEY_SUFFIXES.some((s) => name.endsWith(s) && name.length > s.length)
  ) {
    return `secret-looking file (${name})`;
  }
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] !== ".git") continue;
    if (parts[i + 1] === "config" && i + 2 === parts.length) {
      return "protected file (.git/config)";
    }
    if (parts[i + 1] === "hooks") return "protected file (.git/hooks)";
  }
  if (absolute.startsWith("/")) {
    for (const secret of HOME_SECRETS) {
      if (isWithin(absolute, join(home, secret))) {
        return `secret-looking file (~/${secret})`;
      }
    }
    for (const dir of options.protectedDirs) {
      if (isWithin(absolute, dir)) return `nanocode's own files (${dir})`;
    }
  }
  const own = parts.indexOf(".nanocode");
  if (own !== -1) {
    const dir = parts.slice(0, own + 1).join("/");
    return `nanocode's own files (${
      absolute.startsWith("/") ? "/" : ""
    }${dir})`;
  }
  return undefined;
}

/**
 * Why writing `path` touches git's own files, or `undefined`: a path with a
 * `.git` component (the folder, anything in it, or a `.git` file). Git
 * runs what `.git/config` and `.git/hooks` say, and `.git/HEAD` and refs
 * are the repository's history, so such writes always need a person.
 *
 * @example
 * ```ts
 * import { gitWriteReason } from "./classify.ts";
 * console.log(gitWriteReason("/w/.git/HEAD")); // "protected file (.git/)"
 * console.log(gitWriteReason("/w/.gitignore")); // undefined
 * ```
 */
export function gitWriteReason(path: string): string | undefined {
  return path.split("/").includes(".git")
    ? "protected file (.git/)"
    : undefined;
}

/** Names a shell glob is tried against to see whether it could reach a secret. */
const SECRET_SAMPLES = [
  ".env",
  ".env.local",
  ".envrc",
  ...KEY_PREFIXES,
  ...KEY_SUFFIXES.map((suffix) => `key${suffix}`),
  ...CREDENTIAL_NAMES,
];

/**
 * Why a shell glob (`*`, `?`, `[...]` in its last component) could expand
 * to a secret-looking file name, or `undefined`. Like the shell, `*` and
 * `?` do not match a leading dot; a glob without a letter, digit, `_` or
 * `-` (such as `*` or `*.*`) is not judged.
 *
 * @example
 * ```ts
 * import { secretGlobReason } from "./classify.ts";
 * console.log(secretGlobReason(".env*")); // "secret-looking file (.env*)"
 * console.log(secretGlobReason("src/*.ts")); // undefined
 * ```
 */
export function secretGlobReason(glob: string): string | undefined {
  const trimmed = glob.replace(/\/+$/, "");
  const name = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  if (!/[*?[]/.test(name) || !/[A-Za-z0-9_-]/.test(name)) return undefined;
  const tokens = shellGlobTokens(name);
  return SECRET_SAMPLES.some((sample) => shellGlobMatch(tokens, sample))
    ? `secret-looking file (${glob})`
    : undefined;
}

/** One element of a shell glob: a `*`, or a test of one character. */
type ShellGlobToken = "*" | ((c: string, first: boolean) => boolean);

function shellGlobTokens(name: string): ShellGlobToken[] {
  const tokens: ShellGlobToken[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    const end = c === "[" ? name.indexOf("]", i + 2) : -1;
    if (c === "*") {
      if (tokens[tokens.length - 1] !== "*") tokens.push("*");
    } else if (c === "?") tokens.push((_, first) => !(first && _ === "."));
    else if (end !== -1) {
      const body = name.slice(i + 1, end);
      const negate = body.startsWith("!") || body.startsWith("^");
      const set = negate ? body.slice(1) : body;
      tokens.push((ch) => inClass(set, ch) !== negate);
      i = end;
    } else tokens.push((ch) => ch === c);
  }
  return tokens;
}

/** Whether `c` is in a class body like `a-z_.`. */
function inClass(body: string, c: string): boolean {
  for (let i = 0; i < body.length; i++) {
    if (body[i + 1] === "-" && i + 2 < body.length) {
      if (body[i] <= c && c <= body[i + 2]) return true;
      i += 2;
    } else if (body[i] === c) return true;
  }
  return false;
}

/**
 * Whether a shell glob matches a whole name, as the shell does: `*` and
 * `?` do not match a leading dot. Runs in time proportional to the
 * glob's length times the name's: a `*` only ever resumes from the last
 * one, so nothing backtracks further (a regular expression of forty `*`
 * tried on ".git-credentials" backtracked for hours).
 */
function shellGlobMatch(tokens: ShellGlobToken[], text: string): boolean {
  let t = 0;
  let i = 0;
  let star = -1;
  let resume = 0;
  while (i < text.length) {
    const token = tokens[t];
    if (token === "*" && !(i === 0 && text[0] === ".")) {
      star = t++;
      resume = i;
    } else if (
      token !== undefined && token !== "*" && token(text[i], i === 0)
    ) {
      t++;
      i++;
    } else if (star !== -1) {
      t = star + 1;
      i = ++resume;
    } else return false;
  }
  while (tokens[t] === "*") t++;
  return t === tokens.length;
}

/**
 * Classifies the real path of an access (and the path as it was given):
 * `inside` when the real path is a root or below one; `secret` when either
 * path looks secret.
 *
 * @example
 * ```ts
 * import { classifyPath } from "./classify.ts";
 * const options = { roots: ["/w"], home: "/h", protectedDirs: [] };
 * console.log(classifyPath("/w/src/a.ts", "src/a.ts", options)); // { inside: true }
 * console.log(classifyPath("/h/.ssh/id_rsa", "~/.ssh/id_rsa", options));
 * // { inside: false, secret: "secret-looking file (id_rsa)" }
 * ```
 */
export function classifyPath(
  real: string,
  given: string,
  options: ClassifyOptions,
): PathClass {
  const inside = options.roots.some((root) => isWithin(real, root));
  const secret = secretReason(real, options) ?? secretReason(given, options);
  return secret === undefined ? { inside } : { inside, secret };
}
