/**
 * Reading a folder's ignore files (`.rgignore`, `.ignore`, `.gitignore`,
 * git's `info/exclude`) for the built-in walk, defensively: they come from
 * the repository, so a file that is not a regular file of sensible size
 * is not read, one walk compiles a bounded number of rules, and the event
 * loop gets turns while they compile.
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import {
  type FolderRules,
  type IgnoreRule,
  parseIgnoreLine,
} from "./gitignore.ts";
import { nextTurn, TURN_MS } from "./turns.ts";

/**
 * How many ignore rules one walk may still compile. A compiled rule takes
 * a few kilobytes: a repository's ignore files holding millions of rules
 * would take the agent's memory (ripgrep, when installed, has no such
 * limit; past it, the built-in walk lists what those rules would hide).
 */
export interface RuleBudget {
  /** Rules left to compile. */
  left: number;
}

/**
 * A new {@linkcode RuleBudget} for one walk: 20,000 rules.
 *
 * @example
 * ```ts
 * import { ruleBudget } from "./gitignore.ts";
 * console.log(ruleBudget().left); // 20000
 * ```
 */
export function ruleBudget(): RuleBudget {
  return { left: 20_000 };
}

/**
 * {@linkcode parseIgnoreFile} within `budget`, giving the event loop a turn
 * between blocks of lines so that Ctrl-C is heard while many rules compile.
 */
async function parseIgnoreFileInTurns(
  text: string,
  budget: RuleBudget,
): Promise<IgnoreRule[]> {
  const rules: IgnoreRule[] = [];
  let turn = performance.now();
  for (const raw of text.split(/\r?\n/)) {
    if (budget.left <= 0) break;
    const rule = parseIgnoreLine(raw);
    if (rule) {
      rules.push(rule);
      budget.left--;
    }
    if (performance.now() - turn > TURN_MS) {
      await nextTurn();
      turn = performance.now();
    }
  }
  return rules;
}

/**
 * Reads the ignore files of one folder. `names`, when given, lists the
 * folder's entries so absent files are not probed.
 *
 * @example
 * ```ts
 * const rules = await loadFolderRules("/ws");
 * ```
 */
export async function loadFolderRules(
  dir: string,
  names?: ReadonlySet<string>,
  budget: RuleBudget = ruleBudget(),
): Promise<FolderRules> {
  const read = async (name: string): Promise<IgnoreRule[]> => {
    if (names && !names.has(name)) return [];
    const text = await readText(join(dir, name));
    return text === null ? [] : await parseIgnoreFileInTurns(text, budget);
  };
  const [custom, dot, git] = await Promise.all([
    read(".rgignore"),
    read(".ignore"),
    read(".gitignore"),
  ]);
  let hasGit = false;
  let exclude: IgnoreRule[] = [];
  if (!names || names.has(".git")) {
    const gitDir = await gitCommonDir(join(dir, ".git"));
    hasGit = gitDir !== undefined;
    if (gitDir) {
      const text = await readText(join(gitDir, "info", "exclude"));
      if (text !== null) exclude = await parseIgnoreFileInTurns(text, budget);
    }
  }
  return { dir, custom, dot, git, exclude, hasGit };
}

/**
 * Loads the rules of every folder above `root` (outermost first); the
 * walk adds `root` and the folders below it.
 *
 * @example
 * ```ts
 * const chain = await loadAncestorRules("/ws/src"); // rules of "/" and "/ws"
 * ```
 */
export async function loadAncestorRules(
  root: string,
  budget: RuleBudget = ruleBudget(),
): Promise<FolderRules[]> {
  const dirs: string[] = [];
  for (let dir = root; dirname(dir) !== dir;) {
    dir = dirname(dir);
    dirs.unshift(dir);
  }
  return await Promise.all(
    dirs.map((dir) => loadFolderRules(dir, undefined, budget)),
  );
}

/** Largest ignore file read (a larger one counts as absent). */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

/**
 * A file's text, or `null` when it is missing, unreadable or not a
 * regular file of sensible size: a repository's `.gitignore` may be a
 * symlink to `/dev/zero` or a FIFO, which a reader would never finish.
 */
async function readText(path: string): Promise<string | null> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile || info.size > MAX_IGNORE_FILE_BYTES) return null;
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

/**
 * The git folder whose `info/exclude` applies: `.git` itself, or for a
 * `.git` file (worktrees, submodules) the `gitdir:` it names and that
 * folder's `commondir`. `undefined` when there is no `.git`, `null` when it
 * is there but unusable.
 */
async function gitCommonDir(
  dotGit: string,
): Promise<string | null | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(dotGit);
  } catch {
    return undefined;
  }
  if (info.isDirectory) return dotGit;
  const text = await readText(dotGit);
  const match = text?.match(/^gitdir:\s*(.+?)\s*$/m);
  if (!match) return null;
  const gitDir = resolve(dirname(dotGit), match[1]);
  const common = await readText(join(gitDir, "commondir"));
  return common === null ? gitDir : resolve(gitDir, common.trim());
}
