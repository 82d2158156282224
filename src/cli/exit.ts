/**
 * Exit codes of the command line.
 *
 * @module
 */

/** 0 done, 1 the turn failed, 2 bad usage or configuration, 129 the terminal closed (SIGHUP), 130 interrupted. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  hangup: 129,
  interrupted: 130,
} as const;
