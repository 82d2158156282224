/**
 * Batch test fixtures: git repositories in temp folders, a scripted model
 * that plays each task by its id, and the context a task runs with.
 *
 * @module
 */

import { join } from "node:path";
import { DEFAULT_CONFIG } from "../../src/config/fields.ts";
import { commandRunner } from "../../src/batch/commands.ts";
import { RepoCache } from "../../src/batch/copy.ts";
import type { TaskRunContext } from "../../src/batch/run_task.ts";
import type { BatchReporter } from "../../src/batch/progress.ts";
import type { TaskResult } from "../../src/batch/types.ts";
import { Throttle } from "../../src/batch/throttle.ts";
import type {
  RecordedRequest,
  Step,
  StepFunction,
} from "../helpers/lm_server.ts";
import { codeReply } from "../helpers/lm_server.ts";
import { type TempDir, tempDir } from "../helpers/temp.ts";

/** Runs git in `cwd` (test set-up only). */
export async function gitIn(cwd: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args: [
      "-c",
      "user.name=test",
      "-c",
      "user.email=test@example.invalid",
      "-c",
      "commit.gpgsign=false",
      "-c",
      "init.defaultBranch=main",
      ...args,
    ],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

/** A git repository holding `files` in one commit. */
export async function gitRepo(
  files: Record<string, string>,
): Promise<TempDir> {
  const dir = await tempDir(files);
  await gitIn(dir.path, "init", "-q");
  await gitIn(dir.path, "add", "-A");
  await gitIn(dir.path, "commit", "-q", "-m", "fixture");
  return dir;
}

/** The task id in a request's task text (`[task ID] ...`), or `null`. */
export function taskIdOf(request: RecordedRequest): string | null {
  const first = request.body.messages?.find((m) => m.role === "user");
  return /\[task ([^\]\s]+)\]/.exec(first?.content ?? "")?.[1] ?? null;
}

/** How many replies the model gave in this task's turn before this request. */
export function stepOf(request: RecordedRequest): number {
  return (request.body.messages ?? []).filter((m) => m.role === "assistant")
    .length;
}

/**
 * A model that plays each task by its id: step `n` of a task gets
 * `play(id, n)`. Requests whose task id cannot be read fail loudly.
 */
export function byTask(
  play: (id: string, step: number, request: RecordedRequest) =>
    | Step
    | Promise<Step>,
): StepFunction {
  return (request) => {
    const id = taskIdOf(request);
    if (id === null) {
      return {
        status: 400,
        errorBody: { error: { message: "no [task ID] in the prompt" } },
      };
    }
    return play(id, stepOf(request), request);
  };
}

/**
 * A two-step task the way models write them: look, then write the file
 * `task-ID.txt` and submit, with prose around the code.
 */
export function writeFilePlay(id: string, step: number): Step {
  if (step === 0) {
    return {
      text: codeReply(
        `I'll look at the repository first to see what is there.`,
        `print(glob_files("**/*"))`,
      ),
    };
  }
  return {
    text:
      `The folder has what I expected. Now I'll write the file and finish.\n\n` +
      "```javascript\n" +
      `write_file("task-${id}.txt", "made by ${id}\\n")\n` +
      `SUBMIT("Wrote task-${id}.txt")\n` +
      "```\n\nThis writes the file and submits the answer.",
  };
}

/** The config a batch test runs with: the scripted server, edits allowed. */
export function testConfig(url: string) {
  return {
    ...DEFAULT_CONFIG,
    lm: "openai/main-model",
    sub_lm: "openai/sub-model",
    api_base: url,
    cell_timeout: 30,
    permission_mode: "auto-edit" as const,
  };
}

/** A task context in `work` against the scripted server at `url`. */
export function testContext(
  url: string,
  work: string,
  overrides: Partial<TaskRunContext> = {},
): TaskRunContext {
  return {
    workDir: join(work, "copies"),
    config: testConfig(url),
    env: (name) => (name === "OPENAI_API_KEY" ? "test-key" : undefined),
    yes: false,
    limits: { timeoutMs: 120_000, maxCost: null },
    throttle: new Throttle(4),
    commands: commandRunner({
      sandbox: "auto",
      home: Deno.env.get("HOME") ?? "/",
      protectedDirs: [],
    }),
    cache: new RepoCache(join(work, "mirrors")),
    sessionsDir: join(work, "sessions"),
    keepCopies: "all",
    ...overrides,
  };
}

/** Lists the files of a folder (relative paths, sorted), `.git` left out. */
export async function filesIn(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of Deno.readDir(join(dir, prefix))) {
    if (entry.name === ".git") continue;
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory) out.push(...await filesIn(dir, path));
    else out.push(path);
  }
  return out.sort();
}

/** A reporter that keeps what it is told. */
export function recordingReporter() {
  const seen = {
    started: [] as string[],
    finished: [] as TaskResult[],
    requeued: [] as string[],
    notices: [] as string[],
  };
  const reporter: BatchReporter = {
    start: () => {},
    taskStarted: (id) => void seen.started.push(id),
    taskUsage: () => {},
    taskFinished: (r) => void seen.finished.push(r),
    taskRequeued: (id) => void seen.requeued.push(id),
    throttled: () => {},
    notice: (text) => void seen.notices.push(text),
    finished: () => {},
  };
  return { seen, reporter };
}
