/**
 * Commands outlive nothing: each `run_bash` command runs under a tiny bash
 * supervisor that holds a pipe from the agent. When the agent goes away —
 * the terminal closed (SIGHUP), `kill -9`, a crash — the pipe closes, and
 * the supervisor kills the command's process group and every process
 * carrying the command's marker (`setsid` and `nohup` children included)
 * before it exits. A normal run costs one extra `bash` process.
 *
 * @module
 */

import { killMarkedProcesses } from "./process_tree.ts";

/** Environment variable that tags every process a command starts. */
const MARKER = "NANOCODE_RUN";

/** This agent process's part of every marker, so its commands can be found together. */
const AGENT_TAG = crypto.randomUUID().slice(0, 8);

/**
 * Bash lines that SIGKILL every process carrying this command's marker
 * (`$1`) except the shell running them.
 */
const KILL_MARKED = `for round in 1 2 3; do
    for dir in /proc/[0-9]*; do
      pid=\${dir#/proc/}
      [ "$pid" = "$BASHPID" ] && continue
      while IFS= read -r -d '' entry; do
        if [ "$entry" = "${MARKER}=$1" ]; then kill -KILL "$pid"; break; fi
      done < "$dir/environ"
    done
  done`;

/** {@linkcode KILL_MARKED}, then the whole process group (the shell too). */
const KILL_ALL = `${KILL_MARKED}
  kill -KILL 0`;

/**
 * The supervisor, run as `bash -c SUPERVISOR nanocode-run MARKER_VALUE
 * COMMAND`. It starts COMMAND in the background with stdin from
 * `/dev/null` (its own messages, such as job notices, go to `/dev/null`,
 * the command's to the real stderr), keeps the agent's pipe (its stdin) on fd 3 in a watcher,
 * and exits with COMMAND's status, ending the watcher. The watcher blocks
 * reading fd 3; at end of file (the agent is gone) it kills every marked
 * process it can see, then its own process group.
 */
const SUPERVISOR = `exec 3<&0 0</dev/null 4>&2 2>/dev/null
"$BASH" -c "$2" 2>&4 3<&- 4>&- &
cmd=$!
(
  exec >/dev/null 2>&1
  read -r -u 3 _
  ${KILL_ALL}
) &
watcher=$!
exec 3<&- 4>&-
wait "$cmd"
code=$?
kill -KILL "$watcher" 2>/dev/null
exit "$code"`;

/**
 * The supervisor of a command that reads input (an MCP stdio server), run
 * like {@linkcode SUPERVISOR}. The agent's pipe is COMMAND's own stdin (no
 * process in between: each message reaches it directly), so the lifeline
 * is the supervisor's parent instead: a watcher looks once a second
 * (`read -t 1` on a pipe that never has data: no process is started)
 * whether the supervisor still belongs to the agent, and when the agent is
 * gone (COMMAND sees the end of its input at once; `kill -9` included) it
 * kills every marked process, then its own process group. When COMMAND
 * exits, the supervisor kills what it left running and exits with its
 * status.
 */
const INPUT_SUPERVISOR = `exec 3<&0 0</dev/null 4>&2 2>/dev/null
"$BASH" -c "$2" 0<&3 2>&4 3<&- 4>&- &
cmd=$!
exec 3<&- 4>&-
agent=$PPID
(
  exec >/dev/null 2>&1 9<> <(:)
  while read -r _ _ _ parent _ < /proc/$$/stat && [ "$parent" = "$agent" ]; do
    read -r -t 1 -u 9 _
  done
  ${KILL_ALL}
) &
watcher=$!
wait "$cmd"
code=$?
kill -KILL "$watcher"
${KILL_MARKED}
exit "$code"`;

/**
 * A fresh marker for one command: `NANOCODE_RUN=<agent tag>-<uuid>`, as a
 * `[name, value]` pair.
 *
 * @example
 * ```ts
 * import { newRunMarker } from "./supervisor.ts";
 * const [name, value] = newRunMarker();
 * console.log(name); // "NANOCODE_RUN"
 * ```
 */
export function newRunMarker(): [string, string] {
  return [MARKER, `${AGENT_TAG}-${crypto.randomUUID()}`];
}

/**
 * The arguments that run `script` (a bash command line) under the
 * supervisor: spawn `bash` with them, the marker in the environment,
 * `detached: true` (its own process group) and `stdin: "piped"`, and keep
 * that stdin open until the command has ended. With `input`, that stdin
 * is the command's own (closing it ends the command's input); the
 * supervisor then watches its parent instead.
 *
 * @example
 * ```ts ignore
 * const [name, value] = newRunMarker();
 * const child = new Deno.Command("bash", {
 *   args: supervisedArgs("exec 2>&1; make test", value),
 *   env: { [name]: value },
 *   detached: true,
 *   stdin: "piped",
 * }).spawn();
 * ```
 */
export function supervisedArgs(
  script: string,
  markerValue: string,
  input = false,
): string[] {
  return [
    "-c",
    input ? INPUT_SUPERVISOR : SUPERVISOR,
    "nanocode-run",
    markerValue,
    script,
  ];
}

/**
 * Kills every process any command of this agent started that is still
 * running (those that left their group or outlived their command
 * included). For SIGHUP and SIGTERM: the agent then exits. Returns how
 * many were killed.
 *
 * @example
 * ```ts ignore
 * Deno.addSignalListener("SIGHUP", async () => {
 *   await killAllCommands();
 *   Deno.exit(129);
 * });
 * ```
 */
export function killAllCommands(): Promise<number> {
  return killMarkedProcesses(`${MARKER}=${AGENT_TAG}-`, { prefix: true });
}
