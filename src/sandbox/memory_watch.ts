/**
 * Watches a sandbox process's resident memory from the agent's side.
 *
 * The V8 heap cap does not bound memory outside the JavaScript heap
 * (ArrayBuffers, WebAssembly memories, native buffers), so a cell could
 * otherwise hold gigabytes. The sandbox's main thread reports its own RSS
 * too; this watch does not depend on the sandbox cooperating.
 *
 * @module
 */

/** Reads a process's resident memory in bytes, or `null` when unknown. */
export type RssReader = (pid: number) => number | null;

/**
 * Reads `VmRSS` from `/proc/<pid>/status` (Linux); `null` elsewhere or once
 * the process is gone.
 *
 * @example
 * ```ts
 * import { procRss } from "./memory_watch.ts";
 * const rss = procRss(Deno.pid);
 * console.log(rss === null || rss > 0); // true
 * ```
 */
export function procRss(pid: number): number | null {
  let status: string;
  try {
    status = Deno.readTextFileSync(`/proc/${pid}/status`);
  } catch {
    return null;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** A running watch; stop it when the process is gone. */
export interface MemoryWatch {
  stop(): void;
}

/**
 * Calls `onBreach(rss)` once when the process's resident memory goes over
 * `limitBytes`, checking every `intervalMs`. The timer does not keep the
 * agent alive. Stops by itself after a breach or when the reader has no
 * answer (not Linux, or the process is gone).
 *
 * @example
 * ```ts ignore
 * const watch = watchMemory(proc.pid, 1 << 30, (rss) => replace(proc, rss));
 * // later
 * watch.stop();
 * ```
 */
export function watchMemory(
  pid: number,
  limitBytes: number,
  onBreach: (rss: number) => void,
  intervalMs = 50,
  read: RssReader = procRss,
): MemoryWatch {
  const timer = setInterval(() => {
    const rss = read(pid);
    if (rss === null) {
      clearInterval(timer);
    } else if (rss > limitBytes) {
      clearInterval(timer);
      onBreach(rss);
    }
  }, intervalMs);
  Deno.unrefTimer(timer);
  return { stop: () => clearInterval(timer) };
}
