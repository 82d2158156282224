/**
 * Job control and resizes for a full-screen-ish terminal program: Ctrl-Z
 * gives the terminal back before the process stops, `fg` takes it again
 * and redraws, and a resize redraws.
 *
 * @module
 */

/** What to do around a stop, a continue and a resize. */
export interface TerminalSignalHandlers {
  /** Before the process stops (Ctrl-Z): restore the terminal. */
  onSuspend(): void;
  /** After `fg`: take the terminal again and redraw. */
  onResume(): void;
  /** The window changed size. */
  onResize(): void;
}

/** Adds and removes signal listeners (the real default uses `Deno`). */
export interface SignalHub {
  add(signal: Deno.Signal, handler: () => void): void;
  remove(signal: Deno.Signal, handler: () => void): void;
  /** Stops this process (after the terminal was restored). */
  stopSelf(): void;
}

/** The process's signals. */
export const processSignals: SignalHub = {
  add: (signal, handler) => Deno.addSignalListener(signal, handler),
  remove: (signal, handler) => Deno.removeSignalListener(signal, handler),
  stopSelf: () => Deno.kill(Deno.pid, "SIGSTOP"),
};

/**
 * Listens for SIGTSTP, SIGCONT and SIGWINCH. A listener on SIGTSTP replaces
 * the default stop, so the handler restores the terminal and then stops the
 * process itself with SIGSTOP; the shell's `fg` sends SIGCONT. Returns the
 * function that removes the listeners.
 *
 * @example
 * ```ts ignore
 * const stop = watchTerminal({ onSuspend: () => input.pause(), onResume: () => { input.resume(); region.render(); }, onResize: () => region.resized() });
 * ```
 */
export function watchTerminal(
  handlers: TerminalSignalHandlers,
  hub: SignalHub = processSignals,
): () => void {
  const stop = () => {
    try {
      handlers.onSuspend();
    } finally {
      hub.stopSelf();
    }
  };
  const resume = () => handlers.onResume();
  const resize = () => handlers.onResize();
  const listeners: [Deno.Signal, () => void][] = [
    ["SIGTSTP", stop],
    ["SIGCONT", resume],
    ["SIGWINCH", resize],
  ];
  const added: [Deno.Signal, () => void][] = [];
  for (const [signal, handler] of listeners) {
    try {
      hub.add(signal, handler);
      added.push([signal, handler]);
    } catch {
      // Not on this platform (Windows has none of these).
    }
  }
  return () => {
    for (const [signal, handler] of added) hub.remove(signal, handler);
  };
}
