/**
 * Files too large for git kept in the store as reflinks (copy-on-write
 * clones, where the file system has them), else hard links, else copies
 * within a budget (a store on another file system).
 *
 * @module
 */

import { dirname, join } from "node:path";

/**
 * How one large file was kept.
 *
 * @example
 * ```ts
 * const entry: LargeEntry = { size: 20 << 20, mtime: 1700000000000, ino: 42, dev: 2049, mode: 0o644, key: "ab12", how: "link" };
 * ```
 */
export interface LargeEntry {
  size: number;
  mtime: number;
  ino: number;
  dev: number;
  mode: number;
  /** Name of the kept file in `<store>/large/`. */
  key: string;
  /**
   * `reflink` and `copy` are independent of the original; a `link` shares
   * it, so only a file replaced or deleted (not written in place) can come
   * back.
   */
  how: "reflink" | "link" | "copy";
}

/**
 * Large files of one snapshot, by workspace-relative path.
 *
 * @example
 * ```ts
 * const manifest: LargeManifest = {};
 * ```
 */
export type LargeManifest = Record<string, LargeEntry>;

/**
 * Whether two entries are the same file version (same inode, size, mtime).
 *
 * @example
 * ```ts ignore
 * if (!sameVersion(before["data.bin"], after["data.bin"])) console.log("changed");
 * ```
 */
export function sameVersion(
  a: LargeEntry | undefined,
  b: LargeEntry | undefined,
): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && a.mtime === b.mtime && a.ino === b.ino &&
    a.dev === b.dev && a.mode === b.mode;
}

/**
 * Keeps the large files of a snapshot in `<storeDir>/large/`. A file
 * version already kept (same inode, size and mtime) is not kept again.
 * Copies (when neither a reflink nor a hard link can be made) stop at
 * `copyBudget` bytes per call; files left out are not in the manifest.
 *
 * @example
 * ```ts ignore
 * const manifest = await keepLarge("/ws", "/data/s1", ["data.bin"], 1 << 30);
 * ```
 */
export async function keepLarge(
  workspace: string,
  storeDir: string,
  paths: string[],
  copyBudget: number,
): Promise<LargeManifest> {
  const manifest: LargeManifest = {};
  const dir = join(storeDir, "large");
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  let copied = 0;
  for (const path of paths) {
    const source = join(workspace, path);
    let info: Deno.FileInfo;
    try {
      info = await Deno.lstat(source);
    } catch {
      continue;
    }
    if (!info.isFile) continue;
    const identity = {
      size: info.size,
      mtime: info.mtime?.getTime() ?? 0,
      ino: info.ino ?? 0,
      dev: info.dev,
      mode: (info.mode ?? 0o644) & 0o7777,
    };
    const key = await keyOf(identity);
    const target = join(dir, key);
    const kept = await existing(target, identity);
    if (kept) {
      manifest[path] = { ...identity, key, how: kept };
      continue;
    }
    // A hard link written in place since: that version is gone anyway.
    await Deno.remove(target).catch(() => {});
    const how = await reflink(source, target)
      ? "reflink"
      : await hardLink(source, target)
      ? "link"
      : copied + info.size <= copyBudget && await copy(source, target)
      ? "copy"
      : null;
    if (!how) continue;
    if (how === "copy") copied += info.size;
    manifest[path] = { ...identity, key, how };
    // Re-check: a file written while it was kept is not that version.
    const after = await Deno.lstat(source).catch(() => null);
    if (after?.mtime?.getTime() !== identity.mtime) delete manifest[path];
  }
  return manifest;
}

/**
 * Whether the kept file of `entry` still holds that version (a hard link
 * written in place since does not).
 *
 * @example
 * ```ts ignore
 * if (!await recoverable("/data/s1", entry)) console.log("lost");
 * ```
 */
export async function recoverable(
  storeDir: string,
  entry: LargeEntry,
): Promise<boolean> {
  try {
    const info = await Deno.lstat(join(storeDir, "large", entry.key));
    if (!info.isFile || info.size !== entry.size) return false;
    return entry.how !== "link" || info.mtime?.getTime() === entry.mtime;
  } catch {
    return false;
  }
}

/**
 * Puts a kept large file back at `target` (replacing what is there), with
 * its mode and mtime. A hard-linked version is linked back; a reflinked or
 * copied one is cloned or copied, so the kept file stays independent.
 *
 * @example
 * ```ts ignore
 * await restoreLarge("/data/s1", entry, "/ws/data.bin");
 * ```
 */
export async function restoreLarge(
  storeDir: string,
  entry: LargeEntry,
  target: string,
): Promise<void> {
  const source = join(storeDir, "large", entry.key);
  const temp = join(
    dirname(target),
    `.nanocode-undo-${crypto.randomUUID().slice(0, 8)}`,
  );
  try {
    if (entry.how === "link") await Deno.link(source, temp);
    else if (!await reflink(source, temp)) await Deno.copyFile(source, temp);
    if (entry.how !== "link") {
      await Deno.chmod(temp, entry.mode);
      await Deno.utime(temp, new Date(), new Date(entry.mtime));
    }
    await Deno.rename(temp, target);
  } catch (error) {
    await Deno.remove(temp).catch(() => {});
    throw error;
  }
}

async function existing(
  target: string,
  identity: { size: number; mtime: number; ino: number },
): Promise<LargeEntry["how"] | null> {
  try {
    const info = await Deno.lstat(target);
    if (!info.isFile || info.size !== identity.size) return null;
    if (info.ino === identity.ino) return "link";
    return "copy";
  } catch {
    return null;
  }
}

async function keyOf(identity: object): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(identity));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest.slice(0, 16), (b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** A copy-on-write clone through `cp --reflink=always` (GNU coreutils). */
async function reflink(source: string, target: string): Promise<boolean> {
  try {
    const out = await new Deno.Command("cp", {
      args: ["--reflink=always", "--preserve=mode,timestamps", source, target],
      // None of the agent's environment (its API keys) in /proc for commands.
      clearEnv: true,
      stdout: "null",
      stderr: "null",
    }).output();
    if (out.success) return true;
  } catch {
    // no cp
  }
  await Deno.remove(target).catch(() => {});
  return false;
}

async function hardLink(source: string, target: string): Promise<boolean> {
  try {
    await Deno.link(source, target);
    return true;
  } catch {
    return false;
  }
}

async function copy(source: string, target: string): Promise<boolean> {
  try {
    await Deno.copyFile(source, target);
    return true;
  } catch {
    await Deno.remove(target).catch(() => {});
    return false;
  }
}
