/**
 * Puts paths of the work tree into a shadow index: new contents are hashed
 * and stored, paths gone from disk leave the index, files over the size
 * limit are set aside (kept as links instead). Many files at once (the
 * first snapshot of a big workspace) stream through `git fast-import` into
 * one pack instead of one loose object file each.
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
 * Limits of {@linkcode stagePaths}.
 *
 * @example
 * ```ts
 * const limits: StageLimits = { maxFileBytes: 16 << 20, maxLargeFiles: 1000 };
 * ```
 */
export interface StageLimits {
  /** Files above this size stay out of the index (returned as `large`). */
  maxFileBytes: number;
  /** At most this many large files are returned; the rest are holes. */
  maxLargeFiles: number;
}

/**
 * What staging found besides the index update.
 *
 * @example
 * ```ts
 * const staged: Staged = { large: ["data.bin"], holes: [], privacy: new Map([[".env", true]]) };
 * ```
 */
export interface Staged {
  /** Regular files over the size limit. */
  large: string[];
  /** Files left out although there: unreadable, or large files over the count. */
  holes: string[];
  /** For each file seen (or found gone): whether only its owner may read it. */
  privacy: Map<string, boolean>;
}

/**
 * Updates the index of `git` for `paths` (relative to its work tree):
 * regular files within the size limit and symlinks are staged; anything
 * else (gone, a folder now, unreadable, too large, a socket) leaves the
 * index.
 *
 * @example
 * ```ts ignore
 * const { large } = await stagePaths(git, ["src/a.ts", "gone.txt"], { maxFileBytes: 16 << 20, maxLargeFiles: 1000 });
 * ```
 */
export async function stagePaths(
  git: ShadowGit,
  paths: string[],
  limits: StageLimits,
): Promise<Staged> {
  const root = git.options.workTree;
  const staged: Staged = { large: [], holes: [], privacy: new Map() };
  const bulk = paths.length >= BULK_FROM;
  const drop: string[] = [];
  for (let start = 0; start < paths.length; start += CHUNK) {
    const add: string[] = [];
    const importer = bulk ? new BlobImporter(git) : null;
    for (const path of paths.slice(start, start + CHUNK)) {
      const full = join(root, path);
      let info: Deno.FileInfo;
      try {
        info = Deno.lstatSync(full);
      } catch {
        drop.push(path);
        staged.privacy.set(path, false);
        continue;
      }
      if (info.isSymlink) {
        add.push(path);
        continue;
      }
      if (!info.isFile) {
        drop.push(path);
        continue;
      }
      staged.privacy.set(path, ((info.mode ?? 0o644) & 0o077) === 0);
      if (info.size > limits.maxFileBytes) {
        drop.push(path);
        const room = staged.large.length < limits.maxLargeFiles;
        (room ? staged.large : staged.holes).push(path);
        continue;
      }
      try {
        if (importer) await importer.add(Deno.readFileSync(full));
        else Deno.openSync(full, { read: true }).close();
        add.push(path);
      } catch {
        drop.push(path);
        staged.holes.push(path);
      }
    }
    await importer?.finish();
    if (add.length) {
      // With the blobs already stored this only hashes and records stat data.
      await git.run(
        ["update-index", "-z", "--add", "--remove", "--stdin"],
        joinNul(add),
      );
    }
  }
  if (drop.length) {
    await git.run(
      ["update-index", "-z", "--force-remove", "--stdin"],
      joinNul(drop),
    );
  }
  return staged;
}

/** Streams blobs into one pack through `git fast-import`. */
class BlobImporter {
  #git: ShadowGit;
  #child: Deno.ChildProcess;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #parts: Uint8Array[] = [];
  #buffered = 0;
  #broken = false;
  #encoder = new TextEncoder();

  constructor(git: ShadowGit) {
    this.#git = git;
    this.#child = git.spawn(["fast-import", "--quiet", "--done"]);
    this.#writer = this.#child.stdin.getWriter();
  }

  async add(bytes: Uint8Array): Promise<void> {
    const head = this.#encoder.encode(`blob\ndata ${bytes.length}\n`);
    this.#parts.push(head, bytes, NEWLINE);
    this.#buffered += head.length + bytes.length + 1;
    if (this.#buffered >= BUFFER_BYTES) await this.#flush();
  }

  async finish(): Promise<void> {
    this.#parts.push(this.#encoder.encode("done\n"));
    this.#buffered += 5;
    await this.#flush();
    try {
      await this.#writer.close();
    } catch {
      // fast-import stopped reading; its exit code and message tell why
    }
    const output = await this.#child.output();
    this.#git.check({
      code: output.code,
      stdout: output.stdout,
      stderr: new TextDecoder().decode(output.stderr),
    }, "fast-import");
  }

  async #flush(): Promise<void> {
    const all = new Uint8Array(this.#buffered);
    let at = 0;
    for (const part of this.#parts) {
      all.set(part, at);
      at += part.length;
    }
    this.#parts = [];
    this.#buffered = 0;
    if (this.#broken) return;
    try {
      await this.#writer.write(all);
    } catch {
      this.#broken = true; // reported by finish()
    }
  }
}

const NEWLINE = new Uint8Array([10]);
