/**
 * The re-check after a change is confirmed: the approval prompt may stay
 * open for minutes, and a person may edit the file meanwhile. Their edit
 * must win, so the write goes ahead only when the file still holds what
 * the change was computed from.
 *
 * @module
 */

/**
 * Throws an `Error` starting with `label` when `target` no longer holds
 * `before` (its bytes when the change was computed; `null` when it did not
 * exist then).
 *
 * @example
 * ```ts ignore
 * const before = await Deno.readFile("a.ts");
 * await context.confirmWrite?.(change); // the prompt may stay open a while
 * await assertUnchanged("a.ts", before, 'Cannot edit file "a.ts"');
 * ```
 */
export async function assertUnchanged(
  target: string,
  before: Uint8Array | null,
  label: string,
): Promise<void> {
  let now: Uint8Array | null;
  try {
    now = (await Deno.stat(target)).isFile ? await Deno.readFile(target) : null;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    now = null;
  }
  if (sameBytes(before, now)) return;
  const what = before === null
    ? "the file was created"
    : now === null
    ? "the file was deleted"
    : "the file was changed";
  throw new Error(
    `${label}: ${what} on disk while the change waited for approval; nothing was written; read it again first`,
  );
}

function sameBytes(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
