/**
 * Puts paths of the work tree into a shadow index: new contents are hashed
 * and stored, paths gone from disk leave the index. Many files at once
 * (the first snapshot of a big workspace) stream through `git fast-import`
 * into one pack instead of one loose object file each.
 *
 * @module
 */

import { join } from "node:path";
import { joinNul, type ShadowGit } from "./shadow_git.ts";

/** From this many files on, contents go through `fast-import`. */
export const BULK_FROM = 500;

/** Files per `fast-import` run (progress survives an interrupted first snapshot). */
const CHUNK = 20_000;

/** Bytes buffered before a write to `fast-import`. */
const BUFFER_BYTES = 1 << 20;

/**
 * Updates the index of `git` for `paths` (relative to its work tree):
 * regular files and symlinks are staged, anything else (gone, a folder
 * now, unreadable, a socket) is removed from the index. Resolves with the
 * paths that were left out because they could not be read.
 *
 * @example
 * ```ts ignore
 * const unreadable = await stagePaths(git, ["src/a.ts", "gone.txt"]);
 * ```
 */
export async function stagePaths(
  git: ShadowGit,
  paths: string[],
): Promise<string[]> {
  const root = git.options.workTree;
  const add: string[] = [];
  const drop: string[] = [];
  const unreadable: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    if (i % 1000 === 999) await yieldNow();
    const path = paths[i];
    const kind = classify(join(root, path));
    if (kind === "add") add.push(path);
    else {
      drop.push(path);
      if (kind === "unreadable") unreadable.push(path);
    }
  }
  if (drop.length) {
    await git.run(
      ["update-index", "-z", "--force-remove", "--stdin"],
      joinNul(drop),
    );
  }
  for (let start = 0; start < add.length; start += CHUNK) {
    const chunk = add.slice(start, start + CHUNK);
    if (add.length >= BULK_FROM) await importBlobs(git, chunk);
    // With the blobs already stored this only hashes and records stat data.
    await git.run(
      ["update-index", "-z", "--add", "--remove", "--stdin"],
      joinNul(chunk),
    );
  }
  return unreadable;
}

function classify(path: string): "add" | "drop" | "unreadable" {
  let info: Deno.FileInfo;
  try {
    info = Deno.lstatSync(path);
  } catch {
    return "drop";
  }
  if (info.isSymlink) return "add";
  if (!info.isFile) return "drop";
  try {
    Deno.openSync(path, { read: true }).close();
    return "add";
  } catch {
    return "unreadable";
  }
}

/** Stores the contents of regular files in one pack through `fast-import`. */
async function importBlobs(git: ShadowGit, paths: string[]): Promise<void> {
  const root = git.options.workTree;
  const child = git.spawn(["fast-import", "--quiet", "--done"]);
  const writer = child.stdin.getWriter();
  const encoder = new TextEncoder();
  let parts: Uint8Array[] = [];
  let buffered = 0;
  const flush = async () => {
    const all = new Uint8Array(buffered);
    let at = 0;
    for (const part of parts) {
      all.set(part, at);
      at += part.length;
    }
    parts = [];
    buffered = 0;
    await writer.write(all);
  };
  try {
    for (const path of paths) {
      let bytes: Uint8Array;
      try {
        const full = join(root, path);
        if (!Deno.lstatSync(full).isFile) continue;
        bytes = Deno.readFileSync(full);
      } catch {
        continue; // update-index sorts it out
      }
      const head = encoder.encode(`blob\ndata ${bytes.length}\n`);
      parts.push(head, bytes, NEWLINE);
      buffered += head.length + bytes.length + 1;
      if (buffered >= BUFFER_BYTES) await flush();
    }
    parts.push(encoder.encode("done\n"));
    buffered += 5;
    await flush();
    await writer.close();
  } catch {
    // fast-import stopped reading; its exit code and message tell why
  }
  const output = await child.output();
  git.check({
    code: output.code,
    stdout: output.stdout,
    stderr: new TextDecoder().decode(output.stderr),
  }, "fast-import");
}

const NEWLINE = new Uint8Array([10]);

function yieldNow(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
