/**
 * What `/diff` shows: each file nanocode changed in this session, from its
 * text before the first change to what is on disk now.
 *
 * @module
 */

import { changeLines } from "../ui/diff_view.ts";
import { plural } from "../ui/plural.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { Session } from "./session_state.ts";

/** The pager title of `/diff`. */
export const COMMANDS_PAGER_TITLE = "Changes in this session";

/** What a file holds now: its text, or that it is binary (and its size). */
type Now = { text: string } | { binary: number } | null;

async function current(path: string): Promise<Now> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch {
    return null;
  }
  // Like git: a NUL byte or bytes that are not UTF-8 make a file binary.
  if (bytes.includes(0)) return { binary: bytes.length };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { binary: bytes.length };
  }
}

/** The path as `/diff` names it: relative to the workspace when inside. */
function shown(session: Session, path: string): string {
  return path.startsWith(`${session.cwd}/`)
    ? path.slice(session.cwd.length + 1)
    : path;
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
    const found = await current(path);
    const now = found && "text" in found ? found.text : null;
    if (found && "binary" in found) {
      out.push(
        style.bold(
          style.cyan(
            `── ${sanitize(shown(session, path))} (binary, ${
              plural(found.binary, "byte")
            }) ──`,
          ),
        ),
        style.dim("Binary file, not shown"),
        "",
      );
      continue;
    }
    if (now === before) continue;
    const name = sanitize(shown(session, path));
    const header = now === null
      ? `${name} (deleted)`
      : before === null
      ? `${name} (new)`
      : name;
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
