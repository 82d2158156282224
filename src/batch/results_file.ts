/**
 * The results file: one JSON line per finished task, appended whole (one
 * write, then synced) as each task ends. Reading it back tells which tasks
 * are finished, so a batch run again skips them. A line cut short by a
 * crash is ignored (its task counts as unfinished).
 *
 * @module
 */

import { dirname } from "../util/path.ts";
import type { TaskResult } from "./types.ts";

/** Thrown when a result cannot be written (a full disk, a removed folder). */
export class ResultsWriteError extends Error {
  override name = "ResultsWriteError";
}

/** Thrown when the results file cannot be opened (its folder is a file, it is a folder, no permission). */
export class ResultsOpenError extends Error {
  override name = "ResultsOpenError";
}

/** Thrown when another batch holds the results file. */
export class ResultsLockedError extends Error {
  override name = "ResultsLockedError";
}

function isResult(value: unknown): value is TaskResult {
  if (typeof value !== "object" || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.id === "string" &&
    (r.status === "done" || r.status === "failed" || r.status === "timeout");
}

/**
 * Parses the lines of a results file; the last line of an id wins.
 *
 * @example
 * ```ts
 * import { parseResults } from "./results_file.ts";
 * const done = parseResults('{"id":"a","status":"done"}\n{"id":"b","sta');
 * console.log([...done.keys()]); // ["a"]
 * ```
 */
export function parseResults(text: string): Map<string, TaskResult> {
  const results = new Map<string, TaskResult>();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isResult(value)) results.set(value.id, value);
    } catch {
      // a line cut short by a crash: its task is not finished
    }
  }
  return results;
}

function processAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * An open results file, locked against a second batch writing to it (a
 * `FILE.lock` beside it holds the writer's process id; a lock left by a
 * process that is gone is taken over).
 *
 * @example
 * ```ts ignore
 * const file = await ResultsFile.open("results.jsonl");
 * if (!file.finished.has("t1")) file.append(result);
 * file.close();
 * ```
 */
export class ResultsFile {
  /** The path of the file. */
  readonly path: string;
  /** Results already in the file when it was opened, and those appended since, by id. */
  readonly finished: Map<string, TaskResult>;
  #file: Deno.FsFile;
  #lockPath: string;
  #encoder = new TextEncoder();

  private constructor(
    path: string,
    file: Deno.FsFile,
    finished: Map<string, TaskResult>,
  ) {
    this.path = path;
    this.#file = file;
    this.#lockPath = `${path}.lock`;
    this.finished = finished;
  }

  /**
   * Opens (creating it and its folder if needed) and locks the file.
   *
   * @throws {ResultsLockedError} when a running batch holds it.
   * @throws {ResultsOpenError} when it cannot be opened.
   */
  static async open(path: string): Promise<ResultsFile> {
    const cannot = (error: unknown) => {
      const reason = error instanceof Deno.errors.AlreadyExists
        ? "a folder on its path is a file"
        : (error as Error).message.split(" (os error")[0];
      return new ResultsOpenError(
        `Cannot open the results file ${path}: ${reason}`,
      );
    };
    try {
      await Deno.mkdir(dirname(path.startsWith("/") ? path : `./${path}`), {
        recursive: true,
      });
      takeLock(`${path}.lock`, path);
    } catch (error) {
      if (error instanceof ResultsLockedError) throw error;
      throw cannot(error);
    }
    let text = "";
    let file: Deno.FsFile;
    try {
      text = await Deno.readTextFile(path).catch((error) => {
        if (error instanceof Deno.errors.NotFound) return "";
        throw error;
      });
      file = await Deno.open(path, { append: true, create: true, mode: 0o644 });
    } catch (error) {
      Deno.removeSync(`${path}.lock`);
      throw cannot(error);
    }
    // A line cut short by a crash: end it so the next line starts fresh.
    if (text !== "" && !text.endsWith("\n")) {
      file.writeSync(new TextEncoder().encode("\n"));
    }
    return new ResultsFile(path, file, parseResults(text));
  }

  /**
   * Appends one result as one whole line, synced to disk.
   *
   * @throws {ResultsWriteError} when it cannot be written.
   */
  append(result: TaskResult): void {
    const bytes = this.#encoder.encode(`${JSON.stringify(result)}\n`);
    try {
      let written = 0;
      while (written < bytes.length) {
        written += this.#file.writeSync(bytes.subarray(written));
      }
      this.#file.syncDataSync();
    } catch (error) {
      throw new ResultsWriteError(
        `Cannot write to ${this.path}: ${(error as Error).message}`,
      );
    }
    this.finished.set(result.id, result);
  }

  /** Closes the file and releases the lock. */
  close(): void {
    try {
      this.#file.close();
    } catch {
      // already closed
    }
    try {
      Deno.removeSync(this.#lockPath);
    } catch {
      // already gone
    }
  }
}

function takeLock(lockPath: string, path: string): void {
  const mine = `${Deno.pid}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      Deno.writeTextFileSync(lockPath, mine, { createNew: true });
      return;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(Deno.readTextFileSync(lockPath), 10);
    } catch {
      // removed meanwhile: try again
    }
    if (Number.isInteger(holder) && processAlive(holder)) {
      throw new ResultsLockedError(
        `Another batch (process ${holder}) is writing ${path}; wait for it to finish, or choose another file with --out`,
      );
    }
    try {
      Deno.removeSync(lockPath); // left behind by a batch that was killed
    } catch {
      // someone else took it over first
    }
  }
  throw new ResultsLockedError(`Cannot lock ${path} (${lockPath})`);
}
