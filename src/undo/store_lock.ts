/**
 * One nanocode process at a time in a snapshot store: sessions in the same
 * workspace share its index (the stat cache), so their snapshots take
 * turns. An advisory file lock, released by the kernel when a process dies.
 *
 * @module
 */

import { join } from "node:path";

/**
 * Runs `fn` while holding `<storeDir>/lock` exclusively (waiting for other
 * processes, and other lock holders in this process, to let go). Stale
 * `index.lock` files a killed git left in the store are removed first: no
 * other git can be running on the store while the lock is held.
 *
 * @example
 * ```ts ignore
 * const tree = await withStoreLock("/data/snapshots/abc", () => snapshot());
 * ```
 */
export async function withStoreLock<T>(
  storeDir: string,
  fn: () => Promise<T>,
): Promise<T> {
  await Deno.mkdir(storeDir, { recursive: true, mode: 0o700 });
  const file = await Deno.open(join(storeDir, "lock"), {
    create: true,
    write: true,
    mode: 0o600,
  });
  try {
    try {
      await file.lock(true);
    } catch {
      // A file system without locks (some network mounts): go on
      // unlocked, as a single session would.
    }
    for (const stale of ["repo.git/index.lock", "meta.index.lock"]) {
      await Deno.remove(join(storeDir, stale)).catch(() => {});
    }
    return await fn();
  } finally {
    // Closing the file releases the lock.
    file.close();
  }
}
