/**
 * A program folder: `config.json` and `program.json`, written the way the
 * Python `modaic` client writes them and read from either implementation.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { atomicWrite } from "../tools/atomic_write.ts";
import { configJson, parseConfigJson } from "./config_json.ts";
import {
  normalizeProgramJson,
  programJson,
  taskInstructions,
} from "./program_json.ts";
import { pythonJson } from "./python_json.ts";
import type { ProgramState } from "./state.ts";
import { adaptPythonInstructions } from "./python_instructions.ts";
import { DEFAULT_CONFIG } from "../config/fields.ts";
import { isWithin } from "../policy/classify.ts";

/** The config file of a program folder. */
export const CONFIG_FILE = "config.json";
/** The DSPy state file of a program folder. */
export const PROGRAM_FILE = "program.json";

/**
 * The text of both files for `state`, by file name (the files nanocode
 * owns in a program folder or hub repository).
 *
 * @example
 * ```ts
 * import { programFiles } from "./files.ts";
 * import { defaultProgramState } from "./state.ts";
 * const files = programFiles(defaultProgramState());
 * console.log([...files.keys()]); // ["config.json", "program.json"]
 * ```
 */
export function programFiles(state: ProgramState): Map<string, string> {
  return new Map([
    [
      CONFIG_FILE,
      pythonJson(configJson(state.config, state.preserved?.configJson)),
    ],
    [PROGRAM_FILE, pythonJson(programJson(state))],
  ]);
}

/**
 * Writes `config.json` and `program.json` into `dir` (created if missing),
 * each atomically. Keys and tokens are never written.
 *
 * @example
 * ```ts
 * import { writeProgram } from "./files.ts";
 * import { defaultProgramState } from "./state.ts";
 * await writeProgram("/tmp/my-program", defaultProgramState({ max_iters: 20 }));
 * ```
 */
export async function writeProgram(
  dir: string,
  state: ProgramState,
): Promise<void> {
  const encoder = new TextEncoder();
  for (const [name, text] of programFiles(state)) {
    await atomicWrite(join(dir, name), encoder.encode(text));
  }
}

/**
 * The task instructions of a loaded (normalized) `program.json`, adapted
 * for the JavaScript REPL when they were written for DSPy's Python REPL.
 *
 * @example
 * ```ts
 * import { programInstructions } from "./files.ts";
 * const signature = { instructions: "Write Python code to check the files." };
 * const loaded = programInstructions({ "agent.generate_action": { signature } });
 * console.log(loaded.instructions, loaded.writtenFor); // "Write JavaScript code to check the files." "python"
 * ```
 */
export function programInstructions(
  program: Record<string, unknown> | undefined,
): Pick<
  ProgramState,
  "instructions" | "writtenFor" | "originalInstructions" | "adaptations"
> {
  const original = taskInstructions(program ?? {});
  const adapted = adaptPythonInstructions(original);
  return {
    instructions: adapted.text,
    writtenFor: adapted.writtenFor,
    originalInstructions: original,
    adaptations: adapted.changes,
  };
}

/**
 * Reads one `program.json` (or the one in a folder): its task instructions
 * and the parsed file, for loading into an existing agent.
 *
 * @throws {Deno.errors.NotFound} when there is no such file.
 * @throws {SyntaxError} naming the file when it is not valid JSON.
 * @example
 * ```ts
 * import { readProgramJson } from "./files.ts";
 * const state = await readProgramJson("/tmp/my-program/program.json");
 * console.log(state.instructions.slice(0, 20));
 * ```
 */
export async function readProgramJson(
  path: string,
): Promise<Omit<ProgramState, "config">> {
  let file = path;
  try {
    if ((await Deno.stat(path)).isDirectory) file = join(path, PROGRAM_FILE);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`No program state at "${path}"`);
    }
    throw error;
  }
  const raw = await readJson(dirname(file), file);
  if (raw === undefined) {
    throw new Deno.errors.NotFound(`No program state at "${file}"`);
  }
  const program = normalizeProgramJson(raw, `"${file}"`);
  return {
    ...programInstructions(program),
    preserved: { programJson: program },
  };
}

/** Largest program file read (a program with many demos stays far below). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Why a program file must not be read, or `null`: a program folder may come
 * from someone else, so a file is read only when it is a regular file whose
 * real path stays in the folder (not a FIFO that blocks the reader, not
 * `/proc/self/environ` or a file of the user's).
 */
async function refusal(dir: string, path: string): Promise<string | null> {
  let real: string;
  let own: string;
  try {
    [real, own] = await Promise.all([Deno.realPath(path), Deno.realPath(dir)]);
  } catch {
    return "it is a broken symlink";
  }
  if (!isWithin(real, own)) {
    return `it leads outside the program folder, to ${real}`;
  }
  const info = await Deno.stat(real);
  if (!info.isFile) return "it is not a regular file";
  if (info.size > MAX_FILE_BYTES) return "it is larger than 16 MiB";
  return null;
}

/** The parsed JSON of a file in `dir`, or `undefined` when it does not exist. */
async function readJson(dir: string, path: string): Promise<unknown> {
  try {
    await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new Error(`Cannot read "${path}": ${(error as Error).message}`);
  }
  const refused = await refusal(dir, path);
  if (refused !== null) throw new Error(`Cannot read "${path}": ${refused}`);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(`Cannot read "${path}": ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(
      `Cannot read "${path}": not valid JSON (${(error as Error).message})`,
    );
  }
}

/**
 * Reads a program folder written by nanocode or by the Python original.
 * Config values come from `config.json` (defaults for missing fields), the
 * task instructions from `program.json` (`CODING_INSTRUCTIONS` when it is
 * missing); a file that is not a regular file inside `dir` (a symlink out
 * of it, a FIFO) is refused unread; both files are kept in `preserved` so that unknown fields
 * survive a save.
 *
 * @throws {Deno.errors.NotFound} when the folder holds neither file.
 * @throws {TypeError} naming the file when a config value is invalid.
 * @throws {SyntaxError} naming the file when it is not valid JSON.
 * @throws {Error} naming the file when it cannot be read or is refused.
 * @example
 * ```ts
 * import { readProgram } from "./files.ts";
 * const state = await readProgram("/tmp/my-program");
 * console.log(state.config.max_iters, state.instructions.slice(0, 20));
 * ```
 */
export async function readProgram(dir: string): Promise<ProgramState> {
  const configPath = join(dir, CONFIG_FILE);
  const programPath = join(dir, PROGRAM_FILE);
  const rawConfig = await readJson(dir, configPath);
  const rawProgram = await readJson(dir, programPath);
  if (rawConfig === undefined && rawProgram === undefined) {
    throw new Deno.errors.NotFound(
      `No program in "${dir}": it has neither ${CONFIG_FILE} nor ${PROGRAM_FILE}`,
    );
  }
  const config = rawConfig === undefined
    ? { ...DEFAULT_CONFIG }
    : parseConfigJson(rawConfig, `"${configPath}"`);
  const program = rawProgram === undefined
    ? undefined
    : normalizeProgramJson(rawProgram, `"${programPath}"`);
  return {
    config,
    ...programInstructions(program),
    preserved: {
      configJson: rawConfig as Record<string, unknown> | undefined,
      programJson: program,
    },
  };
}
