/**
 * Whether the real bubblewrap sandbox can run here; tests that need it are
 * ignored (visibly, with the reason printed) where it cannot.
 *
 * @module
 */

import { probeBubblewrap } from "../../src/exec/probe.ts";

const probe = await probeBubblewrap();

/** True where bubblewrap is missing or cannot start: pass as a test's `ignore`. */
export const NO_BWRAP: boolean = !probe.ok;

if (!probe.ok) {
  console.log(`(sandbox tests ignored: ${probe.reason})`);
}
