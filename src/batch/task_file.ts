/**
 * Tasks files: JSON Lines, one task per line
 * (`{id, task, repo?, ref?, setup?, verify?, config?}`).
 *
 * @module
 */

import { dirname, join } from "../util/path.ts";
import { parseTaskConfig } from "./task_config.ts";
import type { BatchTask } from "./types.ts";

/** Thrown for a tasks file that cannot be used; the message names the line. */
export class TaskFileError extends Error {
  override name = "TaskFileError";
}

const KEYS = new Set([
  "id",
  "task",
  "repo",
  "ref",
  "setup",
  "verify",
  "config",
]);

/**
 * Whether `repo` is a git URL (`https://...`, `ssh://...`, `file://...`,
 * `git@host:path`) rather than a path.
 *
 * @example
 * ```ts
 * import { isGitUrl } from "./task_file.ts";
 * console.log(isGitUrl("git@github.com:me/app.git"), isGitUrl("../app")); // true false
 * ```
 */
export function isGitUrl(repo: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(repo) ||
    /^[\w.-]+@[\w.-]+:/.test(repo);
}

function text(
  line: Record<string, unknown>,
  key: string,
  required: boolean,
): string | undefined {
  const value = line[key];
  if (value === undefined || value === null) {
    if (required) throw new TypeError(`"${key}" is missing`);
    return undefined;
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError(`"${key}" must be a non-empty string`);
  }
  return value;
}

function taskId(value: unknown): string {
  if (typeof value === "number" && Number.isSafeInteger(value)) {
    return String(value);
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw new TypeError('"id" must be a non-empty string (or an integer)');
  }
  if (value.length > 200) throw new TypeError('"id" is over 200 characters');
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new TypeError('"id" contains control characters');
  }
  return value;
}

/**
 * Checks one task object (a parsed line, or a job's task from the queue)
 * and resolves a relative `repo` against `baseDir`.
 *
 * @throws {TypeError} saying what is wrong.
 * @example
 * ```ts
 * import { parseTask } from "./task_file.ts";
 * console.log(parseTask({ id: 7, task: "fix it" }, "/").id); // "7"
 * ```
 */
export function parseTask(raw: unknown, baseDir: string): BatchTask {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new TypeError("a task must be a JSON object");
  }
  const line = raw as Record<string, unknown>;
  for (const key of Object.keys(line)) {
    if (!KEYS.has(key)) {
      throw new TypeError(
        `unknown key "${key}" (a task has ${[...KEYS].join(", ")})`,
      );
    }
  }
  const task: BatchTask = {
    id: taskId(line.id),
    task: text(line, "task", true)!,
  };
  const repo = text(line, "repo", false);
  if (repo !== undefined) {
    task.repo = isGitUrl(repo) || repo.startsWith("/")
      ? repo
      : join(baseDir, repo);
  }
  const ref = text(line, "ref", false);
  if (ref !== undefined) {
    if (repo === undefined) throw new TypeError('"ref" needs a "repo"');
    if (ref.startsWith("-")) throw new TypeError('"ref" cannot start with -');
    task.ref = ref;
  }
  const setup = text(line, "setup", false);
  if (setup !== undefined) task.setup = setup;
  const verify = text(line, "verify", false);
  if (verify !== undefined) task.verify = verify;
  if (line.config !== undefined && line.config !== null) {
    task.config = parseTaskConfig(line.config);
  }
  return task;
}

/**
 * Parses a tasks file's text. Blank lines are skipped; relative `repo`
 * paths are resolved against `baseDir` (the file's folder).
 *
 * @throws {TaskFileError} naming the first bad lines (up to five) and what is wrong.
 * @example
 * ```ts
 * import { parseTasks } from "./task_file.ts";
 * const tasks = parseTasks('{"id": "a", "task": "say hi", "repo": "fixtures/a"}\n', "/suite");
 * console.log(tasks[0].repo); // "/suite/fixtures/a"
 * ```
 */
export function parseTasks(
  source: string,
  baseDir: string,
  name = "tasks file",
): BatchTask[] {
  const tasks: BatchTask[] = [];
  const errors: string[] = [];
  const seen = new Map<string, number>();
  const lines = source.replace(/^\uFEFF/, "").split("\n");
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const where = `${name}:${index + 1}`;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (error) {
        throw new TypeError(`not valid JSON (${(error as Error).message})`);
      }
      const task = parseTask(raw, baseDir);
      const earlier = seen.get(task.id);
      if (earlier !== undefined) {
        throw new TypeError(
          `id "${task.id}" was already used on line ${earlier}`,
        );
      }
      seen.set(task.id, index + 1);
      tasks.push(task);
    } catch (error) {
      errors.push(`${where}: ${(error as Error).message}`);
      if (errors.length === 5) break;
    }
  }
  if (errors.length) throw new TaskFileError(errors.join("\n"));
  if (tasks.length === 0) throw new TaskFileError(`${name} has no tasks`);
  return tasks;
}

/**
 * Reads and parses a tasks file.
 *
 * @throws {TaskFileError} when it cannot be read or a line is bad.
 * @example
 * ```ts ignore
 * const tasks = await readTasks("bench/tasks/suite.jsonl");
 * ```
 */
export async function readTasks(path: string): Promise<BatchTask[]> {
  let source: string;
  try {
    source = await Deno.readTextFile(path);
  } catch (error) {
    throw new TaskFileError(
      `Cannot read tasks file ${path}: ${(error as Error).message}`,
    );
  }
  const absolute = path.startsWith("/") ? path : join(Deno.cwd(), path);
  return parseTasks(source, dirname(absolute), path);
}
