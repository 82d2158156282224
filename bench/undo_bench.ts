/**
 * Undo benchmarks (issue 10): what snapshots cost on a generated
 * 100,000-file repository — the first snapshot at session start (in the
 * background), the first command of a later turn, the end of a turn, a
 * second session's start, and an undo — against plain git on the same
 * tree in the same run. The old snapshot method (one pathspec per new
 * file) is measured at 10,000 files, where it still finishes.
 *
 * @module
 */

import { join } from "node:path";
import { Snapshots } from "../src/undo/snapshots.ts";
import { type Figure, timeCommand } from "./lib.ts";

const FILES = 100_000;
const OLD_METHOD_FILES = 10_000;
/** Files a turn changes (a realistic edit). */
const CHANGED = 20;

/** Writes `count` source files (plus ignored ones) and commits them with fast-import. */
export async function generateRepo(count: number): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "nanocode-undo-bench-" });
  const encoder = new TextEncoder();
  const ignoredModules = Math.min(3000, Math.floor(count / 30));
  const sources = count - ignoredModules - 2;
  const git = (args: string[], stdin?: Uint8Array) => run(root, args, stdin);
  await git(["init", "-q", "-b", "main"]);
  const stream: Uint8Array[] = [
    encoder.encode(
      "commit refs/heads/main\ncommitter Bench <b@example.com> 1700000000 +0000\ndata 6\nfiles\n",
    ),
  ];
  const add = (path: string, text: string, commit: boolean) => {
    const full = join(root, path);
    const bytes = encoder.encode(text);
    Deno.writeFileSync(full, bytes);
    if (commit) {
      stream.push(
        encoder.encode(`M 100644 inline ${path}\ndata ${bytes.length}\n`),
        bytes,
        encoder.encode("\n"),
      );
    }
  };
  for (let i = 0; i < sources; i++) {
    const dir = `pkg${Math.floor(i / 5000)}/mod${Math.floor(i / 100) % 50}`;
    if (i % 100 === 0) Deno.mkdirSync(join(root, dir), { recursive: true });
    add(
      `${dir}/file${i}.ts`,
      `export const v${i} = ${i};\n// ${"x".repeat((i * 37) % 400)}\n`,
      true,
    );
  }
  add(".gitignore", "node_modules/\n.env\n", true);
  add(".env", "API_KEY=bench\n", false);
  for (let i = 0; i < ignoredModules; i++) {
    const dir = `node_modules/dep${Math.floor(i / 50)}`;
    if (i % 50 === 0) Deno.mkdirSync(join(root, dir), { recursive: true });
    add(`${dir}/index${i}.js`, `module.exports = ${i};\n`, false);
  }
  const total = stream.reduce((n, part) => n + part.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const part of stream) {
    all.set(part, at);
    at += part.length;
  }
  await git(["fast-import", "--quiet"], all);
  await git(["reset", "-q"]);
  return root;
}

