/**
 * What `/diff` shows: each file nanocode changed in this session, from its
 * text before the first change to what is on disk now.
 *
 * @module
 */

import { changeLines } from "../ui/diff_view.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Session } from "./session_state.ts";

/** The pager title of `/diff`. */
export const COMMANDS_PAGER_TITLE = "Changes in this session";

async function current(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

/**
 * The lines of the session's diff (empty when nothing differs now).
 *
 * @example
 * ```ts ignore
 * const lines = await diffView(session);
 * ```
 */
export async function diffView(session: Session): Promise<string[]> {
  const { style } = session.ui;
  const out: string[] = [];
  const paths = [...session.changes.keys()].sort();
  for (const path of paths) {
    const before = session.changes.get(path) ?? null;
    const now = await current(path);
    if (now === before) continue;
    const shown = path.startsWith(`${session.cwd}/`)
      ? path.slice(session.cwd.length + 1)
      : path;
    const header = now === null
      ? `${sanitize(shown)} (deleted)`
      : before === null
      ? `${sanitize(shown)} (new)`
      : sanitize(shown);
    out.push(style.bold(style.cyan(`── ${header} ──`)));
    const lines = changeLines(before, now ?? "", style, {
      maxLines: Number.MAX_SAFE_INTEGER,
    });
    out.push(...lines.slice(0, 1).map((l) => style.dim(l)), ...lines.slice(1));
    out.push("");
  }
  while (out.at(-1) === "") out.pop();
  return out;
}
