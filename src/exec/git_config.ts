/**
 * Git configs without their credentials: a clone with a token in its
 * remote URL, or a CI checkout that left an `AUTHORIZATION` header in
 * `.git/config`, must not show the token to a sandboxed command. The
 * sandbox binds a copy with the credentials replaced by `***` over each
 * such file; git keeps working (it needs no credentials without a network).
 *
 * @module
 */

import { dirname, join } from "../util/path.ts";

/** `scheme://userinfo@`: a URL carrying a user name, a token or a password. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*):\/\/([^/\s@"']+)@/gi;

/** Schemes whose user part is a credential on its own (`https://TOKEN@host`). */
const TOKEN_SCHEMES = new Set(["http", "https", "ftp", "ftps"]);

/** Config keys whose values are credentials (`http.extraheader`, `github.token`, ...). */
const SECRET_KEY =
  /^(\s*)([A-Za-z0-9-]*(?:extraheader|token|password|passwd|secret|oauth)[A-Za-z0-9-]*)(\s*=\s*)(.*)$/i;

/**
 * `text` (a git config file) with credentials replaced by `***`, or `null`
 * when it holds none: the user part of http(s) URLs, the password of any
 * URL, and the values of keys such as `extraheader`, `token` or
 * `password`.
 *
 * @example
 * ```ts
 * import { redactGitConfig } from "./git_config.ts";
 * console.log(redactGitConfig('[remote "origin"]\n\turl = https://ghp_abc@github.com/o/r.git\n'));
 * // '[remote "origin"]\n\turl = https://***@github.com/o/r.git\n'
 * console.log(redactGitConfig("[core]\n\tbare = false\n")); // null
 * ```
 */
export function redactGitConfig(text: string): string | null {
  let changed = false;
  const lines = text.split("\n").map((line) => {
    const key = SECRET_KEY.exec(line);
    if (key && key[4].trim() !== "") {
      changed = true;
      return `${key[1]}${key[2]}${key[3]}***`;
    }
    return line.replace(
      URL_USERINFO,
      (whole, scheme: string, userinfo: string) => {
        const colon = userinfo.indexOf(":");
        let safe: string;
        if (TOKEN_SCHEMES.has(scheme.toLowerCase())) safe = "***";
        else if (colon !== -1) safe = `${userinfo.slice(0, colon)}:***`;
        else return whole;
        changed = true;
        return `${scheme}://${safe}@`;
      },
    );
  });
  return changed ? lines.join("\n") : null;
}

/**
 * The config files a `.git` entry brings: `.git/config` for a folder; for
 * a `.git` file (a linked worktree), the main repository's `config` and
 * the worktree's `config.worktree`.
 *
 * @example
 * ```ts ignore
 * gitConfigFiles("/w/.git"); // ["/w/.git/config"]
 * ```
 */
export function gitConfigFiles(gitEntry: string): string[] {
  try {
    if (Deno.statSync(gitEntry).isDirectory) return [join(gitEntry, "config")];
    const pointer = /^gitdir:\s*(.+)$/m.exec(smallText(gitEntry) ?? "");
    if (!pointer) return [];
    const gitDir = join(dirname(gitEntry), pointer[1].trim());
    const commondir = smallText(join(gitDir, "commondir"))?.trim();
    // without a commondir the folder is the repository itself
    const common = commondir ? join(gitDir, commondir) : gitDir;
    return [join(common, "config"), join(gitDir, "config.worktree")];
  } catch {
    return [];
  }
}

/** Pointer files (`.git`, `commondir`) are a line long; anything else is not read. */
const MAX_POINTER_BYTES = 4096;

/** Git config files larger than this are shown empty rather than read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The text of a small regular file, or `null` for anything else: a named
 * pipe would block the agent, `/dev/zero` or a huge file exhaust it (a
 * command can make any of them).
 */
function smallText(path: string, max = MAX_POINTER_BYTES): string | null {
  try {
    const info = Deno.statSync(path);
    if (!info.isFile || info.size > max) return null;
    const file = Deno.openSync(path, { read: true });
    try {
      const buffer = new Uint8Array(max + 1);
      let length = 0;
      while (length <= max) {
        const read = file.readSync(buffer.subarray(length));
        if (read === null) break;
        length += read;
      }
      return length > max
        ? null
        : new TextDecoder().decode(buffer.subarray(0, length));
    } finally {
      file.close();
    }
  } catch {
    return null;
  }
}

/** Where a redacted copy was written, and what it was made from. */
interface Copy {
  stamp: string;
  source: string | null;
}

/**
 * Keeps redacted copies of git config files in a private folder, written
 * again only when a file changes.
 *
 * @example
 * ```ts ignore
 * const shield = new GitConfigShield("/tmp/nanocode-exec-1/git");
 * shield.binds(["/w/.git/config"]); // [{ source: "/tmp/.../git/0", path: "/w/.git/config" }]
 * ```
 */
export class GitConfigShield {
  readonly #dir: string;
  #copies = new Map<string, Copy>();
  #next = 0;

  /** Copies go into `dir` (created when first needed, mode 0700). */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** For each file holding credentials: the redacted copy to bind over it. */
  binds(paths: readonly string[]): { source: string; path: string }[] {
    const binds: { source: string; path: string }[] = [];
    const seen = new Map<string, Copy>();
    for (const path of new Set(paths)) {
      let info: Deno.FileInfo;
      try {
        info = Deno.statSync(path);
      } catch {
        continue;
      }
      if (!info.isFile) continue;
      const stamp = `${info.ino}:${info.size}:${info.mtime?.getTime()}`;
      let copy = this.#copies.get(path);
      if (!copy || copy.stamp !== stamp) {
        copy = this.#write(path, stamp, info.size);
      }
      seen.set(path, copy);
      if (copy.source) binds.push({ source: copy.source, path });
    }
    for (const [path, copy] of this.#copies) {
      if (copy.source && seen.get(path) !== copy) removeQuietly(copy.source);
    }
    this.#copies = seen;
    return binds;
  }

  #write(path: string, stamp: string, size: number): Copy {
    // One too large to read is shown empty: its credentials cannot be known.
    const text = smallText(path, MAX_CONFIG_BYTES);
    const redacted = text === null
      ? size > MAX_CONFIG_BYTES ? "" : null
      : redactGitConfig(text);
    if (redacted === null) return { stamp, source: null };
    Deno.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    const source = join(this.#dir, String(this.#next++));
    Deno.writeTextFileSync(source, redacted, { mode: 0o600 });
    return { stamp, source };
  }
}

function removeQuietly(path: string): void {
  try {
    Deno.removeSync(path);
  } catch {
    // already gone
  }
}
