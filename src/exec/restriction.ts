/**
 * Telling the model that a failed command ran into the sandbox, and how to
 * ask to leave it.
 *
 * @module
 */

/** Output that says a sandbox limit was hit, and which. */
const SIGNS: [RegExp, string][] = [
  [/read-only file system|\bEROFS\b/i, "a write outside the writable folders"],
  [
    /network is unreachable|could not resolve|temporary failure in name resolution|name or service not known|connection refused|\bENETUNREACH\b|\bECONNREFUSED\b|\bEAI_AGAIN\b|getaddrinfo/i,
    "no network, not even to services on 127.0.0.1",
  ],
  [/device or resource busy|\bEBUSY\b/i, "a hidden secret file"],
  [
    /(?:^|[\s'"`(])\/(?:var\/)?(?:tmp|run)\/[^\n]*: no such file or directory/im,
    "a folder the sandbox shows empty: /tmp, /var/tmp and /run (use $TMPDIR for temporary files)",
  ],
];

/**
 * A line for the model when a command that ran at the `workspace` level
 * failed in a way that looks like the sandbox's doing (read-only file
 * system, no network, a masked file); `undefined` otherwise.
 *
 * @example
 * ```ts
 * import { restrictionNote } from "./restriction.ts";
 * const note = restrictionNote("touch: cannot touch '/etc/x': Read-only file system", 1);
 * console.log(note?.startsWith("[sandbox:")); // true
 * ```
 */
export function restrictionNote(
  output: string,
  code: number,
): string | undefined {
  if (code === 0) return undefined;
  const hits = SIGNS.filter(([sign]) => sign.test(output)).map(([, what]) =>
    what
  );
  if (hits.length === 0) return undefined;
  return `[sandbox: this command ran in nanocode's sandbox (workspace writable; .git, .nanocode and everything outside read-only; /tmp and /run empty; no network; secret files hidden) and looks blocked by it (${
    hits.join(", ")
  }). If it must leave the sandbox, call run_bash(cmd, {sandbox: false}) (in Python: run_bash(cmd, sandbox=False)): the user is asked first.]`;
}
