/**
 * The activity line of a running turn, always on screen while work goes
 * on: a spinner, what is happening, the time so far, the tokens streamed
 * so far, and the key that interrupts.
 *
 * @module
 */

import type { LiveRegion } from "./live_region.ts";
import type { Style } from "./style.ts";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * Formats a token count: `850`, `1.2k`, `34k`.
 *
 * @example
 * ```ts
 * import { shortCount } from "./activity.ts";
 * console.log(shortCount(1234), shortCount(34_567)); // "1.2k" "35k"
 * ```
 */
export function shortCount(n: number): string {
  if (n < 1000) return String(Math.round(n));
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  return `${Math.round(n / 1000)}k`;
}

/**
 * The line `⠋ Thinking… (12.3s · ↓ 1.2k tokens · esc to interrupt)`.
 *
 * @example
 * ```ts
 * import { activityText } from "./activity.ts";
 * console.log(activityText("Thinking", 3200, 0, 1500, "esc to interrupt"));
 * // "⠋ Thinking… (3.2s · ↓ 1.5k tokens · esc to interrupt)"
 * ```
 */
export function activityText(
  label: string,
  elapsedMs: number,
  frame: number,
  tokens: number,
  hint: string,
): string {
  const seconds = elapsedMs < 60_000
    ? `${(elapsedMs / 1000).toFixed(1)}s`
    : `${Math.floor(elapsedMs / 60_000)}m ${
      Math.floor(elapsedMs / 1000) % 60
    }s`;
  const parts = [seconds];
  if (tokens > 0) {
    parts.push(`↓ ${shortCount(tokens)} ${tokens === 1 ? "token" : "tokens"}`);
  }
  if (hint) parts.push(hint);
  return `${FRAMES[frame % FRAMES.length]} ${label}… (${parts.join(" · ")})`;
}

/**
 * Keeps the activity line drawn in a live region section while running.
 *
 * @example
 * ```ts ignore
 * const activity = new Activity(region, style, () => tokens);
 * activity.start("Thinking");
 * activity.stop();
 * ```
 */
export class Activity {
  #region: LiveRegion;
  #style: Style;
  #tokens: () => number;
  #label = "";
  #started = 0;
  #frame = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #hidden = false;
  /** The key hint at the end of the line. */
  hint: string;

  constructor(
    region: LiveRegion,
    style: Style,
    tokens: () => number = () => 0,
    hint = "esc to interrupt",
  ) {
    this.#region = region;
    this.#style = style;
    this.#tokens = tokens;
    this.hint = hint;
  }

  /** Starts the line (the clock runs from the first start), or relabels it. */
  start(label: string): void {
    this.#label = label;
    if (this.#timer === undefined) {
      this.#started = performance.now();
      if (this.#region.out.isTerminal) {
        this.#timer = setInterval(() => this.draw(), 100);
      }
    }
    this.draw();
  }

  /** Hides the line (a prompt is open) until {@linkcode Activity.show}. */
  hide(): void {
    this.#hidden = true;
    this.#region.set("spinner", []);
  }

  /** Shows the line again. */
  show(): void {
    this.#hidden = false;
    this.draw();
  }

  /** Stops and removes the line. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#region.set("spinner", []);
  }

  /** Draws the current frame. */
  draw(): void {
    if (this.#timer === undefined && this.#region.out.isTerminal) return;
    if (this.#hidden) return;
    const text = activityText(
      this.#label,
      performance.now() - this.#started,
      this.#frame++,
      this.#tokens(),
      this.hint,
    );
    this.#region.set("spinner", [this.#style.cyan(text)]);
  }
}