async function run(
  cwd: string,
  args: string[],
  stdin?: Uint8Array,
): Promise<string> {
  const child = new Deno.Command("git", {
    args: ["-c", "gc.auto=0", ...args],
    cwd,
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(stdin);
    await writer.close();
  }
  const out = await child.output();
  if (!out.success) {
    throw new Error(`git ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout);
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** Changes `CHANGED` source files, as a turn's edits would. */
function edit(root: string, round: number): void {
  for (let i = 0; i < CHANGED; i++) {
    const n = (round * 7919 + i * 4999) % (FILES - 4000);
    const path = join(
      root,
      `pkg${Math.floor(n / 5000)}/mod${Math.floor(n / 100) % 50}/file${n}.ts`,
    );
    try {
      Deno.writeTextFileSync(path, `export const changed = ${round};\n`, {
        append: true,
      });
    } catch {
      // not generated at this size
    }
  }
}

/** The old method: every new file as one pathspec of `git add` into a fresh index. */
async function oldMethod(root: string): Promise<number> {
  const store = await Deno.makeTempDir({ prefix: "nanocode-undo-old-" });
  try {
    const git = ["--git-dir", join(store, "repo.git"), "--work-tree", root];
    await run(root, ["init", "-q", "--bare", join(store, "repo.git")]);
    const others = await run(root, [
      ...git,
      "ls-files",
      "-z",
      "--others",
      "--exclude-standard",
    ]);
    return await timed(() =>
      run(root, [
        ...git,
        "add",
        "--pathspec-from-file=-",
        "--pathspec-file-nul",
      ], new TextEncoder().encode(others))
    );
  } finally {
    await Deno.remove(store, { recursive: true });
  }
}

/** Runs the undo benchmarks and returns their figures. */
export async function undoBench(): Promise<Figure[]> {
  const started = performance.now();
  const root = await generateRepo(FILES);
  const small = await generateRepo(OLD_METHOD_FILES);
  const store = await Deno.makeTempDir({ prefix: "nanocode-undo-store-" });
  console.error(
    `  generated ${FILES} + ${OLD_METHOD_FILES} files in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s`,
  );
  try {
    const status = await timeCommand("git", [
      "-C",
      root,
      "status",
      "--porcelain",
    ]);
    const plainAdd = await timed(async () => {
      const dir = await Deno.makeTempDir({ prefix: "nanocode-undo-add-" });
      await run(root, ["--git-dir", join(dir, "g"), "init", "-q", "--bare"]);
      await run(root, [
        "--git-dir",
        join(dir, "g"),
        "--work-tree",
        root,
        "add",
        "-A",
      ]);
      await Deno.remove(dir, { recursive: true });
    });

    const one = new Snapshots({
      workspace: root,
      storeDir: join(store, "s"),
      session: "one",
    });
    // Session start: the first snapshot, in the background; the first
    // command of turn 1 comes a second later (the model is still thinking).
    const startAt = performance.now();
    const background = one.start();
    await new Promise((r) => setTimeout(r, 1000));
    edit(root, 1);
    const firstTurnWait = await timed(() => one.ensure(1, "turn 1"));
    await background;
    const cold = performance.now() - startAt;
    await one.finish(1);

    const laterTurn: number[] = [];
    const turnEnd: number[] = [];
    for (let t = 2; t <= 4; t++) {
      laterTurn.push(await timed(() => one.ensure(t, `turn ${t}`)));
      edit(root, t);
      turnEnd.push(await timed(() => one.finish(t)));
    }
    const undo = await timed(async () => {
      const plan = await one.planUndo();
      await one.undo({ plan: plan! });
    });
    await one.close();

    const two = new Snapshots({
      workspace: root,
      storeDir: join(store, "s"),
      session: "two",
    });
    const warmStart = await timed(() => two.start());
    edit(root, 9);
    const secondSession = await timed(() => two.ensure(1, "turn 1"));
    await two.finish(1);
    await two.close();

    const oldSmall = await oldMethod(small);
    const newSmall = new Snapshots({
      workspace: small,
      storeDir: join(store, "small"),
      session: "s",
    });
    const coldSmall = await timed(() => newSmall.start());
    await newSmall.close();

    const median = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const later = median(laterTurn);
    console.error(
      `  absolute: first command of a later turn ${
        later.toFixed(0)
      } ms (target <= 1500 ms: ${
        later <= 1500 ? "ok" : "OVER"
      }); first turn waited ${
        firstTurnWait.toFixed(0)
      } ms (target: a few seconds)`,
    );
    return [
      {
        name: `first snapshot at session start, ${FILES} files (background)`,
        value: cold,
        baseline: plainAdd,
        baselineName: "git add -A into an empty index",
        unit: "ms",
        limit: 1,
      },
      {
        name: "first turn's wait, its first command 1 s after session start",
        value: firstTurnWait,
        baseline: cold,
        baselineName: "first snapshot",
        unit: "ms",
        limit: 1,
      },
      {
        name:
          `first command of a later turn (snapshot, ${CHANGED} files changed)`,
        value: later,
        baseline: status,
        baselineName: "git status on the same tree",
        unit: "ms",
        limit: 6,
      },
      {
        name: "end-of-turn snapshot",
        value: median(turnEnd),
        baseline: status,
        baselineName: "git status on the same tree",
        unit: "ms",
        limit: 6,
      },
      {
        name: "second session: start snapshot (store warm)",
        value: warmStart,
        baseline: status,
        baselineName: "git status on the same tree",
        unit: "ms",
        limit: 6,
      },
      {
        name: "second session: first command of its first turn",
        value: secondSession,
        baseline: status,
        baselineName: "git status on the same tree",
        unit: "ms",
        limit: 6,
      },
      {
        name: "undo of a turn (plan + apply)",
        value: undo,
        baseline: status,
        baselineName: "git status on the same tree",
        unit: "ms",
        limit: 12,
      },
      {
        name: `first snapshot, ${OLD_METHOD_FILES} files`,
        value: coldSmall,
        baseline: oldSmall,
        baselineName: "old method (a pathspec per file)",
        unit: "ms",
        limit: 1,
      },
    ];
  } finally {
    for (const dir of [root, small, store]) {
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  }
}
