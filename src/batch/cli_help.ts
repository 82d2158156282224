/**
 * `nanocode batch --help` and `nanocode worker --help`.
 *
 * @module
 */

import { DEFAULT_TIMEOUT_S, defaultConcurrency } from "./cli_args.ts";

/**
 * The help text of `batch` or `worker`.
 *
 * @example
 * ```ts
 * import { batchHelp } from "./cli_help.ts";
 * console.log(batchHelp("batch").includes("--retry-failed")); // true
 * ```
 */
export function batchHelp(command: "batch" | "worker"): string {
  if (command === "worker") {
    return `Usage: nanocode worker --queue redis://HOST:6379 [options]

Runs batch tasks from a Redis queue (BullMQ) until stopped (Ctrl-C hands
running tasks back to the queue). Start one on any number of machines; each
uses its own API keys, config, --permission-mode and --yes. Tasks' repos
must be reachable here (a git URL, or the same path on a shared disk).

Options:
  --queue URL              redis://[user:password@]HOST:PORT[/DB] (required)
  --queue-name NAME        queue to take jobs from (default "nanocode")
  -j, --concurrency N      tasks at once (default ${defaultConcurrency()}: twice the cores, 2 to 8)
  --stalled-after S        seconds before a dead worker's task goes to another (default 30)
  --work-dir DIR           where task copies go (default ~/.cache/nanocode/worker/PID)
  --keep                   keep every task's copy
  -y, --yes                allow what would ask (secrets excepted; deny rules hold)
  --config FILE, --add-dir DIR, --trust-project, and every settings flag of "nanocode --help"

A worker whose model cannot be used here (its key refused, its model server
unreachable) hands its task back to the queue and exits with code 1.

Output: one line per task (JSON when stdout is not a terminal).
`;
  }
  return `Usage: nanocode batch TASKS.jsonl [options]

Runs every task of a JSON Lines file, each in its own copy of its repo, with
its own sandbox and session, under the policy of a headless run (nothing
waits for a prompt: what would ask is refused unless --yes). One line per
task:
  {"id": "fix-1", "task": "make the tests pass", "repo": "../app", "ref": "main",
   "setup": "npm ci", "verify": "npm test", "config": {"max_iters": 20}}
repo is a git URL or a path (relative to the tasks file): a git repo is
cloned at ref (default HEAD); a plain folder is copied; no repo is an empty
folder. setup and verify run in the copy with secrets removed from their
environment; verify's exit code is recorded.

Options:
  -o, --out FILE           results file, one JSON line per finished task (default results.jsonl);
                           running the same command again skips tasks already in it
  --retry-failed           run tasks whose result is "failed" or "timeout" again
  -j, --concurrency N      tasks at once (default ${defaultConcurrency()}: twice the cores, 2 to 8);
                           a rate limit (HTTP 429) slows the batch down on its own
  --timeout S              wall-clock budget of one task in seconds (default ${DEFAULT_TIMEOUT_S})
  --max-cost USD           cost budget of one task (needs a provider that reports cost)
  --work-dir DIR           where task copies go (default ~/.cache/nanocode/batch/...)
  --keep                   keep every task's copy (failed tasks' copies are always kept)
  --queue URL              run on workers through Redis: redis://HOST:6379 (see "nanocode worker --help")
  --queue-name NAME        queue to use (default "nanocode")
  -y, --yes                allow what would ask (secrets excepted; deny rules hold)
  --permission-mode MODE   ask | auto-edit | yolo; tasks that edit files need auto-edit or yolo
  --config FILE, --add-dir DIR, --trust-project, and every settings flag of "nanocode --help"

Output: a progress bar on a terminal, else one JSON line per task on stdout;
then a summary (pass rate by verify, cost, tokens, time, failures by cause).
Exit codes: 0 every task done, 1 some task failed or timed out, 2 bad usage,
130 interrupted (finished tasks are kept; run the same command to go on).
`;
}
