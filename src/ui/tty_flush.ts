/**
 * Drops what was typed into the terminal but not read yet, from the
 * kernel's input buffer as well as ours: `tcflush(0, TCIFLUSH)` through
 * `Deno.dlopen` on Linux. Without it, keys typed before a question was on
 * the screen can reach the first read after it, in one chunk with the
 * answer typed once the question was shown.
 *
 * @module
 */

/** Flushes the terminal's pending input; `false` when it could not. */
export type InputFlusher = () => boolean;

const TCIFLUSH = 0;

let tcflush: ((fd: number, queue: number) => number) | null | undefined;

function load(): typeof tcflush {
  if (tcflush !== undefined) return tcflush;
  tcflush = null;
  if (Deno.build.os !== "linux") return tcflush;
  try {
    const libc = Deno.dlopen("libc.so.6", {
      tcflush: { parameters: ["i32", "i32"], result: "i32" },
    });
    tcflush = (fd, queue) => libc.symbols.tcflush(fd, queue);
  } catch {
    // No FFI permission or no C library: keys already typed stay queued.
  }
  return tcflush;
}

/**
 * The real {@linkcode InputFlusher}: flushes stdin's terminal input on
 * Linux; elsewhere, or without the FFI permission, does nothing and says so.
 *
 * @example
 * ```ts ignore
 * flushTerminalInput(); // true on Linux with --allow-ffi
 * ```
 */
export const flushTerminalInput: InputFlusher = () => {
  const flush = load();
  if (!flush) return false;
  try {
    return flush(0, TCIFLUSH) === 0;
  } catch {
    return false;
  }
};
