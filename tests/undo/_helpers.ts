/**
 * Shared pieces of the undo tests: git in a test repository, a tree
 * listing, and a store per test.
 *
 * @module
 */

import { join } from "node:path";
import { Snapshots, type SnapshotsOptions } from "../../src/undo/snapshots.ts";
import { tempDir } from "../helpers/temp.ts";

const GIT_IDENTITY = ["-c", "user.name=Test", "-c", "user.email=t@example.com"];

/** Runs git in `cwd` (with a test identity); throws with its stderr on failure. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: [...GIT_IDENTITY, ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

/** Runs a shell command in `cwd`, like run_bash would; throws on failure. */
export async function sh(cwd: string, command: string): Promise<void> {
  const out = await new Deno.Command("bash", {
    args: ["-c", command],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(`${command}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Every file below `root` (relative path -> content), folders as "dir/". */
export async function tree(
  root: string,
  skip = ".git",
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  async function walk(dir: string, prefix: string) {
    for await (const entry of Deno.readDir(dir)) {
      const rel = prefix + entry.name;
      if (rel === skip) continue;
      if (entry.isDirectory) {
        out[`${rel}/`] = "";
        await walk(join(dir, entry.name), `${rel}/`);
      } else if (entry.isSymlink) {
        out[rel] = `-> ${await Deno.readLink(join(dir, entry.name))}`;
      } else {
        out[rel] = await Deno.readTextFile(join(dir, entry.name));
      }
    }
  }
  await walk(root, "");
  return Object.fromEntries(Object.entries(out).sort());
}

/** A workspace with `files`, an empty store folder, and a Snapshots for session "s1". */
export async function withStore(
  files: Record<string, string | Uint8Array>,
  fn: (ws: string, snapshots: Snapshots, store: string) => Promise<void>,
  options: Partial<SnapshotsOptions> = {},
): Promise<void> {
  await using ws = await tempDir(files);
  await using store = await tempDir();
  const snapshots = new Snapshots({
    workspace: ws.path,
    storeDir: join(store.path, "s1"),
    session: "s1",
    ...options,
  });
  try {
    await fn(ws.path, snapshots, store.path);
  } finally {
    await snapshots.close();
  }
}

/** One turn: the snapshot before its first change, `change`, and the one at its end. */
export async function turn(
  snapshots: Snapshots,
  n: number,
  change: () => Promise<unknown>,
): Promise<void> {
  await snapshots.ensure(n, `turn ${n}`);
  await change();
  await snapshots.finish(n);
}

export { exists } from "../hostile/_harness.ts";
