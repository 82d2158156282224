/**
 * The terminal of an interactive session: one live region at the bottom
 * (activity, type-ahead, the input line, menus, the footer), one key
 * router, job control (Ctrl-Z and `fg`) and resizes, notifications.
 *
 * @module
 */

import type { KeyInput } from "../ui/input.ts";
import { KeyRouter } from "../ui/key_router.ts";
import { LiveRegion } from "../ui/live_region.ts";
import { sanitize } from "../ui/sanitize.ts";
import type { ScreenUi } from "../ui/screen_ui.ts";
import type { Style } from "../ui/style.ts";
import { type SignalHub, watchTerminal } from "../ui/terminal_signals.ts";
import type { Output } from "../ui/terminal.ts";

import type { NotifyMode } from "./session_settings.ts";

/**
 * The session's terminal.
 *
 * @example
 * ```ts ignore
 * const ui = new SessionUi(stdout, input, style, "bell");
 * ui.print("hello");
 * ```
 */
export class SessionUi implements ScreenUi {
  readonly out: Output;
  readonly region: LiveRegion;
  readonly keys: KeyRouter;
  readonly style: Style;
  /** An {@linkcode Output} whose writes print above the live region. */
  readonly output: Output;
  #input: KeyInput;
  #notify: NotifyMode;
  /** A turn lasting this long (ms) notifies when it ends. */
  readonly longTurnMs: number;
  #stopSignals: (() => void) | null = null;

  constructor(
    out: Output,
    input: KeyInput,
    style: Style,
    notify: NotifyMode = "bell",
    longTurnMs = 20_000,
  ) {
    this.longTurnMs = longTurnMs;
    this.out = out;
    this.style = style;
    this.#input = input;
    this.#notify = notify;
    this.region = new LiveRegion(out, {
      above: ["activity", "spinner", "queue"],
      below: ["dialog", "dialog-hint", "menu", "footer"],
    });
    this.keys = new KeyRouter(input);
    const region = this.region;
    this.output = {
      get isTerminal() {
        return out.isTerminal;
      },
      columns: () => out.columns(),
      rows: () => out.rows?.() ?? 24,
      write: (text: string) => region.print(text),
    };
  }

  /** Prints lines above the live region. */
  print(text: string): void {
    this.region.print(text);
  }

  /**
   * Takes care of Ctrl-Z (the terminal is given back before the process
   * stops), `fg` (raw mode again, everything redrawn) and resizes.
   */
  watchSignals(hub?: SignalHub): void {
    if (this.#stopSignals) return;
    this.#stopSignals = watchTerminal({
      onSuspend: () => {
        this.region.clear();
        this.#input.pause?.();
      },
      onResume: () => {
        this.#input.resume?.();
        this.region.render();
      },
      onResize: () => this.region.resized(),
    }, hub);
  }

  /** Rings the bell or sends a desktop notification (OSC 9), as set. */
  notify(message: string): void {
    if (!this.out.isTerminal || this.#notify === "off") return;
    if (this.#notify === "bell") this.out.write("\x07");
    else {
      const text = sanitize(message).replace(/[\u2400-\u2426]/g, "")
        .slice(0, 200);
      this.out.write(`\x1b]9;${text}\x07`);
    }
  }

  /** Erases the live region and stops listening to signals. */
  close(): void {
    this.#stopSignals?.();
    this.#stopSignals = null;
    this.region.clear();
    // Nothing draws the region after the session (a late repaint, say).
    this.region.hide();
  }
}
