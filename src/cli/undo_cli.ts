/**
 * `nanocode --undo` and `--redo`: undo the last turn of a session (the
 * last one of this folder, or `--resume ID`) without starting the agent.
 * On a terminal it shows the plan and asks; otherwise it shows the plan
 * and needs `--yes` to apply it.
 *
 * @module
 */

import type { EnvReader } from "../config/paths.ts";
import type { ApprovalRequest } from "../safety/approval.ts";
import { listSessions, readSession } from "../session/store.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Style } from "../ui/style.ts";
import type { Output } from "../ui/terminal.ts";
import { openSnapshots } from "../undo/open.ts";
import type { UndoPlan, UndoResult } from "../undo/types.ts";
import type { OutputFormat } from "./args.ts";
import { EXIT } from "./exit.ts";
import { sessionsDir } from "./setup.ts";
import { planLines, resultLine, runUndo } from "./undo_flow.ts";

/**
 * What `--undo` needs.
 *
 * @example
 * ```ts ignore
 * const options: UndoCliOptions = { kind: "undo", cwd, env, yes: false, overwrite: false, format: "text", stdout, stderr, style, ask: null };
 * ```
 */
export interface UndoCliOptions {
  kind: "undo" | "redo";
  cwd: string;
  env: EnvReader;
  /** `--resume ID`: the session; default the last one of `cwd`. */
  session?: string;
  /** `--yes`: apply without asking. */
  yes: boolean;
  /** `--overwrite`: also put back files changed since. */
  overwrite: boolean;
  format: OutputFormat;
  stdout: Output;
  stderr: Output;
  style: Style;
  /** Asks a yes/no question on the terminal; `null` without one. */
  ask: ((question: string) => Promise<boolean>) | null;
}

/**
 * Runs `--undo` / `--redo`; returns the exit code: 0 applied, 1 nothing to
 * do or not confirmed, 2 no such session.
 *
 * @example
 * ```ts ignore
 * return await runUndoCli({ kind: "undo", ... });
 * ```
 */
export async function runUndoCli(options: UndoCliOptions): Promise<number> {
  const { stdout, stderr, style, kind } = options;
  const json = options.format !== "text";
  const say = (line: string) => (json ? stderr : stdout).write(`${line}\n`);
  let session: string;
  try {
    session = await chooseSession(options);
  } catch (error) {
    stderr.write(`nanocode: ${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const snapshots = openSnapshots({
    workspace: Deno.realPathSync(options.cwd),
    env: options.env,
    session,
  });
  if (!snapshots) {
    stderr.write(
      `nanocode: undo is off here (it needs git, and is off in the home folder and /)\n`,
    );
    return EXIT.failed;
  }
  let shown: UndoPlan | null = null;
  const target = {
    plan: async (k: "undo" | "redo") =>
      shown =
        await (k === "undo" ? snapshots.planUndo() : snapshots.planRedo()),
    apply: (k: "undo" | "redo", o: { plan?: UndoPlan; overwrite?: boolean }) =>
      k === "undo" ? snapshots.undo(o) : snapshots.redo(o),
  };
  try {
    say(style.dim(`⏺ Session ${session} in ${sanitize(options.cwd)}`));
    let outcome: UndoResult | null | "declined";
    if (options.yes || !options.ask) {
      const plan = await target.plan(kind);
      outcome = null;
      if (!plan) {
        say(style.yellow(`⏺ Nothing to ${kind} in that session.`));
      } else {
        for (const line of planLines(plan, style)) say(line);
        if (options.yes) {
          outcome = await target.apply(kind, {
            plan,
            overwrite: options.overwrite,
          });
          if (outcome) say(style.green(`⏺ ${resultLine(outcome)}`));
        } else {
          say(style.yellow(
            `⏺ Nothing changed: without a terminal to ask, run again with --yes to ${kind}${
              plan.conflicts.length
                ? " (add --overwrite to put back the files changed since too)"
                : ""
            }.`,
          ));
          outcome = "declined";
        }
      }
    } else {
      const ask = options.ask;
      outcome = await runUndo(
        kind,
        target,
        (request: ApprovalRequest) =>
          ask(
            `${request.subject}${
              request.reasons.length ? ` (${request.reasons.join("; ")})` : ""
            }`,
          ),
        say,
        style,
      );
    }
    const applied = typeof outcome === "object" && outcome !== null;
    if (json) {
      stdout.write(
        `${
          JSON.stringify({
            session,
            plan: shown,
            applied,
            result: applied ? outcome : null,
          })
        }\n`,
      );
    }
    return applied ? EXIT.ok : EXIT.failed;
  } catch (error) {
    stderr.write(`nanocode: cannot ${kind}: ${(error as Error).message}\n`);
    return EXIT.failed;
  } finally {
    await snapshots.close();
  }
}

async function chooseSession(options: UndoCliOptions): Promise<string> {
  const dir = sessionsDir(options.env);
  if (options.session) {
    return (await readSession(dir, options.session)).header.id;
  }
  const last = (await listSessions(dir, options.cwd))[0];
  if (!last) {
    throw new Error(
      `There is no session in ${options.cwd} to ${options.kind}.`,
    );
  }
  return last.id;
}

/**
 * Asks a yes/no question on the terminal: the question on stderr, a line
 * from stdin; only `y` or `yes` is yes.
 *
 * @example
 * ```ts ignore
 * if (await askLine("Undo turn 2?", stderr)) { ... }
 * ```
 */
export async function askLine(question: string, out: Output): Promise<boolean> {
  out.write(`  ${question}? [y/N] `);
  const reader = Deno.stdin.readable.getReader();
  let line = "";
  try {
    while (!line.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      line += new TextDecoder().decode(value);
    }
  } finally {
    reader.releaseLock();
  }
  return /^\s*y(es)?\s*$/i.test(line.split("\n")[0]);
}
