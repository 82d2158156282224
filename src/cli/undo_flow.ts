/**
 * `/undo` and `/redo`: show what would change, ask (through the approval
 * prompt), ask again before writing over files changed since, then say
 * what was done. Shared by the interactive session and `--undo`.
 *
 * @module
 */

import type { ApprovalRequest } from "../safety/approval.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Style } from "../ui/style.ts";
import type { UndoOptions, UndoPlan, UndoResult } from "../undo/types.ts";

/**
 * What the flow undoes through: a {@linkcode CodingAgent}'s history, or a
 * session's snapshots directly.
 *
 * @example
 * ```ts ignore
 * const target: UndoTarget = { plan: (k) => agent[k === "undo" ? "planUndo" : "planRedo"](), apply: (k, o) => agent[k](o) };
 * ```
 */
export interface UndoTarget {
  plan(kind: "undo" | "redo"): Promise<UndoPlan | null>;
  apply(
    kind: "undo" | "redo",
    options: UndoOptions,
  ): Promise<UndoResult | null>;
}

/** Paths shown per list before "… N more". */
const SHOWN = 8;

/**
 * A list of paths for one line: `.git/...` files folded into one item,
 * at most eight shown.
 *
 * @example
 * ```ts
 * import { pathList } from "./undo_flow.ts";
 * console.log(pathList(["a.ts", ".git/HEAD", ".git/index"])); // "a.ts, .git (2 files)"
 * ```
 */
export function pathList(paths: string[]): string {
  const repo = paths.filter((p) => p.startsWith(".git/")).length;
  const files = paths.filter((p) => !p.startsWith(".git/")).map(sanitize);
  const items = files.slice(0, SHOWN);
  if (files.length > SHOWN) items.push(`… ${files.length - SHOWN} more`);
  if (repo) items.push(`.git (${repo} file${repo === 1 ? "" : "s"})`);
  return items.join(", ");
}

/**
 * The lines that show a plan.
 *
 * @example
 * ```ts ignore
 * out.write(planLines(plan, style).join("\n") + "\n");
 * ```
 */
export function planLines(plan: UndoPlan, style: Style): string[] {
  const what = plan.kind === "undo"
    ? `Undo turn ${plan.turn} of this session`
    : `Redo the undo of turn ${plan.turn}`;
  const task = plan.task ? ` (${JSON.stringify(sanitize(plan.task))})` : "";
  const lines = [style.cyan(`⏺ ${what}${task}:`)];
  const row = (label: string, paths: string[], note = "") => {
    if (paths.length) {
      lines.push(`  ${style.bold(label.padEnd(8))} ${pathList(paths)}${note}`);
    }
  };
  row("restore", plan.restore);
  row("remove", plan.remove);
  row(
    "changed",
    plan.conflicts,
    style.dim(
      ` — since the ${
        plan.kind === "undo" ? "turn" : "undo"
      }; kept as they are unless you confirm below`,
    ),
  );
  row(
    "lost",
    plan.lost,
    style.dim(
      " — not kept by the snapshot (written over in place, or too big to keep); cannot come back",
    ),
  );
  if (!plan.finished) {
    lines.push(
      style.yellow(
        "  That turn never finished (nanocode stopped mid-turn): every change since counts as changed after it.",
      ),
    );
  }
  if (lines.length === 1) {
    lines.push(
      style.dim("  Nothing to change: the files are already as they were."),
    );
  }
  return lines;
}

/**
 * The line that reports what an undo or redo did.
 *
 * @example
 * ```ts ignore
 * out.write(resultLine(result) + "\n");
 * ```
 */
export function resultLine(result: UndoResult): string {
  const verb = result.kind === "undo" ? "Undid" : "Redid";
  const parts = [
    `${result.restored.length} restored${
      result.restored.length ? ` (${pathList(result.restored)})` : ""
    }`,
    `${result.removed.length} removed${
      result.removed.length ? ` (${pathList(result.removed)})` : ""
    }`,
  ];
  if (result.kept.length) {
    parts.push(
      `${result.kept.length} kept as they are (${pathList(result.kept)})`,
    );
  }
  if (result.lost.length) {
    parts.push(
      `${result.lost.length} could not come back (${pathList(result.lost)})`,
    );
  }
  return `${verb} the changes of turn ${result.turn}: ${parts.join(", ")}`;
}

/**
 * Runs one undo or redo: plan, show, ask, ask again about files changed
 * since, apply. `ask` answers a yes/no question (the approval prompt);
 * `show` writes a line. Resolves with the result, `null` when there was
 * nothing to do, or `"declined"`.
 *
 * @example
 * ```ts ignore
 * await runUndo("undo", target, (request) => approve(request), (line) => out.write(line + "\n"), style);
 * ```
 */
export async function runUndo(
  kind: "undo" | "redo",
  target: UndoTarget,
  ask: (request: ApprovalRequest) => Promise<boolean>,
  show: (line: string) => void,
  style: Style,
): Promise<UndoResult | null | "declined"> {
  const plan = await target.plan(kind);
  if (!plan) {
    show(style.yellow(
      kind === "undo"
        ? "⏺ Nothing to undo in this session: none of its turns changed files (undo needs git, and is off in the home folder)."
        : "⏺ Nothing to redo: this session has no undo to reverse.",
    ));
    return null;
  }
  for (const line of planLines(plan, style)) show(line);
  const changes = plan.restore.length + plan.remove.length;
  const yes = await ask({
    tool: `/${kind}`,
    action: "write",
    subject:
      `${kind} turn ${plan.turn}: ${plan.restore.length} to restore, ${plan.remove.length} to remove`,
    reasons: changes ? [] : ["nothing left to change; drops the step"],
  });
  if (!yes) {
    show(style.yellow(`⏺ Nothing changed: the ${kind} was declined.`));
    return "declined";
  }
  let overwrite = false;
  if (plan.conflicts.length) {
    overwrite = await ask({
      tool: `/${kind}`,
      action: "write",
      subject: `also put back ${plan.conflicts.length} file${
        plan.conflicts.length === 1 ? "" : "s"
      } changed since: ${pathList(plan.conflicts)}`,
      reasons: [
        "what was changed in them since is lost; no keeps them as they are",
      ],
    });
  }
  const result = await target.apply(kind, { plan, overwrite });
  if (result) show(style.green(`⏺ ${resultLine(result)}`));
  return result;
}
