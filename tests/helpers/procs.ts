/**
 * Looking at processes through `/proc` (Linux), for tests that check what
 * is left running.
 *
 * @module
 */

/** The fields of `/proc/<pid>/stat` after the command name: state, ppid, pgid, ... */
function statFields(pid: number | string): string[] | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/**
 * Whether a process exists and is not a zombie.
 *
 * @example
 * ```ts
 * import { processAlive } from "./procs.ts";
 * console.log(processAlive(Deno.pid)); // true
 * ```
 */
export function processAlive(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== null && fields[0] !== "Z";
}

/**
 * Live processes whose parent is `parent` and whose command line has the
 * argument `arg`.
 *
 * @example
 * ```ts
 * import { childProcesses } from "./procs.ts";
 * console.log(childProcesses(Deno.pid, "--allow-read")); // []
 * ```
 */
export function childProcesses(parent: number, arg: string): number[] {
  const found: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const fields = statFields(entry.name);
    if (!fields || fields[0] === "Z" || Number(fields[1]) !== parent) continue;
    try {
      const args = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`);
      if (args.split("\0").includes(arg)) found.push(Number(entry.name));
    } catch { /* exited meanwhile */ }
  }
  return found;
}

/**
 * Live processes of the process group `pgid`.
 *
 * @example
 * ```ts
 * import { groupMembers } from "./procs.ts";
 * console.log(groupMembers(2 ** 22 + 1)); // []
 * ```
 */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const fields = statFields(entry.name);
    if (fields && fields[0] !== "Z" && Number(fields[2]) === pgid) {
      members.push(Number(entry.name));
    }
  }
  return members;
}
