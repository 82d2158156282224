/**
 * Finding and killing every process a command started, including those
 * that left its process group (`setsid`, `nohup ... &`).
 *
 * @module
 */

const MAX_KILL_ROUNDS = 20;

/**
 * Sends SIGKILL to the process group `pgid`; a group that is already gone
 * is not an error. Returns whether the group still had a process.
 *
 * @example
 * ```ts
 * killProcessGroup(child.pid); // child spawned with `detached: true`
 * ```
 */
export function killProcessGroup(pgid: number): boolean {
  if (Deno.build.os === "windows") return false;
  try {
    Deno.kill(-pgid, "SIGKILL");
    return true;
  } catch {
    return false; // no such group any more
  }
}

/**
 * Ids of the processes whose environment contains `marker` (e.g.
 * `NANOCODE_RUN=<id>`), read from `/proc/<pid>/environ`; with
 * `{ prefix: true }`, an entry starting with `marker`. Empty where `/proc`
 * is missing (not Linux). Processes of other users are not visible.
 *
 * @example
 * ```ts
 * const pids = await findMarkedProcesses("NANOCODE_RUN=1234");
 * ```
 */
export async function findMarkedProcesses(
  marker: string,
  options: { prefix?: boolean } = {},
): Promise<number[]> {
  const found: number[] = [];
  let entries: AsyncIterable<Deno.DirEntry>;
  try {
    entries = Deno.readDir("/proc");
  } catch {
    return found;
  }
  const needle = new TextEncoder().encode(
    options.prefix ? marker : `${marker}\0`,
  );
  const checks: Promise<void>[] = [];
  try {
    for await (const entry of entries) {
      if (!/^\d+$/.test(entry.name)) continue;
      const pid = Number(entry.name);
      if (pid === Deno.pid) continue;
      checks.push(
        Deno.readFile(`/proc/${pid}/environ`).then((environ) => {
          if (includesBytes(environ, needle)) found.push(pid);
        }, () => {}),
      );
    }
  } catch {
    // /proc not readable
  }
  await Promise.all(checks);
  return found;
}

/**
 * Kills every process carrying `marker` in its environment (an entry
 * starting with it, with `{ prefix: true }`), scanning again until none is
 * left (a process may fork while it is being killed). Returns how many
 * were killed.
 *
 * @example
 * ```ts
 * await killMarkedProcesses("NANOCODE_RUN=1234");
 * ```
 */
export async function killMarkedProcesses(
  marker: string,
  options: { prefix?: boolean } = {},
): Promise<number> {
  const killed = new Set<number>();
  for (let round = 0; round < MAX_KILL_ROUNDS; round++) {
    const pids = await findMarkedProcesses(marker, options);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        Deno.kill(pid, "SIGKILL");
        killed.add(pid);
      } catch {
        // already gone
      }
    }
  }
  await untilDead([...killed]);
  return killed.size;
}

/** How long to wait for killed processes to finish dying. */
const DEATH_WAIT_MS = 2000;

/**
 * Waits (briefly, bounded) until each process has finished exiting: gone
 * or a zombie. SIGKILL is delivered at once, but a loaded machine may take
 * a moment to tear a process down, and callers report them as killed.
 */
async function untilDead(pids: number[]): Promise<void> {
  const deadline = Date.now() + DEATH_WAIT_MS;
  for (const pid of pids) {
    while (Date.now() < deadline && await running(pid)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

async function running(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return false;
  }
}

/** Whether `needle` occurs in `haystack` at the start of an entry (after a NUL or at 0). */
function includesBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  for (
    let i = haystack.indexOf(first);
    i !== -1 && i <= haystack.length - needle.length;
    i = haystack.indexOf(first, i + 1)
  ) {
    if (i > 0 && haystack[i - 1] !== 0) continue;
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return true;
  }
  return false;
}
